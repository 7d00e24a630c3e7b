import { dockerfileOf } from "../../formats/dockerfile.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { anchor, atInstruction, onePerDockerInstruction } from "./findings.js";

/**
 * `ADD https://…` downloads at build time and trusts whatever comes back: no
 * checksum, no signature, and a moving target for every rebuild. BuildKit's
 * `ADD --checksum=sha256:…` pins the bytes.
 */

const RULE = "docker/add-remote-url";
const REMOTE = /^(https?|ftp):\/\/|^git@|^git:\/\//i;

export const addRemoteUrl = defineCheck({
  kind: "snapshot",
  name: "docker/add-remote",
  families: ["docker"],
  rules: [RULE],
  merge: onePerDockerInstruction,
  run(file) {
    const model = dockerfileOf(file);
    const out: RawFinding[] = [];
    for (const instruction of model.instructions) {
      if (instruction.keyword !== "ADD") continue;
      if (instruction.flags.some((f) => f.name === "checksum" && f.value)) continue;
      const operands = instruction.json ?? instruction.words;
      for (const source of operands.slice(0, -1)) {
        if (!REMOTE.test(source)) continue;
        const plain = /^(http|ftp|git):/i.test(source) ? " over an unencrypted connection" : "";
        out.push(
          atInstruction(
            RULE,
            instruction,
            `\`ADD ${source}\` downloads${plain} at build time without verifying what it gets; add \`--checksum=sha256:<digest>\` to the ADD, or fetch it with \`curl\` and check a pinned SHA-256 before use.`,
            anchor(model.stageKey(instruction.stage), "ADD", source),
          ),
        );
      }
    }
    return out;
  },
});
