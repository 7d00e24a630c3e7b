import {
  type DockerfileModel,
  type DockerInstruction,
  dockerfileOf,
  type Stage,
  substitute,
} from "../../formats/dockerfile.js";
import type { SnapshotCheck } from "../types.js";
import { anchor, atInstruction } from "./findings.js";

/**
 * A container runs as the last `USER` of the stage it is built from — root
 * when there is none. Root in the container turns any code-execution bug into
 * full control of the container and a much shorter path out of it.
 */

const RULE = "docker/runs-as-root";

export const runsAsRoot: SnapshotCheck = {
  kind: "snapshot",
  name: "docker/user",
  families: ["docker"],
  rules: [RULE],
  run(file) {
    const model = dockerfileOf(file);
    const final = model.stages[model.stages.length - 1];
    if (!final) return [];
    const chain = model.ancestry(final);
    const user = lastUser(chain);
    if (user) {
      const effective = effectiveUser(model, chain, user);
      if (effective === undefined || !isRoot(effective.user)) return [];
      const inherited = user.stage !== final.index ? " (inherited from an earlier stage)" : "";
      return [
        atInstruction(
          RULE,
          user,
          `\`USER ${user.args}\`${effective.how} is the last USER of the final stage${inherited}, so the container runs as root; switch back to an unprivileged user after the steps that need root, e.g. \`USER 10001\`.`,
          anchor("final", "USER", user.args),
        ),
      ];
    }
    const root = chain[chain.length - 1]!;
    if (root.base.kind === "image" && /nonroot|rootless/i.test(root.base.ref.text)) return [];
    return [
      atInstruction(
        RULE,
        final.from,
        `The final stage (\`FROM ${final.from.words[0] ?? ""}\`) sets no \`USER\`, so the container runs as root; create an unprivileged user and switch to it, e.g. \`RUN useradd --uid 10001 app\` then \`USER 10001\`.`,
        anchor("final", "no-user"),
      ),
    ];
  },
};

function lastUser(chain: readonly Stage[]): DockerInstruction | undefined {
  for (const stage of chain) {
    const users = stage.instructions.filter((i) => i.keyword === "USER" && i.args !== "");
    if (users.length > 0) return users[users.length - 1];
  }
  return undefined;
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

/** `root`, `0`, `root:root`, `0:0`, quoted or not, and an empty user (Docker's default, root). */
export function isRoot(user: string): boolean {
  const name = unquote(user).split(":")[0]!.trim();
  return name === "" || name === "root" || /^0+$/.test(name);
}
