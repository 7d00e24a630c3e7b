import { isMap, type Node } from "yaml";
import type { YamlSource } from "../../formats/yaml.js";
import { mapEntry, mapGet, scalarText, seqItems } from "../../formats/yaml.js";
import { redactSecret } from "../../review/redact.js";
import type { RawFinding } from "../../review/types.js";
import { imagePinning, literalSecret, secretDigest } from "../containers/index.js";
import { defineCheck } from "../define.js";
import { isPlaceholderValue } from "../secrets/detector.js";
import { at, finding } from "./findings.js";
import { k8sModelOf } from "./model.js";

/**
 * What a `kustomization.yaml` itself decides: its `images:` overrides (a
 * `newTag: latest`, or a `newName` without a tag or digest, which keeps a
 * tag chosen for another image) and the literals of its `secretGenerator`
 * (every one is a secret) and `configMapGenerator` (secret-named keys).
 * Patch files are manifests of their own and are reviewed as such, with
 * missing keys left to the object they patch. Kustomize is never run.
 */
export const kustomization = defineCheck({
  kind: "snapshot",
  name: "k8s/kustomization",
  families: ["k8s"],
  rules: ["k8s/unpinned-image", "k8s/literal-secret-in-env"],
  run(file) {
    if (!/(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(file.path)) return [];
    const { src } = k8sModelOf(file);
    const out: RawFinding[] = [];
    for (const doc of src.documents) {
      const root = doc.contents as Node | null;
      if (!isMap(root) || doc.errors.length > 0) continue;
      out.push(...images(src, doc, root), ...generators(src, doc, root));
    }
    return out;
  },
});

type Doc = YamlSource["documents"][number];

function images(src: YamlSource, doc: Doc, root: Node): RawFinding[] {
  const out: RawFinding[] = [];
  for (const item of seqItems(doc, mapGet(doc, root, "images"))) {
    const name = scalarText(mapGet(doc, item, "name")) ?? "";
    if (mapGet(doc, item, "digest") !== undefined) continue;
    const tag = mapEntry(doc, item, "newTag");
    const newName = mapEntry(doc, item, "newName");
    const tagText = scalarText(tag?.value);
    const fallback = { line: 1, column: 1 };
    if (tagText !== undefined) {
      if (tagText.toLowerCase() !== "latest") continue;
      out.push(
        finding({
          ruleId: "k8s/unpinned-image",
          position: at(src, tag!.value, fallback),
          message: `The Kustomize image override for \`${name}\` sets \`newTag: latest\`: every build of this overlay deploys whatever was pushed last; pin a version, or a \`digest:\`.`,
          anchor: `kustomize|images:${name}|newTag:latest`,
        }),
      );
      continue;
    }
    const target = scalarText(newName?.value);
    if (target === undefined) continue;
    const pin = imagePinning(target);
    if (pin.kind === "digest" || pin.kind === "tag" || pin.kind === "unresolved") continue;
    out.push(
      finding({
        ruleId: "k8s/unpinned-image",
        position: at(src, newName!.value, fallback),
        message: `The Kustomize image override for \`${name}\` points at \`${target}\` without \`newTag\` or \`digest\`: the manifests' tag (or none, which means \`latest\`) now names another image; set \`newTag\` or \`digest\`.`,
        anchor: `kustomize|images:${name}|newName:${target}:untagged`,
      }),
    );
  }
  return out;
}

function generators(src: YamlSource, doc: Doc, root: Node): RawFinding[] {
  const out: RawFinding[] = [];
  for (const field of ["secretGenerator", "configMapGenerator"]) {
    for (const generator of seqItems(doc, mapGet(doc, root, field))) {
      const generated = scalarText(mapGet(doc, generator, "name")) ?? "";
      for (const literal of seqItems(doc, mapGet(doc, generator, "literals"))) {
        const text = scalarText(literal);
        const eq = text?.indexOf("=") ?? -1;
        if (text === undefined || eq <= 0) continue;
        const key = text.slice(0, eq);
        const value = text.slice(eq + 1);
        const secret =
          field === "secretGenerator"
            ? value.trim().length >= 4 && !isPlaceholderValue(value)
              ? { evidence: `${key}=${redactSecret(value)}`, digest: secretDigest(value) }
              : undefined
            : literalSecret(key, value);
        if (!secret) continue;
        out.push(
          finding({
            ruleId: "k8s/literal-secret-in-env",
            position: at(src, literal, { line: 1, column: 1 }),
            message: `The ${field} \`${generated}\` has \`${key}\` as a literal: the secret is in the repository; generate it from a file kept out of git (\`envs:\`/\`files:\` with SOPS or a secret manager) instead.`,
            anchor: `kustomize|${field}:${generated}|${key}:${secret.digest}`,
            evidence: secret.evidence,
          }),
        );
      }
    }
  }
  return out;
}
