/**
 * One review of one pull request head, from check run to inline comments.
 *
 *   reviewPullRequest(octokit, { owner, repo, pullNumber, reason, headSha?, pull? }, deps): Promise<ReviewOutcome>
 *
 * - `octokit`: an installation-authenticated Octokit (`context.octokit`).
 * - `reason`: why the review runs. `opened`, `reopened`, `synchronize` and
 *   `ready_for_review` are idempotent: when Tollgate already has a run on the
 *   head SHA, nothing new is created. `base_changed` (the PR was retargeted),
 *   `rerequested`, `requested_action`, `recheck` and `ignore` always create a fresh run (the slash commands call
 *   it with `recheck` and, after `/tollgate ignore`, with `ignore`).
 * - `headSha`: the commit to review; defaults to the pull request's head. When
 *   it is no longer the head, the run on it concludes `neutral` ("superseded").
 * - `pull`: the pull request from the webhook payload, saving one read.
 * - `deps`: see `ReviewDeps` (build one with `createReviewDeps`).
 *
 * Idempotency lives in GitHub's own state (runs named `tollgate` on the SHA,
 * fingerprint markers in comments), so any number of instances agree without
 * a shared store.
 */
import type { AdvisorySource } from "../checks/types.js";
import { type OwnCommentTest, ownComments } from "../commands/ledger.js";
import {
  annotationsFor,
  batches,
  type CheckAnnotation,
  type CheckConclusion,
  type CheckOutput,
  checkRunOutput,
  configErrorOutput,
  SUPERSEDED_TITLE,
  supersededOutput,
  truncate,
} from "../report/check-run.js";
import { GITHUB_TEXT_LIMIT } from "../report/markdown.js";
import type { Config } from "../review/config.js";
import { runReview } from "../review/engine.js";
import { fileByteLimitForPath } from "../review/file-limits.js";
import { ruleCatalog } from "../review/rules.js";
import type { Review } from "../review/types.js";
import { BlobCache } from "./blob-cache.js";
import { changeSetFromPull } from "./change-set.js";
import { ConfigLoadError, loadRepoConfig, nearestOnError } from "./config-loader.js";
import {
  failureConclusion,
  failureOf,
  failureOutput,
  type OnError,
  oneLine,
  type ReviewStage,
} from "./fail-closed.js";
import {
  appendAnnotations,
  completeCheckRun,
  createCheckRun,
  type ExistingCheckRun,
  getPull,
  listOwnCheckRuns,
  listPullFiles,
  type PullSummary,
  type RepoRef,
  requestIdOf,
  statusOf,
} from "./gateway.js";
import { postReview } from "./review-posting.js";
import {
  type CommandSuppressions,
  loadCommandSuppressions,
  type SuppressionsRequest,
} from "./suppressions-source.js";
import type { Log, Octokit } from "./types.js";

export { WRITE_BUDGET } from "./review-posting.js";

export type ReviewReason =
  | "opened"
  | "reopened"
  | "synchronize"
  | "ready_for_review"
  | "base_changed"
  | "rerequested"
  | "requested_action"
  | "recheck"
  | "ignore";

/** Reasons that review again even when the head commit already has a verdict. */
const FORCED: ReadonlySet<ReviewReason> = new Set([
  "base_changed",
  "rerequested",
  "requested_action",
  "recheck",
  "ignore",
]);

export interface ReviewTarget extends RepoRef {
  pullNumber: number;
  reason: ReviewReason;
  headSha?: string;
  pull?: PullSummary;
}

export interface ReviewDeps {
  log: Log;
  /** Tollgate's GitHub App id: only its own check runs count as "already reviewed". */
  appId?: number;
  /** Where rule pages live (`TOLLGATE_DOCS_URL`). */
  docsBaseUrl?: string;
  blobCache: BlobCache;
  /** The vulnerability source for this configuration, or undefined to skip lookups. */
  advisories?: (config: Config) => AdvisorySource | undefined;
  /** The `/tollgate ignore` suppressions (the slash-command work owns the default). */
  loadSuppressions?: (req: SuppressionsRequest) => Promise<CommandSuppressions>;
  now?: () => Date;
  /** Total bytes one review may read (the engine stops analysing further files past it). */
  maxTotalBytes?: number;
  /** An `in_progress` run older than this was abandoned (a crashed instance): it is taken over. */
  staleAfterMs?: number;
  /** Most annotations sent per run (50 per request). */
  maxAnnotations?: number;
  /** Tollgate's bot account (`<slug>[bot]`): only its comments' markers count. */
  botLogin?: () => Promise<string | undefined>;
}

export function createReviewDeps(partial: Partial<ReviewDeps> & { log: Log }): ReviewDeps {
  return { blobCache: new BlobCache(), ...partial };
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

export function reviewPullRequest(
  octokit: Octokit,
  target: ReviewTarget,
  deps: ReviewDeps,
): Promise<ReviewOutcome> {
  const key = `${target.owner}/${target.repo}#${target.pullNumber}`.toLowerCase();
  const previous = inFlight.get(key);
  const run = (previous ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => reviewNow(octokit, target, deps));
  inFlight.set(key, run);
  const forget = () => {
    if (inFlight.get(key) === run) inFlight.delete(key);
  };
  run.then(forget, forget);
  return run;
}

async function reviewNow(octokit: Octokit, target: ReviewTarget, deps: ReviewDeps): Promise<ReviewOutcome> {
  const ref: RepoRef = { owner: target.owner, repo: target.repo };
  const log = deps.log.child({ pr: `${ref.owner}/${ref.repo}#${target.pullNumber}`, reason: target.reason });
  const now = deps.now ?? (() => new Date());
  const pull = target.pull ?? (await getPull(octokit, ref, target.pullNumber));
  if (pull.state !== "open") return { kind: "skipped", reason: "the pull request is closed" };
  const headSha = target.headSha ?? pull.head.sha;
  const writes = { count: 0 };

  // A re-run asked for on an old commit: answer there, then make sure the current head is reviewed.
  if (headSha !== pull.head.sha) {
    const run = await createCheckRun(octokit, ref, headSha, String(target.pullNumber), now());
    await settleCheckRun(octokit, ref, run.id, "neutral", supersededOutput(pull.head.sha), now(), log);
    log.info({ headSha, current: pull.head.sha }, "rerun on a superseded commit");
    // Already inside this pull request's turn: review the head directly, not behind ourselves.
    await reviewNow(octokit, { ...target, reason: "synchronize", headSha: undefined, pull }, deps);
    return { kind: "superseded", checkRunId: run.id, by: pull.head.sha };
  }

  let checkRunId: number | undefined;
  if (!FORCED.has(target.reason)) {
    const existing = await listOwnCheckRuns(octokit, ref, headSha, deps.appId);
    // GitHub's required check reads the newest run of a name on a commit, so only the newest counts.
    const newest = [...existing].sort((a, b) => b.id - a.id)[0];
    if (newest && newest.conclusion !== "skipped" && !isSupersededRun(newest)) {
      const staleBefore = now().getTime() - (deps.staleAfterMs ?? DEFAULT_STALE_AFTER_MS);
      const abandoned =
        newest.status !== "completed" &&
        newest.started_at !== null &&
        Date.parse(newest.started_at) < staleBefore;
      if (!abandoned) {
        log.info({ headSha, checkRunId: newest.id }, "already reviewed (or being reviewed)");
        return { kind: "skipped", reason: `already reviewed in check run ${newest.id}` };
      }
      // Left in progress by a crashed instance: take it over instead of adding another.
      checkRunId = newest.id;
    }
  }
  if (checkRunId === undefined) {
    checkRunId = (await createCheckRun(octokit, ref, headSha, String(target.pullNumber), now())).id;
    writes.count++;
  }

  // Every exception from here on concludes the run: `stage` names what broke, `onError` (once the
  // configuration is known) and any verdict already reached decide the conclusion.
  let stage: ReviewStage = "rules";
  let onError: OnError | undefined;
  let verdict: CheckConclusion | undefined;
  try {
    const catalog = ruleCatalog();
    stage = "config";
    const loaded = await loadRepoConfig(octokit, ref, catalog.ids());
    if (!loaded.ok) {
      onError = loaded.onError;
      stage = "post";
      const issues = loaded.issues.map((i) => ({
        ...i,
        path: i.path && oneLine(i.path),
        message: oneLine(i.message),
      }));
      await completeCheckRun(
        octokit,
        ref,
        checkRunId,
        loaded.onError,
        configErrorOutput(issues, loaded.source),
        now(),
      );
      return { kind: "failed", checkRunId, message: `invalid configuration in ${loaded.source}` };
    }
    const config = loaded.config;
    onError = config["on-error"];

    if (pull.draft && !config["review-drafts"]) {
      stage = "post";
      await completeCheckRun(
        octokit,
        ref,
        checkRunId,
        "skipped",
        {
          title: "Draft: not reviewed",
          summary:
            "This repository sets `review-drafts: false`. Tollgate reviews the pull request when it is marked ready for review.",
        },
        now(),
      );
      return { kind: "completed", checkRunId, conclusion: "skipped", commented: 0, fixedReplies: 0 };
    }

    stage = "files";
    const { files, capped } = await listPullFiles(octokit, ref, target.pullNumber);
    const repoConfig = config;
    const changeSet = changeSetFromPull(files, {
      octokit,
      ref,
      baseSha: pull.base.sha,
      headSha,
      maxFileBytes: (path) => fileByteLimitForPath(repoConfig, path).bytes,
      cache: deps.blobCache,
      capped,
      changedFiles: pull.changed_files,
    });
    stage = "commands";
    const { suppressions, notes: commandNotes } = await (deps.loadSuppressions ?? loadCommandSuppressions)({
      octokit,
      ...ref,
      pullNumber: target.pullNumber,
      prAuthor: pull.user?.login ?? "",
      config,
      log,
      isOwn: await ownCommentTest(deps, log),
    });
    stage = "engine";
    const advisories = deps.advisories?.(config);
    const review = await runReview(changeSet, {
      config,
      catalog,
      services: advisories ? { advisories } : {},
      suppressions,
      notes: commandNotes,
      limits: { maxTotalBytes: deps.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES },
    });

    verdict = review.verdict.conclusion;

    // The head may have moved while the review ran: its own review is (or will be) on the new head.
    stage = "head";
    const current = await getPull(octokit, ref, target.pullNumber);
    if (current.head.sha !== headSha) {
      stage = "post";
      await completeCheckRun(octokit, ref, checkRunId, "neutral", supersededOutput(current.head.sha), now());
      return { kind: "superseded", checkRunId, by: current.head.sha };
    }

    stage = "report";
    const report = { docsBaseUrl: deps.docsBaseUrl };
    const output = checkRunOutput(review, {
      ...report,
      preamble: [`Compared \`${pull.base.sha.slice(0, 12)}\`…\`${headSha.slice(0, 12)}\`.`, ""],
    });
    const maxAnnotations = deps.maxAnnotations ?? DEFAULT_MAX_ANNOTATIONS;
    const annotations = annotationsFor(review, report);
    if (annotations.length > maxAnnotations) {
      const note = `\n\n_Only the first ${maxAnnotations} of ${annotations.length} findings are annotated._`;
      output.summary = `${truncate(output.summary, GITHUB_TEXT_LIMIT - note.length)}${note}`;
    }
    const [first = [], ...rest] = batches(annotations.slice(0, maxAnnotations));
    const conclusion: CheckConclusion = review.verdict.conclusion;
    stage = "post";
    try {
      await completeCheckRun(octokit, ref, checkRunId, conclusion, { ...output, annotations: first }, now());
      writes.count++;
      for (const batch of rest) {
        await appendAnnotations(octokit, ref, checkRunId, output, batch);
        writes.count++;
      }
    } catch (e) {
      if (statusOf(e) !== 422) throw e;
      // An annotation GitHub will not place must not cost the verdict: conclude without them.
      log.warn({ err: e, requestId: requestIdOf(e) }, "annotations rejected (422); completing without them");
      writes.count++;
      const note = `\n\n_GitHub rejected the line annotations (request id \`${requestIdOf(e) ?? "unavailable"}\`); every finding is listed above._`;
      await completeCheckRun(
        octokit,
        ref,
        checkRunId,
        conclusion,
        { ...output, summary: `${truncate(output.summary, GITHUB_TEXT_LIMIT - note.length)}${note}` },
        now(),
      );
    }

    // The gate is settled; comments are a courtesy, so their failure is logged, not fatal.
    let commented = 0;
    let fixedReplies = 0;
    try {
      ({ commented, fixedReplies } = await postReview(
        octokit,
        ref,
        target.pullNumber,
        headSha,
        files,
        review,
        { config, report, log, writes, botLogin: deps.botLogin },
      ));
    } catch (e) {
      log.warn({ err: e, requestId: requestIdOf(e) }, "could not post the review comments");
    }
    log.info(
      {
        headSha,
        conclusion,
        findings: review.findings.length,
        commented,
        fixedReplies,
        writes: writes.count,
      },
      "review completed",
    );
    return { kind: "completed", checkRunId, conclusion, review, commented, fixedReplies };
  } catch (e) {
    if (e instanceof ConfigLoadError) onError = e.onError;
    // The configuration was never reached (the rule catalogue broke): its own file may still say `neutral`.
    onError ??= await nearestOnError(octokit, ref);
    const failure =
      e instanceof ConfigLoadError
        ? { stage, reason: e.message, ...(e.requestId ? { requestId: e.requestId } : {}) }
        : failureOf(stage, e);
    const { conclusion, basis } = failureConclusion(verdict, onError);
    log.error(
      { stage, reason: failure.reason, requestId: failure.requestId, conclusion, err: scrubbedError(e) },
      "review failed",
    );
    await settleCheckRun(
      octokit,
      ref,
      checkRunId,
      conclusion,
      failureOutput(failure, conclusion, basis),
      now(),
      log,
    );
    return { kind: "failed", checkRunId, message: failure.reason, requestId: failure.requestId };
  }
}

/**
 * Completes a run, retrying once: a run left `in_progress` blocks a required
 * check until a later event takes it over (`staleAfterMs`). The retry drops
 * the annotations, in case they were what GitHub refused. Never throws.
 */
async function settleCheckRun(
  octokit: Octokit,
  ref: RepoRef,
  checkRunId: number,
  conclusion: CheckConclusion,
  output: CheckOutput & { annotations?: CheckAnnotation[] },
  at: Date,
  log: Log,
): Promise<boolean> {
  const { annotations: _dropped, ...plain } = output;
  for (const attempt of [1, 2]) {
    try {
      await completeCheckRun(octokit, ref, checkRunId, conclusion, attempt === 1 ? output : plain, at);
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

/**
 * A run that said "superseded" when its commit stopped being the head. If the
 * head comes back to that commit (a force-push back), its verdict must be given again.
 */
function isSupersededRun(run: ExistingCheckRun): boolean {
  return run.conclusion === "neutral" && (run.output?.title ?? "").startsWith(SUPERSEDED_TITLE);
}

/** Recognises Tollgate's own comments by its app id and bot account; when the account cannot be learned, by the app id alone. */
export async function ownCommentTest(
  deps: Pick<ReviewDeps, "appId" | "botLogin">,
  log: Log,
): Promise<OwnCommentTest> {
  let botLogin: string | undefined;
  try {
    botLogin = await deps.botLogin?.();
  } catch (e) {
    log.warn(
      { err: e },
      "could not learn the app's bot login; trusting only comments GitHub marks as this app's",
    );
  }
  return ownComments({
    ...(botLogin ? { botLogin } : {}),
    ...(deps.appId !== undefined ? { appId: deps.appId } : {}),
  });
}
