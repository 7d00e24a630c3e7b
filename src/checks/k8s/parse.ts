import { defineCheck } from "../define.js";
import { k8sModelOf } from "./model.js";

/**
 * Reports a manifest file whose YAML does not parse, once, at the line of the
 * first broken document's error; the other documents of the file are still
 * reviewed by the family's checks, which share this memoised model. A stream
 * cut short by a bound on hostile input (too many documents, too deep) is a
 * note, not a finding.
 */
export const manifestParse = defineCheck({
  kind: "snapshot",
  stage: "parse",
  name: "k8s/parse",
  families: ["k8s"],
  rules: [],
  run(file, ctx) {
    const model = k8sModelOf(file);
    if (model.limited) ctx.note({ level: "warning", path: file.path, message: model.limited });
    if (model.error) throw model.error;
    return [];
  },
});
