import {
  type DockerfileModel,
  type DockerInstruction,
  type ImageRef,
  type Stage,
  substitute,
} from "../../formats/dockerfile.js";
import { type BaseOs, type BaseUser, baseOsOf, baseUserOf } from "./base-users.js";

/**
 * Who runs a given point of a Dockerfile: the last `USER` in effect (quotes
 * removed, variables expanded as Docker does), else the base image's user.
 * Shared by docker/runs-as-root (user.ts), the sibling-image lookup
 * (siblings.ts) and sudo.ts; in a module of its own so that user.ts and
 * siblings.ts, which need each other's answers, do not import each other.
 */

/** What a base image built by another Dockerfile of the same change runs as, when that can be told. */
export type SiblingLookup = (ref: ImageRef) => BaseUser | undefined;

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

const VARIABLE_NAME = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * The user a `USER` instruction names once Docker has removed quotes and
 * expanded variables, with a note for the message when that took expansion.
 * Undefined when it cannot be known (a build argument without a default, a
 * variable the base image may set): a variable is given the benefit of the doubt.
 */
export function effectiveUser(
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
