import { dockerfileOf } from "../../formats/dockerfile.js";
import { defineCheck } from "../define.js";
import { anchor, atInstruction, onePerDockerInstruction } from "./findings.js";

/**
 * Without a HEALTHCHECK the runtime only knows whether the process exists, not
 * whether it still serves; a hung service keeps receiving traffic. Hygiene
 * rather than security, hence off by default.
 */

const RULE = "docker/missing-healthcheck";

export const missingHealthcheck = defineCheck({
  kind: "snapshot",
  name: "docker/healthcheck",
  families: ["docker"],
  rules: [RULE],
  merge: onePerDockerInstruction,
  run(file) {
    const model = dockerfileOf(file);
    const final = model.stages[model.stages.length - 1];
    if (!final) return [];
    const chain = model.ancestry(final);
    // `HEALTHCHECK NONE` is an explicit decision and counts as present.
    if (chain.some((s) => s.instructions.some((i) => i.keyword === "HEALTHCHECK"))) return [];
    return [
      atInstruction(
        RULE,
        final.from,
        `The final stage (\`FROM ${final.from.words[0] ?? ""}\`) has no \`HEALTHCHECK\`, so a hung service looks healthy; add one, e.g. \`HEALTHCHECK CMD wget -qO- http://localhost:8080/health || exit 1\`.`,
        anchor("final", "no-healthcheck"),
      ),
    ];
  },
});
