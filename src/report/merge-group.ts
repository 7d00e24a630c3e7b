import type { CheckConclusion, CheckOutput } from "./check-run.js";

/**
 * The `tollgate` run on a merge group: each queued pull request's verdict,
 * read from the run on its latest reviewed head, and why the group's
 * conclusion follows (pure).
 */

export interface MemberVerdict {
  pullNumber: number;
  headSha: string;
  /** The concluded run's conclusion; null when the head has no concluded review. */
  conclusion: string | null;
}

const PASSING = new Set(["success", "neutral"]);

export function mergeGroupOutput(
  members: readonly MemberVerdict[],
  conclusion: CheckConclusion,
): CheckOutput {
  const blocking = members.filter((m) => !PASSING.has(m.conclusion ?? ""));
  const title =
    conclusion === "failure"
      ? `Merge group: ${blocking.length} of ${members.length} pull requests not passing`
      : `Merge group: ${members.length} pull request${members.length === 1 ? "" : "s"}, all reviewed`;
  const rows = members.map(
    (m) => `| #${m.pullNumber} | \`${m.headSha.slice(0, 12)}\` | ${m.conclusion ?? "not reviewed"} |`,
  );
  return {
    title,
    summary: [
      "The merge group's verdict is the union of the `tollgate` verdicts of the pull requests in it, each on its latest reviewed head: it fails when any of them failed or has no concluded review.",
      "",
      "| Pull request | Head | Verdict |",
      "|---|---|---|",
      ...rows,
    ].join("\n"),
  };
}

export function mergeGroupUnknownOutput(reason: string): CheckOutput {
  return {
    title: "Merge group: its pull requests could not be told",
    summary: `Tollgate could not tell which pull requests this merge group holds (${reason}), so it cannot vouch for it: the check fails closed. Requeue the pull requests to try again.`,
  };
}
