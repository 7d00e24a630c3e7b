import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { k8sModelOf } from "../../src/checks/k8s/model.js";
import { parseYamlStream } from "../../src/formats/yaml-stream.js";
import { TextVersion } from "../../src/review/content.js";
import { expectLinear, HOSTILE, onlyDeclaredErrors, PROPERTY_RUNS, tokenSoup } from "./support.js";

const FRAGMENTS = [
  ...HOSTILE,
  "apiVersion: v1\n",
  "apiVersion: apps/v1\n",
  "kind: Pod\n",
  "kind: Deployment\n",
  "kind: List\nitems:\n",
  "spec:\n",
  "  template:\n",
  "    spec:\n",
  "  containers:\n",
  "    - name: a\n",
  "      securityContext: {privileged: true}\n",
  "      image: x\n",
  "&p ",
  "*p",
  "<<: *p\n",
  "---\n",
  "[",
  "]",
  "- - - ",
  "{{ .Values }}",
];

function model(text: string) {
  return k8sModelOf(new TextVersion("m.yaml", text));
}

describe("Kubernetes manifests (property)", () => {
  it("building the model throws nothing on any input (broken documents are errors of their own)", () => {
    fc.assert(
      fc.property(tokenSoup(FRAGMENTS, 80), (text) => {
        onlyDeclaredErrors(() => model(text));
      }),
      PROPERTY_RUNS,
    );
  });

  it("takes linear time on adversarial shapes", () => {
    expectLinear(
      {
        "many documents": (n) =>
          "---\napiVersion: v1\nkind: Pod\nspec: {containers: [{name: a}]}\n".repeat(n),
        "many containers": (n) =>
          `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n${"    - {name: a, image: x, securityContext: {privileged: true}}\n".repeat(n)}`,
        "one anchor merged everywhere": (n) =>
          `apiVersion: v1\nkind: List\nitems:\n  - &p {apiVersion: v1, kind: Pod, spec: {containers: [{name: a}]}}\n${"  - *p\n".repeat(n)}`,
        "deep flow nesting": (n) => `a: ${"[".repeat(n)}${"]".repeat(n)}\n`,
      },
      (text) => model(text),
      40,
    );
  });
});

describe("bounds on hostile streams", () => {
  it("reads the first 1,000 of 10,000 documents and says so", () => {
    const text = Array.from(
      { length: 10_000 },
      (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\n`,
    ).join("---\n");
    const m = model(text);
    expect(m.manifests).toHaveLength(1_000);
    expect(m.limited).toMatch(
      /^more than 1000 YAML documents: the first 1000 were read, the rest \(from line \d+\) were not$/,
    );
  });

  it("does not parse 100,000-deep nesting, in flow or block style", () => {
    for (const text of [`a: ${"[".repeat(100_000)}${"]".repeat(100_000)}`, `${"- ".repeat(100_000)}x\n`]) {
      const stream = parseYamlStream(text);
      expect(stream.documents).toEqual([]);
      expect(stream.limited).toMatch(/^nested deeper than 256 levels \(line 1\): not read$/);
    }
  });

  it("an alias bomb costs what its text costs: aliases are never expanded", () => {
    let bomb =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: bomb}\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (let i = 1; i < 30; i++)
      bomb += `x${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(", ")}]\n`;
    bomb += "spec:\n  containers: *a29\n";
    const m = model(bomb);
    expect(m.manifests).toHaveLength(1);
    expect(m.containers).toEqual([]);
  });
});
