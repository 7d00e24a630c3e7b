import type { RawFinding } from "../../review/types.js";
import type { ChangeCheck } from "../types.js";
import { depLabel } from "./describe.js";
import { dependencyView } from "./model.js";
import { classifySource, type SourceVerdict } from "./sources.js";

/**
 * A dependency that does not come from a registry escapes everything a
 * registry gives: immutable versions, advisories, malware takedowns, and
 * lockfile integrity. Git refs move, tarball hosts change content, plain http
 * can be rewritten in transit, and local paths point outside the review.
 */
export const nonRegistrySource: ChangeCheck = {
  kind: "change",
  name: "deps/non-registry-source",
  families: ["deps"],
  rules: ["deps/non-registry-source"],
  run(change, ctx) {
    const allowed = ctx.config.deps["allowed-hosts"];
    const out: RawFinding[] = [];
    for (const diff of dependencyView(change).diffs) {
      const dep = diff.after;
      if (!dep) continue;
      const verdict = classifySource(dep, allowed);
      if (!verdict) continue;
      // Unchanged source: not introduced by this change.
      if (diff.before && diff.before.source === dep.source) continue;
      out.push({
        ruleId: "deps/non-registry-source",
        line: dep.line,
        message: message(depLabel(dep), verdict),
        anchor: `${dep.key}:${verdict.kind}:${verdict.shown}`,
      });
    }
    return out;
  },
};

function message(label: string, v: SourceVerdict): string {
  switch (v.kind) {
    case "git":
      return `${label} is installed from git (\`${v.shown}\`), not a registry: a branch or tag can be moved to other code, and no advisory or takedown covers it.`;
    case "http":
      return `${label} is downloaded over plain http (\`${v.shown}\`): anyone on the network path can replace the package.`;
    case "url":
      return `${label} is downloaded from \`${v.host ?? v.shown}\`, a host outside the allowed registries (add it to \`deps.allowed-hosts\` if it is your own registry).`;
    case "file":
      return `${label} comes from a local path (\`${v.shown}\`), outside any registry: whatever is at that path at install time is used.`;
    case "link":
      return `${label} is linked from a path outside the repository (\`${v.shown}\`): its code is not part of this review.`;
  }
}
