import { LRUCache } from "lru-cache";
import { type Advisory, type AdvisoryQuery, type AdvisorySource, AdvisoryUnavailable } from "./advisories.js";
import { isSafeId, type OsvRecord, toAdvisory } from "./osv-mapping.js";

/**
 * The OSV client: the only place in Tollgate that does network I/O for
 * advisories. One `POST /v1/querybatch` per 1,000 package versions, then
 * `GET /v1/vulns/{id}` only for the ids that hit, a few at a time. What a
 * record means for the queried package (severity, fixed version, malware) is
 * pure mapping, in `osv-mapping.ts`.
 *
 * Every failure to get an answer (refused connection, timeout, 5xx, a body
 * that is not OSV JSON, a body too large) becomes `AdvisoryUnavailable`, so
 * the review can say "vulnerability data unavailable" instead of crashing or,
 * worse, passing silently.
 */

export const DEFAULT_OSV_URL = "https://api.osv.dev";
/** OSV rejects larger batches with "too many queries". */
export const MAX_BATCH_QUERIES = 1000;
/** Follow-up rounds for results OSV paginated (past 1,000 vulns per query or 3,000 per batch). */
const MAX_PAGE_ROUNDS = 10;

export interface OsvClientOptions {
  /** API base, e.g. a mirror; no trailing `/v1`. Default https://api.osv.dev. */
  baseUrl?: string;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
  /** Budget for one whole `lookup` (all batches and details). Default 30 s. */
  deadlineMs?: number;
  /** Detail requests in flight at once. Default 8. */
  concurrency?: number;
  /** Largest response body read. Default 32 MiB (what OSV itself caps HTTP/1.1 answers at). */
  maxResponseBytes?: number;
  /** How long an answer for one package version is reused. Default 1 hour. */
  cacheTtlMs?: number;
  /** Package versions remembered. Default 20,000. */
  cacheSize?: number;
  /** Injected for tests; defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

interface OsvQuery {
  package: { ecosystem: string; name: string };
  version: string;
  page_token?: string;
}

interface BatchResult {
  vulns?: Array<{ id: string; modified?: string }>;
  next_page_token?: string;
}

export class OsvClient implements AdvisorySource {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  private readonly concurrency: number;
  private readonly maxResponseBytes: number;
  private readonly fetchImpl: typeof fetch;
  /** Hits (ids) per package version. Empty arrays are cached too: "no known vulnerability" is an answer. */
  private readonly answers: LRUCache<string, readonly string[]>;
  /** Full records by id; re-read when querybatch reports a newer `modified`. */
  private readonly records: LRUCache<string, OsvRecord>;

  constructor(options: OsvClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_OSV_URL).replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.deadlineMs = options.deadlineMs ?? 30_000;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.maxResponseBytes = options.maxResponseBytes ?? 32 * 1024 * 1024;
    this.fetchImpl = options.fetch ?? fetch;
    const ttl = options.cacheTtlMs ?? 60 * 60 * 1000;
    this.answers = new LRUCache({ max: options.cacheSize ?? 20_000, ttl });
    this.records = new LRUCache({ max: 5_000, ttl });
  }

  async lookup(queries: AdvisoryQuery[]): Promise<Advisory[][]> {
    const deadline = AbortSignal.timeout(this.deadlineMs);
    const keys = queries.map(queryKey);
    // One read of the cache per version, so an entry cannot expire halfway through this lookup.
    const ids = new Map<string, readonly string[]>();
    const missing = new Map<string, AdvisoryQuery>();
    keys.forEach((key, i) => {
      if (ids.has(key) || missing.has(key)) return;
      const cached = this.answers.get(key);
      if (cached) ids.set(key, cached);
      else missing.set(key, queries[i]!);
    });

    // Details only for ids that hit, each id once even when many versions share it.
    const wanted = new Map<string, string | undefined>();
    for (const hits of ids.values()) for (const id of hits) wanted.set(id, undefined);
    const fresh = new Map<string, Array<{ id: string; modified?: string }>>();
    const pending = [...missing.entries()];
    for (let start = 0; start < pending.length; start += MAX_BATCH_QUERIES) {
      const chunk = pending.slice(start, start + MAX_BATCH_QUERIES);
      const hits = await this.queryBatch(
        chunk.map(([, q]) => q),
        deadline,
      );
      chunk.forEach(([key], i) => {
        const vulns = hits[i]!;
        fresh.set(key, vulns);
        ids.set(key, [...new Set(vulns.map((v) => v.id))]);
        for (const v of vulns) wanted.set(v.id, v.modified);
      });
    }

    const details = new Map<string, OsvRecord | undefined>();
    await mapBounded([...wanted.entries()], this.concurrency, async ([id, modified]) => {
      details.set(id, await this.record(id, modified, deadline));
    });

    // Cache answers only once their details were read, so a half-failed lookup is retried next time.
    for (const [key, vulns] of fresh) {
      if (vulns.every((v) => details.get(v.id))) this.answers.set(key, ids.get(key)!);
    }

    return queries.map((q, i) => (ids.get(keys[i]!) ?? []).map((id) => toAdvisory(id, details.get(id), q)));
  }

  /** One batch (≤1,000 queries), following OSV's per-query pagination a bounded number of rounds. */
  private async queryBatch(
    queries: AdvisoryQuery[],
    deadline: AbortSignal,
  ): Promise<Array<Array<{ id: string; modified?: string }>>> {
    const out = queries.map(() => [] as Array<{ id: string; modified?: string }>);
    let round: Array<{ index: number; pageToken?: string }> = queries.map((_, index) => ({ index }));
    for (let n = 0; round.length > 0 && n < MAX_PAGE_ROUNDS; n++) {
      const body = {
        queries: round.map(({ index, pageToken }): OsvQuery => {
          const q = queries[index]!;
          const query: OsvQuery = { package: { ecosystem: q.ecosystem, name: q.name }, version: q.version };
          if (pageToken) query.page_token = pageToken;
          return query;
        }),
      };
      const json = await this.request("POST", "/v1/querybatch", deadline, body);
      const results = (json as { results?: unknown } | null)?.results;
      if (!Array.isArray(results) || results.length !== round.length) {
        throw new AdvisoryUnavailable(
          `OSV at ${this.baseUrl} answered querybatch with ${Array.isArray(results) ? `${results.length} results for ${round.length} queries` : "no results list"}`,
        );
      }
      const next: typeof round = [];
      results.forEach((raw: unknown, i) => {
        const result = (raw ?? {}) as BatchResult;
        const slot = round[i]!;
        for (const v of Array.isArray(result.vulns) ? result.vulns : []) {
          if (v && typeof v.id === "string" && isSafeId(v.id)) out[slot.index]!.push(v);
        }
        if (typeof result.next_page_token === "string" && result.next_page_token) {
          next.push({ index: slot.index, pageToken: result.next_page_token });
        }
      });
      round = next;
    }
    return out;
  }

  /** The full record, or undefined when only its details could not be read (the hit itself still counts). */
  private async record(id: string, modified: string | undefined, deadline: AbortSignal) {
    const cached = this.records.get(id);
    // A known `modified` that differs means the record changed since we read it.
    if (cached && (modified === undefined || cached.modified === modified)) return cached;
    try {
      const json = (await this.request("GET", `/v1/vulns/${encodeURIComponent(id)}`, deadline)) as OsvRecord;
      if (!json || typeof json !== "object" || json.id !== id) return undefined;
      this.records.set(id, json);
      return json;
    } catch (e) {
      if (deadline.aborted) throw e;
      return undefined;
    }
  }

  private describeFailure(error: unknown, deadline: AbortSignal): string {
    if (deadline.aborted) {
      return `OSV at ${this.baseUrl} did not finish answering within ${seconds(this.deadlineMs)} s`;
    }
    const name = (error as Error)?.name;
    if (name === "TimeoutError" || name === "AbortError") {
      return `OSV at ${this.baseUrl} did not answer within ${seconds(this.timeoutMs)} s`;
    }
    const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
    const why = cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
    return `OSV at ${this.baseUrl} could not be reached (${why})`;
  }

  private async request(method: "GET" | "POST", path: string, deadline: AbortSignal, body?: unknown) {
    const url = `${this.baseUrl}${path}`;
    const signal = AbortSignal.any([AbortSignal.timeout(this.timeoutMs), deadline]);
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        signal,
        headers: {
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new AdvisoryUnavailable(this.describeFailure(e, deadline));
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new AdvisoryUnavailable(
        `OSV at ${this.baseUrl} answered ${response.status} to ${method} ${path}`,
      );
    }
    let text: string;
    try {
      text = await readBounded(response, this.maxResponseBytes);
    } catch (e) {
      if (e instanceof AdvisoryUnavailable) throw e;
      throw new AdvisoryUnavailable(this.describeFailure(e, deadline));
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AdvisoryUnavailable(
        `OSV at ${this.baseUrl} answered ${method} ${path} with a body that is not JSON`,
      );
    }
  }
}

function queryKey(q: AdvisoryQuery): string {
  return `${q.ecosystem}\u0000${q.name}\u0000${q.version}`;
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

async function readBounded(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw new AdvisoryUnavailable(`OSV answer too large (${declared} bytes, limit ${limit})`);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new AdvisoryUnavailable(`OSV answer too large (over ${limit} bytes)`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function mapBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Where OSV lives: `TOLLGATE_OSV_URL` (the operator's word) over the
 * repository's `deps.osv-url` over the public API.
 *
 * A repository's configuration may only name a public `https` URL: the app
 * runs on someone's network, and a URL from a repository must not make it
 * probe `localhost`, private addresses or cloud metadata endpoints on the
 * repository's behalf. Mirrors on internal hosts are set with the variable.
 */
export function resolveOsvUrl(env: NodeJS.ProcessEnv = process.env, configured?: string): string {
  const fromEnv = env.TOLLGATE_OSV_URL?.trim();
  if (fromEnv) return fromEnv;
  if (configured && isPublicHttpsUrl(configured)) return configured;
  return DEFAULT_OSV_URL;
}

/** `https://` and a DNS name that is not local, internal or an IP literal. */
export function isPublicHttpsUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol !== "https:" || url.username || url.password) return false;
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (!host.includes(".") || host.startsWith("[") || /^[\d.]+$/.test(host) || /^0x/i.test(host)) return false;
  return !/(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/.test(host);
}

const MAX_SHARED_CLIENTS = 16;
const shared = new Map<string, OsvClient>();

/**
 * The advisory source for the app and the CLI. Clients are shared per base URL
 * and timeout, so the cache survives from one push to the next.
 */
export function createAdvisorySource(options: { baseUrl?: string; timeoutMs?: number } = {}): AdvisorySource {
  const baseUrl = options.baseUrl ?? DEFAULT_OSV_URL;
  const key = `${baseUrl}\u0000${options.timeoutMs ?? ""}`;
  let client = shared.get(key);
  if (!client) {
    // Each distinct URL keeps its own cache; a bounded number of them (URLs come from configuration).
    if (shared.size >= MAX_SHARED_CLIENTS) shared.delete(shared.keys().next().value!);
    client = new OsvClient({ baseUrl, timeoutMs: options.timeoutMs });
    shared.set(key, client);
  }
  return client;
}
