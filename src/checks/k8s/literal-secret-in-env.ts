import type { YamlSource } from "../../formats/yaml.js";
import { mapEntries, mapGet, scalarText, seqItems } from "../../formats/yaml.js";
import { redactSecret } from "../../review/redact.js";
import type { RawFinding } from "../../review/types.js";
import { literalSecret, secretDigest } from "../containers/index.js";
import { defineCheck } from "../define.js";
import { isPlaceholderValue } from "../secrets/detector.js";
import { at, describeContainer, describeObject, finding } from "./findings.js";
import { k8sModelOf, type Manifest } from "./model.js";

const RULE = "k8s/literal-secret-in-env";

/**
 * Secrets written into the manifest, which lands in git and in every
 * `kubectl get -o yaml`: a secret-named `env` entry with a literal `value:`
 * (not `valueFrom.secretKeyRef`), a Secret's `stringData` or `data` values,
 * and secret-named keys of a ConfigMap. What a secret is and how it is shown
 * is the secrets family's (`isSecretAssignment`, `redactSecret`).
 */
export const literalSecretInEnv = defineCheck({
  kind: "snapshot",
  name: "k8s/literal-secret-in-env",
  families: ["k8s"],
  rules: [RULE],
  run(file) {
    const model = k8sModelOf(file);
    const { src } = model;
    const out: RawFinding[] = [];
    for (const c of model.containers) {
      const { doc } = c.pod.manifest;
      for (const item of seqItems(doc, mapGet(doc, c.node, "env"))) {
        const name = scalarText(mapGet(doc, item, "name"));
        const valueNode = mapGet(doc, item, "value");
        const found = name === undefined ? undefined : literalSecret(name, scalarText(valueNode));
        if (!found) continue;
        out.push(
          finding({
            ruleId: RULE,
            position: at(src, valueNode, c.at),
            message: `The ${describeContainer(c)} gets \`${name}\` as a literal value in the manifest; keep it in a Secret and use \`valueFrom.secretKeyRef\`.`,
            anchor: `${c.id}|env:${name}:${found.digest}`,
            evidence: found.evidence,
          }),
        );
      }
    }
    for (const m of model.manifests) {
      if (m.kind === "Secret" && m.apiVersion === "v1") out.push(...secretData(src, m));
      else if (m.kind === "ConfigMap" && m.apiVersion === "v1") out.push(...configMapData(src, m));
    }
    return out;
  },
});

function secretData(src: YamlSource, m: Manifest): RawFinding[] {
  const out: RawFinding[] = [];
  for (const field of ["stringData", "data"]) {
    for (const e of mapEntries(m.doc, mapGet(m.doc, m.node, field))) {
      const raw = scalarText(e.value);
      if (raw === undefined) continue;
      const value = field === "data" ? decodeBase64(raw) : raw;
      if (value === undefined || value.trim().length < 4 || isPlaceholderValue(value)) continue;
      out.push(
        finding({
          ruleId: RULE,
          position: at(src, e.value, m.at),
          message: `${describeObject(m)} holds \`${e.key}\` in its \`${field}\`${field === "data" ? " (base64 is an encoding, not encryption)" : ""}: the secret is in the repository; create the Secret out of band (External Secrets, Sealed Secrets, SOPS) and commit only a reference.`,
          anchor: `${m.id}|${field}:${e.key}:${secretDigest(value)}`,
          evidence: `${e.key}=${redactSecret(value)}`,
        }),
      );
    }
  }
  return out;
}

function configMapData(src: YamlSource, m: Manifest): RawFinding[] {
  const out: RawFinding[] = [];
  for (const e of mapEntries(m.doc, mapGet(m.doc, m.node, "data"))) {
    const found = literalSecret(e.key, scalarText(e.value));
    if (!found) continue;
    out.push(
      finding({
        ruleId: RULE,
        position: at(src, e.value, m.at),
        message: `${describeObject(m)} holds a secret-looking \`${e.key}\`: ConfigMaps are readable by anyone who can read the namespace's configuration; move it to a Secret.`,
        anchor: `${m.id}|data:${e.key}:${found.digest}`,
        evidence: found.evidence,
      }),
    );
  }
  return out;
}

function decodeBase64(text: string): string | undefined {
  const t = text.replace(/\s+/g, "");
  if (t.length > 65_536 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return undefined;
  return Buffer.from(t, "base64").toString("utf8");
}
