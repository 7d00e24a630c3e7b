import type { Context } from "probot";
import type { CheckConclusion } from "../report/check-run.js";
import { type MemberVerdict, mergeGroupOutput, mergeGroupUnknownOutput } from "../report/merge-group.js";
import type { ReviewDeps } from "./deps.js";
import { githubFor, withLog } from "./event-context.js";
import type { EventSource } from "./event-router.js";
import type { GitHubPort, MergeQueueEntry } from "./github/port.js";
import { concludeGivenUp } from "./job-failure.js";
import { MERGE_GROUP_EXTERNAL_ID } from "./queue/job.js";
import { isSupersededRun } from "./review-plan.js";

/**
 * Merge queues: a repository that requires `tollgate` gets a `tollgate` run on
 * each merge group's head commit, concluded from the verdicts Tollgate
 * already gave the pull requests in the group (the union: one failing or
 * unreviewed pull request fails the group). The group's commit is not
 * reviewed again: it holds exactly the reviewed changes rebased on the base
 * branch, and its verdict is known at once, so the queue is never held up.
 */

type MergeGroupPayload = {
  merge_group: { head_sha: string; head_ref: string; base_ref: string };
};

export function registerMergeGroup(app: EventSource, deps: ReviewDeps): void {
  app.on("merge_group.checks_requested", async (context) => {
    await answerMergeGroup(deps, context as unknown as Context);
  });
}

export { MERGE_GROUP_EXTERNAL_ID };

/** GitHub's merge queue branches: `gh-readonly-queue/<base branch>/pr-<number>-<head sha>`. */
const QUEUE_BRANCH = /^(?:refs\/heads\/)?gh-readonly-queue\/(.+)\/pr-\d+-[0-9a-f]+$/;

type CheckRunPayload = {
  check_run: { head_sha: string; check_suite?: { head_branch?: string | null } | null };
};

/**
 * "Re-run" on a merge group's `tollgate` run answers the group again from its
 * pull requests' verdicts now (one may have been re-reviewed since). A check
 * run names its group only by its suite's branch, which also names the base.
 */
export async function rerunMergeGroup(deps: ReviewDeps, context: Context): Promise<void> {
  const { check_run: run } = context.payload as unknown as CheckRunPayload;
  const branch = run.check_suite?.head_branch ?? "";
  const base = QUEUE_BRANCH.exec(branch)?.[1];
  if (base === undefined) {
    // Not a queue branch: there is no group to read, so the commit's run fails closed.
    const now = deps.now ?? (() => new Date());
    await failUnknown(githubFor(deps, context), run.head_sha, "its branch is not a merge queue branch", now);
    withLog(deps, context).log.warn({ headSha: run.head_sha }, "merge group re-run without a queue branch");
    return;
  }
  await answerMergeGroup(deps, context, {
    merge_group: { head_sha: run.head_sha, head_ref: `refs/heads/${branch}`, base_ref: `refs/heads/${base}` },
  });
}

async function answerMergeGroup(
  deps: ReviewDeps,
  context: Context,
  { merge_group: group } = context.payload as unknown as MergeGroupPayload,
): Promise<void> {
  const github = githubFor(deps, context);
  const { log } = withLog(deps, context);
  const now = deps.now ?? (() => new Date());
  let entries: MergeQueueEntry[];
  try {
    entries = await github.listMergeQueue(group.base_ref.replace(/^refs\/heads\//, ""));
  } catch (e) {
    await concludeGivenUp(github, {
      headSha: group.head_sha,
      externalId: MERGE_GROUP_EXTERNAL_ID,
      appId: deps.appId,
      error: e,
      now: now(),
      log,
      stage: "merge-group",
    });
    return;
  }
  const members = membersOf(entries, group.head_sha, group.head_ref);
  if (members.length === 0) {
    await failUnknown(github, group.head_sha, "it is not in the merge queue", now);
    log.warn({ headSha: group.head_sha }, "merge group not found in the merge queue: failed closed");
    return;
  }
  const id = (await github.createCheckRun(group.head_sha, MERGE_GROUP_EXTERNAL_ID, now())).id;
  const verdicts = await verdictsOf(github, members, deps.appId);
  const conclusion = mergeGroupConclusion(verdicts);
  await github.completeCheckRun(id, conclusion, mergeGroupOutput(verdicts, conclusion), now());
  log.info(
    { headSha: group.head_sha, pulls: verdicts.map((v) => v.pullNumber), conclusion },
    "merge group concluded",
  );
}

/** A group whose pull requests cannot be told fails closed, saying why. */
async function failUnknown(github: GitHubPort, headSha: string, why: string, now: () => Date): Promise<void> {
  const id = (await github.createCheckRun(headSha, MERGE_GROUP_EXTERNAL_ID, now())).id;
  await github.completeCheckRun(id, "failure", mergeGroupUnknownOutput(why), now());
}

/**
 * The pull requests a merge group holds: its own entry and every entry ahead
 * of it (each group is built on the ones before). When GitHub's entry for the
 * group's commit is not listed (yet), the pull request its branch names
 * (`gh-readonly-queue/<base>/pr-<n>-<sha>`) stands in for it.
 */
export function membersOf(
  entries: readonly MergeQueueEntry[],
  headSha: string,
  headRef: string,
): MergeQueueEntry[] {
  const named = /\/pr-(\d+)-[0-9a-f]+$/.exec(headRef)?.[1];
  const own =
    entries.find((e) => e.headSha === headSha) ??
    (named ? entries.find((e) => e.pullNumber === Number(named)) : undefined);
  if (!own) return [];
  return entries.filter((e) => e.position <= own.position).sort((a, b) => a.position - b.position);
}

async function verdictsOf(
  github: GitHubPort,
  members: readonly MergeQueueEntry[],
  appId: number | undefined,
): Promise<MemberVerdict[]> {
  const verdicts: MemberVerdict[] = [];
  for (const m of members) {
    const runs = await github.listCheckRunsForRef(m.pullHeadSha, appId);
    // GitHub's required check reads the newest run of a name on a commit; so does this.
    const newest = [...runs].sort((a, b) => b.id - a.id)[0];
    const concluded = newest?.status === "completed" && !isSupersededRun(newest);
    verdicts.push({
      pullNumber: m.pullNumber,
      headSha: m.pullHeadSha,
      conclusion: concluded ? newest.conclusion : null,
    });
  }
  return verdicts;
}

/** The union: any failure or missing review fails; neutral if any is neutral; else success. */
export function mergeGroupConclusion(verdicts: readonly MemberVerdict[]): CheckConclusion {
  if (verdicts.some((v) => v.conclusion !== "success" && v.conclusion !== "neutral")) return "failure";
  return verdicts.some((v) => v.conclusion === "neutral") ? "neutral" : "success";
}
