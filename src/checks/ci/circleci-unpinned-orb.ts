import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { ciFinding } from "./common.js";
import { ciFacts } from "./model.js";

/**
 * An orb is third-party configuration and code that runs in every job that
 * uses it, with the project's contexts and secrets. `@volatile` is "the
 * latest release", and `@5` or `@5.1` take any later release of that line:
 * only a full `x.y.z` is fixed (CircleCI publishes orb versions immutably).
 */
const RULE = "ci/circleci-unpinned-orb";
const PINNED = /@\d+\.\d+\.\d+$/;

export const circleciUnpinnedOrb = defineCheck({
  kind: "snapshot",
  name: "ci/circleci-unpinned-orb",
  families: ["ci"],
  rules: [RULE],
  run(file) {
    const facts = ciFacts(file);
    if (facts?.flavor !== "circleci") return [];
    const out: RawFinding[] = [];
    for (const orb of facts.orbs) {
      const reference = orb.reference.trim();
      // `<< pipeline.parameters.x >>`: unknown, not a finding.
      if (PINNED.test(reference) || reference.includes("<<")) continue;
      const version = reference.includes("@") ? reference.slice(reference.lastIndexOf("@") + 1) : "";
      const why =
        version === "volatile"
          ? "`@volatile` takes the latest release at every run"
          : version
            ? `\`@${version}\` takes any later release of that line`
            : "has no version";
      out.push(
        ciFinding({
          ruleId: RULE,
          at: orb,
          message: `The orb \`${orb.name}: ${reference}\` ${why}: a new release of third-party code runs in your jobs with their contexts and secrets, unreviewed.`,
          fix: "Pin the full version (`namespace/orb@x.y.z`) and update it through review.",
          anchor: `circleci/orbs/${orb.name}:${reference}`,
        }),
      );
    }
    return out;
  },
});
