import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { OsvRecord } from "../../src/services/osv-mapping.js";

/**
 * A stand-in for the OSV API on 127.0.0.1 (random port), for tests and demos.
 * It knows a few records and which package versions they affect, answers
 * `POST /v1/querybatch` and `GET /v1/vulns/{id}` like api.osv.dev, and records
 * every request so tests can assert batching and hydration.
 */

export interface StandInRecord {
  record: OsvRecord;
  /** `ecosystem/name@version` strings this record affects. */
  affects: string[];
}

export interface OsvStandIn {
  url: string;
  requests: Array<{ method: string; path: string; body?: unknown }>;
  /** Largest number of `/v1/vulns/` requests that were in flight at once. */
  maxConcurrentDetails: number;
  /** Replace the handler for the next requests (e.g. to answer 500, hang, or send garbage). */
  override?: (req: IncomingMessage, res: ServerResponse, body: string) => boolean | Promise<boolean>;
  /** Delay every detail answer by this many ms (to observe parallelism). */
  detailDelayMs: number;
  close(): Promise<void>;
}

export async function startOsvStandIn(records: StandInRecord[]): Promise<OsvStandIn> {
  const byId = new Map(records.map((r) => [r.record.id, r.record]));
  let inFlight = 0;
  const state: OsvStandIn = {
    url: "",
    requests: [],
    maxConcurrentDetails: 0,
    detailDelayMs: 0,
    close: async () => {},
  };

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const path = req.url ?? "/";
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    state.requests.push({ method: req.method ?? "GET", path, body });
    if (state.override && (await state.override(req, res, text))) return;

    if (req.method === "POST" && path === "/v1/querybatch") {
      const queries = (
        body as { queries?: Array<{ package: { ecosystem: string; name: string }; version: string }> }
      )?.queries;
      if (!Array.isArray(queries) || queries.length > 1000) {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: 3, message: "too many queries" }));
        return;
      }
      const results = queries.map((q) => {
        const key = `${q.package.ecosystem}/${q.package.name}@${q.version}`;
        const vulns = records
          .filter((r) => r.affects.includes(key))
          .map((r) => ({ id: r.record.id, modified: r.record.modified ?? "2024-01-01T00:00:00Z" }));
        return vulns.length ? { vulns } : {};
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ results }));
      return;
    }
    const detail = /^\/v1\/vulns\/([^/?]+)$/.exec(path);
    if (req.method === "GET" && detail) {
      inFlight++;
      state.maxConcurrentDetails = Math.max(state.maxConcurrentDetails, inFlight);
      if (state.detailDelayMs) await new Promise((r) => setTimeout(r, state.detailDelayMs));
      inFlight--;
      const record = byId.get(decodeURIComponent(detail[1]!));
      res.writeHead(record ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(record ?? { code: 5, message: "Bug not found." }));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** Real-shaped records (from public GHSA / OpenSSF data, CC-BY-4.0), trimmed to what Tollgate reads. */
export const LODASH_COMMAND_INJECTION: OsvRecord = {
  id: "GHSA-35jh-r3h4-6jhm",
  modified: "2024-03-05T05:02:19Z",
  summary: "Command Injection in lodash",
  aliases: ["CVE-2021-23337"],
  severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H" }],
  affected: [
    {
      package: { ecosystem: "npm", name: "lodash" },
      ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "4.17.21" }] }],
    },
  ],
  database_specific: { severity: "HIGH" },
};

export const LODASH_PROTOTYPE_POLLUTION: OsvRecord = {
  id: "GHSA-p6mc-m468-83gw",
  modified: "2024-02-12T21:35:54Z",
  summary: "Prototype Pollution in lodash",
  aliases: ["CVE-2020-8203"],
  severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H" }],
  affected: [
    {
      package: { ecosystem: "npm", name: "lodash" },
      ranges: [{ type: "SEMVER", events: [{ introduced: "3.7.0" }, { fixed: "4.17.19" }] }],
    },
  ],
};

export const MALICIOUS_PACKAGE: OsvRecord = {
  id: "MAL-2024-1234",
  modified: "2024-06-01T00:00:00Z",
  summary: "Malicious code in expresss (npm)",
  details: "The package exfiltrates environment variables on install.",
  affected: [
    {
      package: { ecosystem: "npm", name: "expresss" },
      ranges: [{ type: "SEMVER", events: [{ introduced: "0" }] }],
    },
  ],
};

export const REQUESTS_PROXY_LEAK: OsvRecord = {
  id: "GHSA-j8r2-6x86-q33q",
  modified: "2024-05-20T00:00:00Z",
  summary: "Unintended leak of Proxy-Authorization header in requests",
  aliases: ["CVE-2023-32681", "PYSEC-2023-74"],
  severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N" }],
  affected: [
    {
      package: { ecosystem: "PyPI", name: "requests" },
      ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "2.3.0" }, { fixed: "2.31.0" }] }],
    },
  ],
  database_specific: { severity: "MODERATE" },
};

export const STANDARD_RECORDS: StandInRecord[] = [
  {
    record: LODASH_COMMAND_INJECTION,
    affects: ["npm/lodash@4.17.20", "npm/lodash@4.17.15", "npm/lodash@4.17.4"],
  },
  { record: LODASH_PROTOTYPE_POLLUTION, affects: ["npm/lodash@4.17.15", "npm/lodash@4.17.4"] },
  { record: MALICIOUS_PACKAGE, affects: ["npm/expresss@4.18.2", "npm/expresss@1.0.0"] },
  { record: REQUESTS_PROXY_LEAK, affects: ["PyPI/requests@2.25.0", "PyPI/requests@2.28.1"] },
];
