import semver from "semver";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { clip } from "./describe.js";
import { type Dependency, dependencyView } from "./model.js";

/**
 * A floating spec (`*`, `latest`, `>=2` with no ceiling, a requirements line
 * with no version) installs whatever was published last, including a
 * hijacked release, on the next install. Only the project's direct
 * declarations are judged, and only where the file is meant to pin: caret
 * ranges in package.json and lower bounds in pyproject.toml are normal when
 * a lockfile pins the result.
 */
export const unpinnedVersion = defineCheck({
  kind: "change",
  name: "deps/unpinned-version",
  families: ["deps"],
  rules: ["deps/unpinned-version"],
  run(change) {
    const view = dependencyView(change);
    if (view.head?.kind !== "manifest") return [];
    const out: RawFinding[] = [];
    for (const diff of view.diffs) {
      const dep = diff.after;
      // Peer ranges are deliberately wide (`>=16.8`): the host project picks the version.
      if (!dep?.direct || dep.source || dep.peer) continue;
      const reason = unpinnedReason(dep, view.head.format);
      if (!reason) continue;
      if (
        diff.before &&
        unpinnedReason(diff.before, view.head.format) === reason &&
        diff.before.range === dep.range
      )
        continue;
      out.push({
        ruleId: "deps/unpinned-version",
        line: dep.line,
        message: `\`${dep.name}\` ${reason}: the next install takes whatever version was published last.`,
        anchor: `${dep.key}:${clip(dep.range ?? "", 200)}`,
      });
    }
    return out;
  },
});

/** Why a declared spec floats, or undefined when it is pinned or bounded. */
export function unpinnedReason(dep: Dependency, format: string): string | undefined {
  const range = (dep.range ?? "").trim();
  switch (dep.ecosystem) {
    case "npm": {
      if (range === "" || range === "*" || /^[xX]$/.test(range))
        return `accepts any version (\`${range || '""'}\`)`;
      if (!semver.validRange(range, { loose: true })) return `follows the dist-tag \`${clip(range, 40)}\``;
      return lowerBoundOnly(range) ? `has no upper bound (\`${clip(range, 60)}\`)` : undefined;
    }
    case "PyPI": {
      const requirementsFile = /requirements|constraints/i.test(format);
      if (range === "" || range === "*") {
        if (requirementsFile || format === "Pipfile") return "has no version";
        // Poetry's `flask = "*"` asks for anything; PEP 621 cannot write `*`, and its bare names are left to the lockfile.
        return format === "pyproject.toml" && range === "*" ? "accepts any version (`*`)" : undefined;
      }
      if ((requirementsFile || format === "Pipfile") && lowerBoundOnly(range)) {
        return `has no upper bound (\`${clip(range, 60)}\`)`;
      }
      return undefined;
    }
    case "crates.io":
    case "Packagist":
      if (range === "*" || /^dev-/.test(range)) return `accepts any version (\`${range}\`)`;
      return undefined;
    case "Maven":
      if (/^(LATEST|RELEASE)$/i.test(range) || /^latest\./.test(range) || /\+$/.test(range))
        return `floats (\`${range}\`)`;
      if (/^[[(][^,]*,\s*[)\]]$/.test(range)) return `has no upper bound (\`${range}\`)`;
      return undefined;
    case "NuGet":
      if (range.includes("*")) return `floats (\`${range}\`)`;
      return undefined;
    default:
      return undefined;
  }
}

/** `>=1.2`, `>1`, `>=1 !=1.5`: every comparator set has a floor and no ceiling. */
function lowerBoundOnly(range: string): boolean {
  const sets = range.split("||").map((s) => s.trim());
  return sets.some((set) => {
    const parts = set.split(/[\s,]+/).filter(Boolean);
    const hasFloor = parts.some((p) => /^>/.test(p));
    const hasCeiling = parts.some((p) => /^(<|~|\^|==|===)/.test(p) || /^\d/.test(p));
    return hasFloor && !hasCeiling;
  });
}
