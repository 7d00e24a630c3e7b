import { createHash } from "node:crypto";
import { parseSuppressionComment } from "../../review/suppressions.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";

/**
 * A pull request that adds `tollgate:ignore` silences the gate for itself:
 * show every such comment so a reviewer sees it, whether or not it is valid.
 */
export const suppressionAdded = defineCheck({
  kind: "change",
  name: "meta/suppression-added",
  families: "all",
  rules: ["meta/suppression-added"],
  linesOnly: true,
  run(change, ctx) {
    const out: RawFinding[] = [];
    for (const [line, text] of change.added) {
      if (!text.includes("tollgate:ignore")) continue;
      const parsed = parseSuppressionComment(text, line, change.path);
      if (!parsed || !("scope" in parsed)) continue;
      const what = parsed.scope === "file" ? "the whole file" : "this line and the next";
      const denied = ctx.config["inline-suppressions"] === "deny";
      out.push({
        ruleId: "meta/suppression-added",
        line,
        message: `Adds an inline suppression of ${parsed.ruleIds.join(", ")} for ${what}: "${parsed.reason}".${denied ? " This repository denies inline suppressions, so it has no effect." : " Check that the reason holds before approving."}`,
        anchor: `${parsed.scope}:${parsed.ruleIds.join(",")}:${createHash("sha256").update(parsed.reason).digest("hex").slice(0, 12)}`,
      });
    }
    return out;
  },
});
