import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { clip, depLabel } from "./describe.js";
import { dependencyView } from "./model.js";
import { loadNpmLists } from "./typosquat.js";

/**
 * Install scripts run with the developer's or CI's privileges on `npm install`,
 * before anyone reads the code: the usual way a compromised package acts.
 * Reported when a lockfile entry newly carries `hasInstallScript` (pnpm
 * `requiresBuild`), and when the project's own package.json gains or changes
 * a preinstall / install / postinstall hook.
 *
 * Calibrated so the finding is worth reading: a new dependency on a widely
 * used package whose install script is how it ships native code (`esbuild`,
 * `fsevents`, `sharp`) is a low note, and so is the project's own hook, which
 * the reviewer reads in this very diff. A dependency that *gains* a script
 * in an update stays medium whatever its popularity: that is how hijacked
 * popular packages (ua-parser-js, the 2025 "Shai-Hulud" worm) acted.
 */
export const installScript = defineCheck({
  kind: "change",
  name: "deps/install-script",
  families: ["deps"],
  rules: ["deps/install-script"],
  async run(change) {
    const view = dependencyView(change);
    const out: RawFinding[] = [];
    const addsScript = view.diffs.some((d) => d.kind === "added" && d.after?.hasInstallScript);
    const popularNames = addsScript ? await widelyUsedNames() : undefined;
    const install = installCommand(view.head?.format ?? "");
    for (const diff of view.diffs) {
      const dep = diff.after;
      if (!dep?.hasInstallScript || diff.before?.hasInstallScript) continue;
      const gained = diff.kind !== "added";
      const popular = !gained && popularNames?.has(dep.name) === true;
      out.push({
        ruleId: "deps/install-script",
        line: dep.line,
        message: gained
          ? `${depLabel(dep)} now runs an install script (it did not at ${diff.before?.version ?? "base"}): it executes on every \`${install}\`, in CI too.`
          : popular
            ? `New dependency ${depLabel(dep)} runs an install script on every \`${install}\`; it is a widely used package, where that usually builds or fetches native code.`
            : `New dependency ${depLabel(dep)} runs an install script: it executes on every \`${install}\`, in CI too, before anyone reads its code.`,
        anchor: `lock:${dep.key}@${dep.version ?? ""}`,
        ...(popular ? { severity: "low" as const } : {}),
      });
    }
    if (view.head && view.head.scripts.length > 0) {
      const before = new Map((view.base?.scripts ?? []).map((s) => [s.name, s.command]));
      for (const script of view.head.scripts) {
        if (before.get(script.name) === script.command) continue;
        const isNew = !before.has(script.name);
        out.push({
          ruleId: "deps/install-script",
          line: script.line,
          message: `${isNew ? "Adds" : "Changes"} the \`${script.name}\` script (\`${clip(script.command, 120)}\`): it runs on every \`npm install\` of this project, on developer machines and in CI.`,
          anchor: `script:${script.name}:${clip(script.command, 500)}`,
          // The hook's command is in this diff for the reviewer to read: a note, not a warning.
          severity: "low",
        });
      }
    }
    return out;
  },
});

/** The install command of the package manager that wrote the lockfile. */
function installCommand(format: string): string {
  if (format.startsWith("pnpm-lock")) return "pnpm install";
  if (format.startsWith("yarn.lock")) return "yarn install";
  return "npm install";
}

let widelyUsed: Set<string> | undefined;

/** npm's high-impact packages (top by downloads or dependents), as `npm-high-impact` ranks them. */
async function widelyUsedNames(): Promise<Set<string>> {
  widelyUsed ??= new Set((await loadNpmLists()).npmHighImpact);
  return widelyUsed;
}
