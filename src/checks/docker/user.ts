import {
  type DockerfileModel,
  type DockerInstruction,
  dockerfileOf,
  type ImageRef,
  type Stage,
  substitute,
} from "../../formats/dockerfile.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import type { FileChange, FileVersion } from "../types.js";
import { type BaseOs, type BaseUser, baseOsOf, baseUserOf, nonRootFix } from "./base-users.js";
import { anchor } from "./findings.js";
import { type SiblingLookup, siblingLookup } from "./siblings.js";

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

/** Who runs a given point of a Dockerfile. */
export type UserAt =
  /** A USER instruction decides; `user` undefined when a variable cannot be resolved. */
  | {
      kind: "instruction";
      instruction: DockerInstruction;
      user: string | undefined;
      how: string;
      root: boolean;
    }
  /** No USER before it: the base image decides. */
  | { kind: "base"; ref: ImageRef; written: string; base: BaseUser; os: BaseOs }
  | { kind: "scratch" }
  /** The base is a build argument without a default (or cannot be resolved). */
  | { kind: "unresolved"; written: string };

/**
 * The user in effect at `before` (or at the end of `stage` when absent):
 * the last USER above it in the stage and its ancestor stages, else the base image's user.
 */
export function userAt(
  model: DockerfileModel,
  stage: Stage,
  before?: DockerInstruction,
  lookup?: SiblingLookup,
): UserAt {
  const chain = model.ancestry(stage);
  for (let i = 0; i < chain.length; i++) {
    let last: DockerInstruction | undefined;
    for (const instruction of chain[i]!.instructions) {
      if (i === 0 && before && instruction.line >= before.line) break;
      if (instruction.keyword === "USER" && instruction.args !== "") last = instruction;
    }
    if (last) {
      const effective = effectiveUser(model, chain, last);
      return {
        kind: "instruction",
        instruction: last,
        user: effective?.user,
        how: effective?.how ?? "",
        root: effective !== undefined && isRoot(effective.user),
      };
    }
  }
  const root = chain[chain.length - 1]!;
  const written = root.from.words[0] ?? "";
  if (root.base.kind === "scratch") return { kind: "scratch" };
  if (root.base.kind !== "image") return { kind: "unresolved", written };
  const ref = root.base.ref;
  const known = baseUserOf(ref);
  // What the same change builds wins over what the published image did.
  const sibling = lookup?.(ref);
  return { kind: "base", ref, written, base: sibling ?? known, os: baseOsOf(ref) };
}

/** Whether the user at this point is root, not root, or cannot be known. */
export function rootness(at: UserAt): "root" | "nonroot" | "unknown" {
  switch (at.kind) {
    case "instruction":
      return at.root ? "root" : "nonroot";
    case "scratch":
      return "root";
    case "unresolved":
      return "unknown";
    case "base":
      return at.base.kind;
  }
}

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

const VARIABLE_NAME = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * The user a `USER` instruction names once Docker has removed quotes and
 * expanded variables, with a note for the message when that took expansion.
 * Undefined when it cannot be known (a build argument without a default, a
 * variable the base image may set): a variable is given the benefit of the doubt.
 */
function effectiveUser(
  model: DockerfileModel,
  chain: readonly Stage[],
  user: DockerInstruction,
): { user: string; how: string } | undefined {
  const written = unquote(user.args);
  if (!written.includes("$")) return { user: written, how: "" };
  const { vars, hiddenGlobals } = scopeAt(model, chain, user);
  const { text, resolved } = substitute(written, vars);
  if (!resolved) return undefined;
  const names = [...written.matchAll(VARIABLE_NAME)].map((m) => m[1]!);
  const hidden = names.filter((n) => hiddenGlobals.has(n));
  if (text.trim() === "") {
    const name = hidden[0];
    const why = name
      ? ` (\`${name}\` is an ARG declared before the first FROM and not redeclared in this stage: add \`ARG ${name}\` after the FROM)`
      : "";
    return { user: "", how: ` expands to nothing${why}` };
  }
  return { user: text, how: ` (\`${text}\` through its ARG or ENV value)` };
}

/**
 * The variables visible at `user`: ENV inherited through the stage chain,
 * then the stage's own ARG and ENV up to that line. A global ARG (before the
 * first FROM) is visible in a stage only when redeclared there (`ARG NAME`
 * takes its default); otherwise Docker expands it to an empty string.
 */
function scopeAt(
  model: DockerfileModel,
  chain: readonly Stage[],
  user: DockerInstruction,
): { vars: Map<string, string | undefined>; hiddenGlobals: Set<string> } {
  const env = new Map<string, string | undefined>();
  const at = chain.findIndex((s) => s.index === user.stage);
  let vars = new Map<string, string | undefined>();
  let hiddenGlobals = new Set<string>();
  for (let i = chain.length - 1; i >= Math.max(at, 0); i--) {
    hiddenGlobals = new Set([...model.globalArgs.keys()].filter((name) => !env.has(name)));
    vars = new Map<string, string | undefined>([...[...hiddenGlobals].map((n) => [n, ""] as const), ...env]);
    for (const instruction of chain[i]!.instructions) {
      if (instruction === user) break;
      if (instruction.keyword !== "ARG" && instruction.keyword !== "ENV") continue;
      const isArg = instruction.keyword === "ARG";
      for (const { name, value } of instruction.properties) {
        // ENV always wins over an ARG of the same name.
        if (isArg && env.has(name)) continue;
        hiddenGlobals.delete(name);
        let resolvedValue: string | undefined;
        if (value === undefined) resolvedValue = isArg ? model.globalArgs.get(name) : undefined;
        else {
          const expanded = substitute(value, vars);
          resolvedValue = expanded.resolved ? expanded.text : undefined;
        }
        vars.set(name, resolvedValue);
        if (!isArg) env.set(name, resolvedValue);
      }
    }
  }
  return { vars, hiddenGlobals };
}

function unquote(text: string): string {
  return text.trim().replace(/["']/g, "");
}

/**
 * `root`, `0`, `root:root`, `0:0`, quoted or not, an empty user (Docker's
 * default, root) and Windows' `ContainerAdministrator`.
 */
export function isRoot(user: string): boolean {
  const name = unquote(user).split(":")[0]!.trim();
  return (
    name === "" || name === "root" || /^0+$/.test(name) || name.toLowerCase() === "containeradministrator"
  );
}
