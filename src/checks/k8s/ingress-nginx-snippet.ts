import { mapEntries, mapGet } from "../../formats/yaml.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { at, describeObject, finding } from "./findings.js";
import { k8sModelOf } from "./model.js";

/**
 * `nginx.ingress.kubernetes.io/*-snippet` annotations on an Ingress: raw
 * NGINX configuration that runs in the controller, which holds every
 * Secret of the cluster it serves (CVE-2021-25742, CVE-2025-1974 class).
 */
export const ingressNginxSnippet = defineCheck({
  kind: "snapshot",
  name: "k8s/ingress-nginx-snippet",
  families: ["k8s"],
  rules: ["k8s/ingress-nginx-snippet"],
  run(file) {
    const model = k8sModelOf(file);
    const out: RawFinding[] = [];
    for (const m of model.manifests) {
      if (m.kind !== "Ingress") continue;
      const annotations = mapGet(m.doc, mapGet(m.doc, m.node, "metadata"), "annotations");
      for (const e of mapEntries(m.doc, annotations)) {
        if (!/^nginx\.ingress\.kubernetes\.io\/[a-z-]*snippet$/i.test(e.key)) continue;
        out.push(
          finding({
            ruleId: "k8s/ingress-nginx-snippet",
            position: at(model.src, e.keyNode, m.at),
            message: `${describeObject(m)} sets \`${e.key}\`: raw NGINX configuration runs inside the ingress controller, which can read every Secret it serves; use the controller's typed annotations, or keep snippets disabled (\`allow-snippet-annotations: false\`).`,
            anchor: `${m.id}|annotation:${e.key}`,
          }),
        );
      }
    }
    return out;
  },
});
