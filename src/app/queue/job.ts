/**
 * A webhook delivery as the work queue holds it: the event itself (so any
 * instance can run it after a restart), the installation whose token runs it,
 * and the key that serialises it. Pure: no I/O, no clock.
 */

/** The external id of the `tollgate` run on a merge group's commit (a pull request's run carries its number). */
export const MERGE_GROUP_EXTERNAL_ID = "merge-group";

export interface QueuedEvent {
  /** `X-GitHub-Delivery`: a redelivery carries the same id. */
  id: string;
  name: string;
  payload: Record<string, unknown>;
}

export interface Job {
  id: string;
  event: QueuedEvent;
  installationId?: number;
  /** "owner/repo": the repository the event is about, for logs and metrics. */
  repository: string;
  /** The pull request, when the event is about one. */
  pullNumber?: number;
  /** Jobs with one key never run at the same time, in any instance: one pull request, one merge group. */
  key: string;
  /** A newer coalescing job with the same key replaces this one while it waits (a newer head). */
  coalesce: boolean;
  /** Which of two coalescing jobs is newer: GitHub's `updated_at` of the pull request, else arrival. */
  order: number;
  receivedAt: number;
}

/** What the worker knows about the attempt it runs. */
export interface Attempt {
  /** 1 for the first run. */
  number: number;
  /** The last one: a failure now concludes the check run instead of retrying. */
  last: boolean;
  /**
   * An earlier attempt of this job started and did not finish (its instance
   * died, or it failed): a run it left in progress is abandoned, since this
   * job holds the key, so it is taken over at once.
   */
  resumed: boolean;
}

type Payload = {
  action?: string;
  installation?: { id?: number };
  repository?: { full_name?: string; name?: string; owner?: { login?: string } };
  pull_request?: { number?: number; updated_at?: string };
  issue?: { number?: number; pull_request?: unknown };
  check_run?: { external_id?: string | null; head_sha?: string; pull_requests?: Array<{ number: number }> };
  check_suite?: { id?: number; pull_requests?: Array<{ number: number }> };
  merge_group?: { head_sha?: string };
  changes?: { base?: unknown };
};

/** `pull_request` actions whose review a later one for the same pull request makes moot while queued. */
const COALESCING_ACTIONS = new Set(["opened", "reopened", "synchronize", "ready_for_review", "closed"]);

export function jobFromEvent(event: QueuedEvent, receivedAt: number): Job {
  const p = event.payload as Payload;
  const repository = repositoryOf(p);
  const pullNumber = pullNumberOfPayload(event.name, p);
  const coalesce =
    event.name === "pull_request" &&
    (COALESCING_ACTIONS.has(p.action ?? "") || (p.action === "edited" && p.changes?.base !== undefined));
  const updated = Date.parse(p.pull_request?.updated_at ?? "");
  return {
    id: event.id,
    event,
    ...(p.installation?.id !== undefined ? { installationId: p.installation.id } : {}),
    repository,
    ...(pullNumber !== undefined ? { pullNumber } : {}),
    key: keyOf(event.name, p, repository, pullNumber),
    coalesce,
    order: Number.isFinite(updated) ? updated : receivedAt,
    receivedAt,
  };
}

function repositoryOf(p: Payload): string {
  const r = p.repository;
  if (r?.full_name) return r.full_name;
  if (r?.owner?.login && r.name) return `${r.owner.login}/${r.name}`;
  return "unknown";
}

function pullNumberOfPayload(name: string, p: Payload): number | undefined {
  if (p.pull_request?.number !== undefined) return p.pull_request.number;
  if (name === "issue_comment") return p.issue?.pull_request ? p.issue.number : undefined;
  if (name === "check_run") {
    const ext = p.check_run?.external_id;
    if (ext && /^[1-9]\d{0,9}$/.test(ext)) return Number(ext);
    return p.check_run?.pull_requests?.[0]?.number;
  }
  if (name === "check_suite") return p.check_suite?.pull_requests?.[0]?.number;
  return undefined;
}

function keyOf(name: string, p: Payload, repository: string, pullNumber: number | undefined): string {
  const scope = `${p.installation?.id ?? "-"}/${repository.toLowerCase()}`;
  if (pullNumber !== undefined) return `${scope}#${pullNumber}`;
  if (name === "merge_group") return `${scope}@${p.merge_group?.head_sha ?? "merge-group"}`;
  // A merge group's run re-run: the same key as the group's own delivery, so the two never race.
  if (name === "check_run" && p.check_run?.external_id === MERGE_GROUP_EXTERNAL_ID)
    return `${scope}@${p.check_run.head_sha ?? "merge-group"}`;
  if (name === "check_suite") return `${scope}@suite-${p.check_suite?.id ?? "-"}`;
  return scope;
}

/** Of two coalescing jobs for one key, the one to keep. */
export function newer(a: Job, b: Job): Job {
  if (b.order !== a.order) return b.order > a.order ? b : a;
  return b.receivedAt >= a.receivedAt ? b : a;
}
