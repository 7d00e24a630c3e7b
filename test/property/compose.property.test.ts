// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose text uses ${VAR}
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadCompose, parseCompose } from "../../src/checks/compose/model.js";
import { hasInterpolation, parsePortSpec, parseVolumeSpec } from "../../src/formats/compose.js";
import { ParseError } from "../../src/formats/errors.js";
import { TextVersion } from "../../src/review/content.js";
import { expectLinear, HOSTILE, onlyDeclaredErrors, PROPERTY_RUNS, tokenSoup } from "./support.js";

const SPEC_FRAGMENTS = [
  ...HOSTILE,
  ":",
  "::",
  "[",
  "]",
  "${",
  "}",
  "$$",
  "-",
  "/",
  "\\",
  "127.0.0.1",
  "5432",
  "C:",
];
const FILE_FRAGMENTS = [
  ...HOSTILE,
  "services:\n",
  "  web:\n",
  "    image: nginx\n",
  "    ports: [",
  '"5432:5432"',
  "]\n",
  "    extends: web\n",
  "    <<: *d\n",
  "x-d: &d\n",
  "  privileged: true\n",
  "    volumes:\n",
  "      - /var/run:/var/run\n",
  "---\n",
  "- ",
  "{",
];

describe("Compose readers (property)", () => {
  it("port, volume and interpolation readers never throw", () => {
    fc.assert(
      fc.property(tokenSoup(SPEC_FRAGMENTS, 40), (text) => {
        parsePortSpec(text);
        parseVolumeSpec(text);
        hasInterpolation(text);
      }),
      PROPERTY_RUNS,
    );
  });

  it("the model throws nothing but ParseError on any input", () => {
    fc.assert(
      fc.property(tokenSoup(FILE_FRAGMENTS, 60), (text) => {
        onlyDeclaredErrors(() => parseCompose("docker-compose.yml", text), ParseError);
        expect(() => loadCompose(new TextVersion("docker-compose.yml", text))).not.toThrow();
      }),
      PROPERTY_RUNS,
    );
  });

  it("takes linear time on adversarial shapes", () => {
    expectLinear(
      {
        "long port spec of colons": (n) => ":".repeat(n * 20),
        "unclosed interpolation": (n) => `\${${"${".repeat(n * 10)}`,
        "many brackets": (n) => "[".repeat(n * 20),
      },
      (text) => {
        parsePortSpec(text.slice(0, 4_000));
        parseVolumeSpec(text.slice(0, 4_000));
        hasInterpolation(text);
      },
      200,
    );
    expectLinear(
      {
        "many services": (n) =>
          `services:\n${"  s: {image: nginx, ports: ['5432:5432']}\n".replace("s:", "s@:").repeat(1)}${Array.from({ length: n }, (_, i) => `  s${i}: {image: nginx, ports: ["5432:5432"], cap_add: [SYS_ADMIN]}\n`).join("")}`,
        "a long extends chain": (n) =>
          `services:\n  s0: {image: nginx}\n${Array.from({ length: n }, (_, i) => `  s${i + 1}: {extends: s${i}}\n`).join("")}`,
        "many merges of one anchor": (n) =>
          `x-d: &d {privileged: true, cap_add: [SYS_ADMIN], ports: ["5432:5432"]}\nservices:\n${Array.from({ length: n }, (_, i) => `  s${i}: {<<: *d, image: nginx}\n`).join("")}`,
      },
      (text) => {
        parseCompose("docker-compose.yml", text);
      },
      // 60 and 960 services: the larger stays under the 1,000-service bound.
      60,
    );
  });
});
