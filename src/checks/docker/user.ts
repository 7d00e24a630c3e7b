import {
  type DockerfileModel,
  type DockerInstruction,
  dockerfileOf,
  type ImageRef,
  type Stage,
} from "../../formats/dockerfile.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import type { FileChange, FileVersion } from "../types.js";
import { type BaseOs, baseOsOf, nonRootFix } from "./base-users.js";
import { anchor } from "./findings.js";
import { siblingLookup } from "./siblings.js";
import { effectiveUser, isRoot, type SiblingLookup, userAt } from "./user-at.js";

/**
 * A container runs as the last `USER` of the stage it is built from, else as
 * the user its base image sets. Root in the container turns any code-execution
 * bug into full control of the container and a much shorter path out of it.
 *
 * A review-level check: a base image built by another Dockerfile of the same
 * change (the dotnet-docker pattern, `FROM $REPO:tag` of an image whose own
 * Dockerfile ends with `USER $APP_UID`) is followed, so it needs every changed
 * Dockerfile at once. It keeps only what is new at head itself, by anchor, as
 * the engine does for snapshot checks.
 */

const RULE = "docker/runs-as-root";

export const runsAsRoot = defineCheck({
  kind: "review",
  name: "docker/user",
  families: ["docker"],
  rules: [RULE],
  async run(changes, ctx) {
    const docker = changes.filter((c) => c.families.includes("docker"));
    const heads = siblingLookup(docker.flatMap((c) => (c.head ? [{ path: c.path, file: c.head }] : [])));
    const bases =
      ctx.mode === "diff"
        ? siblingLookup(
            docker.flatMap((c) => (c.base ? [{ path: c.previousPath ?? c.path, file: c.base }] : [])),
          )
        : undefined;
    const out: RawFinding[] = [];
    for (const change of docker) {
      if (!change.head) continue;
      const head = findingsIn(change.head, heads.forFile(change.path));
      if (head.length === 0) continue;
      const base =
        bases && change.base
          ? findingsIn(change.base, bases.forFile(change.previousPath ?? change.path))
          : [];
      out.push(...onlyNew(head, base, change));
    }
    return out;
  },
});

/** Head findings whose anchor is absent at base (a multiset: a second copy is new). */
function onlyNew(head: RawFinding[], base: RawFinding[], change: FileChange): RawFinding[] {
  const left = new Map<string, number>();
  for (const b of base) left.set(b.anchor, (left.get(b.anchor) ?? 0) + 1);
  const fresh: RawFinding[] = [];
  for (const h of head) {
    const n = left.get(h.anchor) ?? 0;
    if (n > 0) left.set(h.anchor, n - 1);
    else fresh.push({ ...h, path: change.path });
  }
  return fresh;
}

function findingsIn(file: FileVersion, lookup: SiblingLookup): RawFinding[] {
  const model = dockerfileOf(file);
  const final = model.stages[model.stages.length - 1];
  if (!final) return [];
  const at = userAt(model, final, undefined, lookup);
  const from = `\`FROM ${final.from.words[0] ?? ""}\``;
  switch (at.kind) {
    case "instruction": {
      if (!at.root) return [];
      const user = at.instruction;
      const inherited = user.stage !== final.index ? " (inherited from an earlier stage)" : "";
      const fix = switchBackFix(model, final, user);
      return [
        {
          ruleId: RULE,
          line: user.line,
          column: user.column,
          message: `\`USER ${user.args}\`${at.how} is the last USER of the final stage${inherited}, so the container runs as ${windowsish(model, final) ? "ContainerAdministrator" : "root"}; ${fix}.`,
          fix: `${capitalize(fix)}.`,
          anchor: anchor("final", "USER", user.args),
        },
      ];
    }
    case "scratch": {
      const fix = "add `USER 10001:10001` (a numeric user needs no /etc/passwd entry)";
      return [
        {
          ruleId: RULE,
          line: final.from.line,
          column: final.from.column,
          message: `The final stage (${from}) sets no \`USER\`, and an image built from scratch has no users, so the container runs as uid 0; ${fix}.`,
          fix: `${capitalize(fix)}.`,
          anchor: anchor("final", "no-user", "root"),
        },
      ];
    }
    case "unresolved":
      return [cannotTell(final, `${from} names a build argument without a default`)];
    case "base": {
      if (at.base.kind === "nonroot") return [];
      if (at.base.kind === "unknown") {
        const resolved = at.written.includes("$") ? ` (\`${at.ref.text}\`)` : "";
        return [cannotTell(final, `${from}${resolved} is an image Tollgate does not know`, at.os, at.ref)];
      }
      const fix = nonRootFix(at.os, at.ref);
      const resolved = at.written.includes("$") ? ` (\`${at.ref.text}\` through its ARG default)` : "";
      return [
        {
          ruleId: RULE,
          line: final.from.line,
          column: final.from.column,
          message: `The final stage (${from}${resolved}) sets no \`USER\` and ${at.base.source}, so the container runs as root; ${fix}.`,
          fix: `${capitalize(fix)}.`,
          anchor: anchor("final", "no-user", "root"),
        },
      ];
    }
  }
}

function cannotTell(final: Stage, why: string, os: BaseOs = "unknown", ref?: ImageRef): RawFinding {
  const fix = nonRootFix(os, ref);
  return {
    ruleId: RULE,
    severity: "low",
    line: final.from.line,
    column: final.from.column,
    message: `Cannot tell which user the base image runs as: ${why}, and the final stage sets no \`USER\`. If that image does not set an unprivileged user, the container runs as root; ${fix}.`,
    fix: `Say which user runs the container: ${fix}.`,
    anchor: anchor("final", "no-user", "unknown"),
  };
}

/** After `USER root` at the end: name the unprivileged user the file already uses, if any. */
function switchBackFix(model: DockerfileModel, final: Stage, rootUser: DockerInstruction): string {
  const chain = model.ancestry(final);
  for (const stage of chain) {
    const earlier = stage.instructions.filter(
      (i) => i.keyword === "USER" && i !== rootUser && i.line < rootUser.line && i.args !== "",
    );
    for (const user of earlier.reverse()) {
      const effective = effectiveUser(model, chain, user);
      if (effective && !isRoot(effective.user))
        return `switch back to \`USER ${user.args}\` (line ${user.line}) after the steps that need root`;
    }
  }
  const base = userAt(model, chain[chain.length - 1]!, chain[chain.length - 1]!.from);
  if (base.kind === "base" && base.base.kind === "nonroot")
    return `switch back to the base image's user, \`USER ${base.base.user}\`, after the steps that need root`;
  const os = base.kind === "base" ? base.os : "unknown";
  if (os === "windows") return "switch back to `USER ContainerUser` after the steps that need it";
  return `end with an unprivileged user after the steps that need root: ${nonRootFix(os, base.kind === "base" ? base.ref : undefined)}`;
}

function windowsish(model: DockerfileModel, final: Stage): boolean {
  const chain = model.ancestry(final);
  const root = chain[chain.length - 1]!;
  return root.base.kind === "image" && baseOsOf(root.base.ref) === "windows";
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
