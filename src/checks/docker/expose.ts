import { dockerfileOf } from "../../formats/dockerfile.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { anchor, atInstruction, onePerDockerInstruction } from "./findings.js";

/**
 * A container that exposes SSH usually runs an SSH daemon next to the
 * application: another login surface with its own keys and passwords, when
 * `docker exec` / `kubectl exec` already give operators a shell.
 */

const RULE = "docker/expose-ssh";

/** `22`, `22/tcp`, or a range such as `20-25`. */
export function exposesSsh(port: string): boolean {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(port.trim());
  if (!m) return false;
  if (m[3] && m[3].toLowerCase() !== "tcp") return false;
  const low = Number(m[1]);
  const high = m[2] ? Number(m[2]) : low;
  return low <= 22 && 22 <= high;
}

export const exposeSsh = defineCheck({
  kind: "snapshot",
  name: "docker/expose",
  families: ["docker"],
  rules: [RULE],
  merge: onePerDockerInstruction,
  run(file) {
    const model = dockerfileOf(file);
    const out: RawFinding[] = [];
    for (const instruction of model.instructions) {
      if (instruction.keyword !== "EXPOSE") continue;
      const port = instruction.words.find(exposesSsh);
      if (!port) continue;
      out.push(
        atInstruction(
          RULE,
          instruction,
          `\`EXPOSE ${port}\` publishes SSH, which means an SSH daemon and its credentials ship in the image; drop it and use \`docker exec\` / \`kubectl exec\` for shell access.`,
          anchor(model.stageKey(instruction.stage), "EXPOSE", port),
        ),
      );
    }
    return out;
  },
});
