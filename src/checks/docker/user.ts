import { type DockerInstruction, dockerfileOf, type Stage } from "../../formats/dockerfile.js";
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
      if (!isRoot(user.args)) return [];
      const inherited = user.stage !== final.index ? " (inherited from an earlier stage)" : "";
      return [
        atInstruction(
          RULE,
          user,
          `\`USER ${user.args}\` is the last USER of the final stage${inherited}, so the container runs as root; switch back to an unprivileged user after the steps that need root, e.g. \`USER 10001\`.`,
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

/** `root`, `0`, `root:root`, `0:0`; a variable is given the benefit of the doubt. */
export function isRoot(user: string): boolean {
  const name = user.trim().split(":")[0]!.trim();
  return name === "root" || /^0+$/.test(name);
}
