/**
 * One review of one pull request head, from check run to inline comments:
 *
 *   plan (review-plan.ts: create a run, take over an abandoned one, or skip)
 *   → run the engine on the pull request's files → render the check run
 *   → write the verdict, then the review comments (review-posting.ts).
 *
 * `reviewPullRequest(ctx, { reason, headSha? })` reviews the pull request of
 * the event's context (`PullRequestContext`). `headSha` defaults to the pull
 * request's head; when it is no longer the head, the run on it concludes
 * `neutral` ("superseded") and the head is reviewed instead.
 *
 * Idempotency lives in GitHub's own state (runs named `tollgate` on the SHA,
 * fingerprint markers in comments), so any number of instances agree without
 * a shared store.
 */
import {
  annotationsFor,
  batches,
  type CheckAnnotation,
  type CheckConclusion,
  type CheckOutput,
  checkRunOutput,
  configErrorOutput,
  supersededOutput,
  truncate,
} from "../report/check-run.js";
import { GITHUB_TEXT_LIMIT } from "../report/markdown.js";
import type { Config } from "../review/config.js";
import { runReview } from "../review/engine.js";
import { fileByteLimitForPath } from "../review/file-limits.js";
import type { Review } from "../review/types.js";
import { changeSetFromPull } from "./change-set.js";
import { ConfigLoadError, nearestOnError } from "./config-loader.js";
import type { ReviewDeps } from "./deps.js";
import { EngineThreadExit } from "./engine-pool.js";
import {
  failureConclusion,
  failureOf,
  failureOutput,
  type OnError,
  oneLine,
  type ReviewStage,
} from "./fail-closed.js";
import { requestIdOf, statusOf } from "./github/errors.js";
import type { PullFile, PullSummary } from "./github/port.js";
import type { PullRequestContext } from "./pull-request-context.js";
import { FORCED, planCheckRun, type ReviewReason } from "./review-plan.js";
import { postReview } from "./review-posting.js";
import { loadCommandSuppressions } from "./suppressions-source.js";
import type { Log } from "./types.js";

export { createReviewDeps, type ReviewDeps } from "./deps.js";
export type { ReviewReason } from "./review-plan.js";
export { WRITE_BUDGET } from "./review-posting.js";

export interface ReviewTarget {
  reason: ReviewReason;
  headSha?: string;
}

// Room for a large lockfile's head and base (25 MB each by default) besides the rest.
const DEFAULT_MAX_TOTAL_BYTES = 100_000_000;
const DEFAULT_STALE_AFTER_MS = 15 * 60_000;
const DEFAULT_MAX_ANNOTATIONS = 500;

export type ReviewOutcome =
  | { kind: "skipped"; reason: string }
  | { kind: "superseded"; checkRunId: number; by: string }
  | {
      kind: "completed";
      checkRunId: number;
      conclusion: CheckConclusion;
      review?: Review;
      commented: number;
      fixedReplies: number;
    }
  | { kind: "failed"; checkRunId: number; message: string; requestId?: string };

/**
 * Reviews of one pull request run one at a time in this process: `opened` and
 * `synchronize` (or a redelivery) arriving together would otherwise both list
 * the commit's runs before either created one, and both review. The second
 * waits, then finds the first one's run and stops. Across instances the
 * window is the time between listing runs and creating one (docs/github-app.md).
 */
const inFlight = new Map<string, Promise<ReviewOutcome>>();

export function reviewPullRequest(ctx: PullRequestContext, target: ReviewTarget): Promise<ReviewOutcome> {
  const { owner, repo } = ctx.github.repo;
  const key = `${owner}/${repo}#${ctx.pullNumber}`.toLowerCase();
  const previous = inFlight.get(key);
  const run = (previous ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => {
      // Another review of this pull request ran meanwhile: what it posted must be read.
      if (previous) ctx.forgetComments();
      return reviewNow(ctx, target);
    });
  inFlight.set(key, run);
  const forget = () => {
    if (inFlight.get(key) === run) inFlight.delete(key);
  };
  run.then(forget, forget);
  run.then(
    (outcome) => ctx.deps.onReviewed?.(outcome),
    () => undefined,
  );
  return run;
}

/** What one review knows while it runs: the step it is at, and what decides a failure's conclusion. */
interface Progress {
  ctx: PullRequestContext;
  log: Log;
  now: () => Date;
  checkRunId: number;
  headSha: string;
  stage: ReviewStage;
  onError?: OnError;
  verdict?: CheckConclusion;
  writes: { count: number };
}

async function reviewNow(ctx: PullRequestContext, target: ReviewTarget): Promise<ReviewOutcome> {
  const log = ctx.log.child({ reason: target.reason });
  const now = ctx.deps.now ?? (() => new Date());
  const pull = await ctx.pull();
  if (pull.state !== "open") return { kind: "skipped", reason: "the pull request is closed" };
  const headSha = target.headSha ?? pull.head.sha;
  const writes = { count: 0 };

  // A re-run asked for on an old commit: answer there, then make sure the current head is reviewed.
  if (headSha !== pull.head.sha) {
    const run = await ctx.github.createCheckRun(headSha, String(ctx.pullNumber), now());
    await settleCheckRun(ctx, run.id, "neutral", supersededOutput(pull.head.sha), now(), log);
    log.info({ headSha, current: pull.head.sha }, "rerun on a superseded commit");
    // Already inside this pull request's turn: review the head directly, not behind ourselves.
    await reviewNow(ctx, { reason: "synchronize" });
    return { kind: "superseded", checkRunId: run.id, by: pull.head.sha };
  }

  const plan = FORCED.has(target.reason)
    ? ({ kind: "create" } as const)
    : planCheckRun(
        await ctx.github.listCheckRunsForRef(headSha, ctx.deps.appId),
        now(),
        ctx.deps.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
      );
  if (plan.kind === "skip") {
    log.info({ headSha, checkRunId: plan.checkRunId }, "already reviewed (or being reviewed)");
    return { kind: "skipped", reason: `already reviewed in check run ${plan.checkRunId}` };
  }
  let checkRunId: number;
  if (plan.kind === "take-over") checkRunId = plan.checkRunId;
  else {
    checkRunId = (await ctx.github.createCheckRun(headSha, String(ctx.pullNumber), now())).id;
    writes.count++;
  }
  const progress: Progress = { ctx, log, now, checkRunId, headSha, stage: "rules", writes };
  try {
    return await reviewOnRun(progress, pull);
  } catch (e) {
    // A dead engine thread says nothing about the change: the job fails, and its retry takes the run over.
    if (e instanceof EngineThreadExit) throw e;
    return failRun(progress, e);
  }
}

/** Every exception from here on concludes the run: `stage` names what broke. */
async function reviewOnRun(p: Progress, pull: PullSummary): Promise<ReviewOutcome> {
  const { ctx, checkRunId } = p;
  ctx.catalog();
  p.stage = "config";
  const loaded = await ctx.loadedConfig();
  if (!loaded.ok) {
    p.onError = loaded.onError;
    p.stage = "post";
    const issues = loaded.issues.map((i) => ({
      ...i,
      path: i.path && oneLine(i.path),
      message: oneLine(i.message),
    }));
    await ctx.github.completeCheckRun(
      checkRunId,
      loaded.onError,
      configErrorOutput(issues, loaded.source),
      p.now(),
    );
    return { kind: "failed", checkRunId, message: `invalid configuration in ${loaded.source}` };
  }
  const config = loaded.config;
  p.onError = config["on-error"];
  if (pull.draft && !config["review-drafts"]) {
    p.stage = "post";
    await ctx.github.completeCheckRun(checkRunId, "skipped", DRAFT_OUTPUT, p.now());
    return { kind: "completed", checkRunId, conclusion: "skipped", commented: 0, fixedReplies: 0 };
  }

  const { review, files } = await runEngine(p, pull, config);
  p.verdict = review.verdict.conclusion;

  // The head may have moved while the review ran: its own review is (or will be) on the new head.
  p.stage = "head";
  const current = await ctx.currentPull();
  if (current.head.sha !== p.headSha) {
    p.stage = "post";
    await ctx.github.completeCheckRun(checkRunId, "neutral", supersededOutput(current.head.sha), p.now());
    return { kind: "superseded", checkRunId, by: current.head.sha };
  }

  p.stage = "report";
  const rendered = render(ctx.deps, review, pull.base.sha, p.headSha);
  p.stage = "post";
  await writeVerdict(p, rendered);
  const { commented, fixedReplies } = await writeComments(p, files, review, config, rendered.report);
  p.log.info(
    {
      headSha: p.headSha,
      conclusion: rendered.conclusion,
      findings: review.findings.length,
      commented,
      fixedReplies,
      writes: p.writes.count,
    },
    "review completed",
  );
  return { kind: "completed", checkRunId, conclusion: rendered.conclusion, review, commented, fixedReplies };
}

const DRAFT_OUTPUT: CheckOutput = {
  title: "Draft: not reviewed",
  summary:
    "This repository sets `review-drafts: false`. Tollgate reviews the pull request when it is marked ready for review.",
};

/** Lists the files, gathers the slash-command suppressions and runs the engine. */
async function runEngine(
  p: Progress,
  pull: PullSummary,
  config: Config,
): Promise<{ review: Review; files: readonly PullFile[] }> {
  const { ctx } = p;
  p.stage = "files";
  const { items: files, capped } = await ctx.github.listPullFiles(ctx.pullNumber);
  const changeSet = changeSetFromPull(files, {
    github: ctx.github,
    baseSha: pull.base.sha,
    headSha: p.headSha,
    maxFileBytes: (path) => fileByteLimitForPath(config, path).bytes,
    cache: ctx.deps.blobCache,
    capped,
    ...(pull.changed_files !== undefined ? { changedFiles: pull.changed_files } : {}),
  });
  p.stage = "commands";
  // A slash command of this event already read the ledger: the review applies exactly that.
  const load = ctx.hasLedger()
    ? loadCommandSuppressions
    : (ctx.deps.loadSuppressions ?? loadCommandSuppressions);
  const { suppressions, notes } = await load(ctx);
  p.stage = "engine";
  const advisories = ctx.deps.advisories?.(config);
  const review = await (ctx.deps.steps?.runReview ?? runReview)(changeSet, {
    config,
    catalog: ctx.catalog(),
    services: advisories ? { advisories } : {},
    suppressions,
    notes,
    limits: { maxTotalBytes: ctx.deps.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES },
  });
  return { review, files };
}

interface Rendered {
  conclusion: CheckConclusion;
  output: CheckOutput;
  batches: CheckAnnotation[][];
  report: { docsBaseUrl?: string };
}

/** The check run's text and its annotations in batches of 50 (pure). */
function render(deps: ReviewDeps, review: Review, baseSha: string, headSha: string): Rendered {
  const report = { docsBaseUrl: deps.docsBaseUrl };
  const output = (deps.steps?.checkRunOutput ?? checkRunOutput)(review, {
    ...report,
    preamble: [`Compared \`${baseSha.slice(0, 12)}\`…\`${headSha.slice(0, 12)}\`.`, ""],
  });
  const maxAnnotations = deps.maxAnnotations ?? DEFAULT_MAX_ANNOTATIONS;
  const annotations = annotationsFor(review, report);
  if (annotations.length > maxAnnotations) {
    const note = `\n\n_Only the first ${maxAnnotations} of ${annotations.length} findings are annotated._`;
    output.summary = `${truncate(output.summary, GITHUB_TEXT_LIMIT - note.length)}${note}`;
  }
  return {
    conclusion: review.verdict.conclusion,
    output,
    batches: batches(annotations.slice(0, maxAnnotations)),
    report,
  };
}

/** Concludes the run with the verdict; an annotation GitHub will not place must not cost the verdict. */
async function writeVerdict(p: Progress, r: Rendered): Promise<void> {
  const { github } = p.ctx;
  const [first = [], ...rest] = r.batches;
  try {
    await github.completeCheckRun(p.checkRunId, r.conclusion, { ...r.output, annotations: first }, p.now());
    p.writes.count++;
    for (const batch of rest) {
      await github.appendAnnotations(p.checkRunId, r.output, batch);
      p.writes.count++;
    }
  } catch (e) {
    if (statusOf(e) !== 422) throw e;
    p.log.warn({ err: e, requestId: requestIdOf(e) }, "annotations rejected (422); completing without them");
    p.writes.count++;
    const note = `\n\n_GitHub rejected the line annotations (request id \`${requestIdOf(e) ?? "unavailable"}\`); every finding is listed above._`;
    const summary = `${truncate(r.output.summary, GITHUB_TEXT_LIMIT - note.length)}${note}`;
    await github.completeCheckRun(p.checkRunId, r.conclusion, { ...r.output, summary }, p.now());
  }
}

/** The gate is settled; comments are a courtesy, so their failure is logged, not fatal. */
async function writeComments(
  p: Progress,
  files: readonly PullFile[],
  review: Review,
  config: Config,
  report: Rendered["report"],
): Promise<{ commented: number; fixedReplies: number }> {
  try {
    return await postReview(p.ctx, p.headSha, files, review, {
      config,
      report,
      log: p.log,
      writes: p.writes,
    });
  } catch (e) {
    p.log.warn({ err: e, requestId: requestIdOf(e) }, "could not post the review comments");
    return { commented: 0, fixedReplies: 0 };
  }
}

/** A review that broke concludes its run: `onError` and any verdict already reached decide how. */
async function failRun(p: Progress, e: unknown): Promise<ReviewOutcome> {
  const { stage, ctx } = p;
  let onError = p.onError;
  if (e instanceof ConfigLoadError) onError = e.onError;
  // The configuration was never reached (the rule catalogue broke): its own file may still say `neutral`.
  onError ??= await nearestOnError(ctx.github);
  const failure =
    e instanceof ConfigLoadError
      ? { stage, reason: e.message, ...(e.requestId ? { requestId: e.requestId } : {}) }
      : failureOf(stage, e);
  const { conclusion, basis } = failureConclusion(p.verdict, onError);
  p.log.error(
    { stage, reason: failure.reason, requestId: failure.requestId, conclusion, err: scrubbedError(e) },
    "review failed",
  );
  await settleCheckRun(
    ctx,
    p.checkRunId,
    conclusion,
    failureOutput(failure, conclusion, basis),
    p.now(),
    p.log,
  );
  return { kind: "failed", checkRunId: p.checkRunId, message: failure.reason, requestId: failure.requestId };
}

/**
 * Completes a run, retrying once: a run left `in_progress` blocks a required
 * check until a later event takes it over (`staleAfterMs`). The retry drops
 * the annotations, in case they were what GitHub refused. Never throws.
 */
async function settleCheckRun(
  ctx: PullRequestContext,
  checkRunId: number,
  conclusion: CheckConclusion,
  output: CheckOutput & { annotations?: CheckAnnotation[] },
  at: Date,
  log: Log,
): Promise<boolean> {
  const { annotations: _dropped, ...plain } = output;
  for (const attempt of [1, 2]) {
    try {
      await ctx.github.completeCheckRun(checkRunId, conclusion, attempt === 1 ? output : plain, at);
      return true;
    } catch (e) {
      const fields = { checkRunId, conclusion, attempt, status: statusOf(e), requestId: requestIdOf(e) };
      if (attempt === 1) log.warn(fields, "could not conclude the check run; retrying once");
      else
        log.error(
          fields,
          "could not conclude the check run: it stays in progress until a later event takes it over",
        );
    }
  }
  return false;
}

/** An error for the logs: its stack and message may quote what it choked on, so they are scrubbed. */
function scrubbedError(e: unknown): { type: string; message: string; stack?: string } {
  const type = e instanceof Error ? e.name : typeof e;
  const stack = e instanceof Error && e.stack ? e.stack.split("\n").slice(1).join("\n") : undefined;
  return { type, message: oneLine(e instanceof Error ? e.message : String(e)), ...(stack ? { stack } : {}) };
}
