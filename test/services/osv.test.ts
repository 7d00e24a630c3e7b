import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AdvisoryUnavailable } from "../../src/checks/types.js";
import { cvss3BaseScore, severityFromScore } from "../../src/services/cvss.js";
import { createAdvisorySource, OsvClient, resolveOsvUrl } from "../../src/services/osv.js";
import { fixedVersion, severityOf, toAdvisory } from "../../src/services/osv-mapping.js";
import { type OsvStandIn, STANDARD_RECORDS, startOsvStandIn } from "../support/osv-server.js";

let osv: OsvStandIn;

beforeEach(async () => {
  osv = await startOsvStandIn(STANDARD_RECORDS);
});
afterEach(async () => {
  await osv.close();
});

const lodash = (version: string) => ({ ecosystem: "npm", name: "lodash", version });

describe("OsvClient.lookup", () => {
  it("returns advisories per query in input order, with severity, fixed version and malware flag", async () => {
    const client = new OsvClient({ baseUrl: osv.url });
    const result = await client.lookup([
      lodash("4.17.21"),
      lodash("4.17.20"),
      { ecosystem: "npm", name: "expresss", version: "4.18.2" },
      { ecosystem: "PyPI", name: "requests", version: "2.28.1" },
    ]);
    expect(result[0]).toEqual([]);
    expect(result[1]).toEqual([
      {
        id: "GHSA-35jh-r3h4-6jhm",
        aliases: ["CVE-2021-23337"],
        summary: "Command Injection in lodash",
        severity: "high",
        fixed: "4.17.21",
        malicious: false,
        url: "https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm",
      },
    ]);
    expect(result[2]!.map((a) => [a.id, a.malicious, a.fixed])).toEqual([["MAL-2024-1234", true, undefined]]);
    expect(result[3]!.map((a) => [a.id, a.severity, a.fixed])).toEqual([
      ["GHSA-j8r2-6x86-q33q", "medium", "2.31.0"],
    ]);
  });

  it("sends one querybatch with the OSV query shape and fetches details only for hits", async () => {
    const client = new OsvClient({ baseUrl: osv.url });
    await client.lookup([lodash("4.17.21"), lodash("4.17.15"), lodash("4.17.20")]);
    const batches = osv.requests.filter((r) => r.path === "/v1/querybatch");
    expect(batches).toHaveLength(1);
    expect(batches[0]!.body).toEqual({
      queries: [
        { package: { ecosystem: "npm", name: "lodash" }, version: "4.17.21" },
        { package: { ecosystem: "npm", name: "lodash" }, version: "4.17.15" },
        { package: { ecosystem: "npm", name: "lodash" }, version: "4.17.20" },
      ],
    });
    // two distinct ids hit (shared by two versions): each is fetched once
    expect(
      osv.requests
        .filter((r) => r.method === "GET")
        .map((r) => r.path)
        .sort(),
    ).toEqual(["/v1/vulns/GHSA-35jh-r3h4-6jhm", "/v1/vulns/GHSA-p6mc-m468-83gw"]);
  });

  it("splits more than 1,000 queries into batches of at most 1,000", async () => {
    const client = new OsvClient({ baseUrl: osv.url });
    const queries = Array.from({ length: 2345 }, (_, i) => ({
      ecosystem: "npm",
      name: `pkg-${i}`,
      version: "1.0.0",
    }));
    queries[2001] = lodash("4.17.20");
    const result = await client.lookup(queries);
    const sizes = osv.requests
      .filter((r) => r.path === "/v1/querybatch")
      .map((r) => (r.body as { queries: unknown[] }).queries.length);
    expect(sizes).toEqual([1000, 1000, 345]);
    expect(result).toHaveLength(2345);
    expect(result[2001]!.map((a) => a.id)).toEqual(["GHSA-35jh-r3h4-6jhm"]);
    expect(result.filter((r) => r.length > 0)).toHaveLength(1);
  });

  it("de-duplicates identical queries in one lookup", async () => {
    const client = new OsvClient({ baseUrl: osv.url });
    const result = await client.lookup([lodash("4.17.20"), lodash("4.17.20")]);
    expect((osv.requests[0]!.body as { queries: unknown[] }).queries).toHaveLength(1);
    expect(result.map((r) => r.map((a) => a.id))).toEqual([["GHSA-35jh-r3h4-6jhm"], ["GHSA-35jh-r3h4-6jhm"]]);
  });

  it("fetches details with bounded parallelism", async () => {
    const records = Array.from({ length: 20 }, (_, i) => ({
      record: { id: `GHSA-0000-0000-${String(i).padStart(4, "0")}`, summary: `vuln ${i}` },
      affects: ["npm/big@1.0.0"],
    }));
    await osv.close();
    osv = await startOsvStandIn(records);
    osv.detailDelayMs = 30;
    const client = new OsvClient({ baseUrl: osv.url, concurrency: 4 });
    const [hits] = await client.lookup([{ ecosystem: "npm", name: "big", version: "1.0.0" }]);
    expect(hits).toHaveLength(20);
    expect(osv.maxConcurrentDetails).toBe(4);
  });

  it("caches answers per ecosystem, name and version, including empty ones", async () => {
    const client = new OsvClient({ baseUrl: osv.url });
    await client.lookup([lodash("4.17.20"), lodash("4.17.21")]);
    const before = osv.requests.length;
    const again = await client.lookup([lodash("4.17.21"), lodash("4.17.20")]);
    expect(osv.requests.length).toBe(before);
    expect(again.map((r) => r.map((a) => a.id))).toEqual([[], ["GHSA-35jh-r3h4-6jhm"]]);
    // a new version is queried alone
    await client.lookup([lodash("4.17.21"), lodash("4.17.15")]);
    const last = osv.requests.filter((r) => r.path === "/v1/querybatch").at(-1)!;
    expect((last.body as { queries: Array<{ version: string }> }).queries.map((q) => q.version)).toEqual([
      "4.17.15",
    ]);
  });

  it("expires cached answers after the TTL", async () => {
    const client = new OsvClient({ baseUrl: osv.url, cacheTtlMs: 20 });
    await client.lookup([lodash("4.17.21")]);
    await new Promise((r) => setTimeout(r, 40));
    await client.lookup([lodash("4.17.21")]);
    expect(osv.requests.filter((r) => r.path === "/v1/querybatch")).toHaveLength(2);
  });

  it("makes no request for an empty lookup", async () => {
    const client = new OsvClient({ baseUrl: osv.url });
    expect(await client.lookup([])).toEqual([]);
    expect(osv.requests).toEqual([]);
  });

  it("follows per-query pagination of querybatch", async () => {
    let round = 0;
    osv.override = (req, res, body) => {
      if (req.url !== "/v1/querybatch") return false;
      round++;
      const parsed = JSON.parse(body) as { queries: Array<{ page_token?: string }> };
      res.writeHead(200, { "content-type": "application/json" });
      if (round === 1) {
        res.end(
          JSON.stringify({
            results: [{ vulns: [{ id: "GHSA-35jh-r3h4-6jhm" }], next_page_token: "p2" }, {}],
          }),
        );
      } else {
        expect(parsed.queries).toEqual([
          { package: { ecosystem: "npm", name: "lodash" }, version: "4.17.15", page_token: "p2" },
        ]);
        res.end(JSON.stringify({ results: [{ vulns: [{ id: "GHSA-p6mc-m468-83gw" }] }] }));
      }
      return true;
    };
    const client = new OsvClient({ baseUrl: osv.url });
    const result = await client.lookup([lodash("4.17.15"), lodash("4.17.21")]);
    expect(round).toBe(2);
    expect(result[0]!.map((a) => a.id)).toEqual(["GHSA-35jh-r3h4-6jhm", "GHSA-p6mc-m468-83gw"]);
  });

  it("keeps a hit whose details cannot be read, with its id, and does not cache it", async () => {
    osv.override = (req, res) => {
      if (req.method !== "GET") return false;
      res.writeHead(503);
      res.end();
      return true;
    };
    const client = new OsvClient({ baseUrl: osv.url });
    const [hits] = await client.lookup([lodash("4.17.20")]);
    expect(hits).toEqual([
      {
        id: "GHSA-35jh-r3h4-6jhm",
        aliases: [],
        summary: "",
        severity: undefined,
        fixed: undefined,
        malicious: false,
        url: "https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm",
      },
    ]);
    osv.override = undefined;
    const [again] = await client.lookup([lodash("4.17.20")]);
    expect(again![0]!.summary).toBe("Command Injection in lodash");
  });
});

describe("OsvClient failures become AdvisoryUnavailable", () => {
  it("on a 500", async () => {
    osv.override = (_req, res) => {
      res.writeHead(500);
      res.end("oops");
      return true;
    };
    const client = new OsvClient({ baseUrl: osv.url });
    const error = await client.lookup([lodash("4.17.20")]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdvisoryUnavailable);
    expect((error as Error).message).toBe(`OSV at ${osv.url} answered 500 to POST /v1/querybatch`);
  });

  it("on a body that is not JSON", async () => {
    osv.override = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("<html>maintenance</html>");
      return true;
    };
    const error = await new OsvClient({ baseUrl: osv.url })
      .lookup([lodash("1.0.0")])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdvisoryUnavailable);
    expect((error as Error).message).toMatch(/not JSON/);
  });

  it("on JSON of the wrong shape (result count differs)", async () => {
    osv.override = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ results: [] }));
      return true;
    };
    const error = await new OsvClient({ baseUrl: osv.url })
      .lookup([lodash("1.0.0")])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdvisoryUnavailable);
    expect((error as Error).message).toMatch(/0 results for 1 queries/);
  });

  it("on a timeout", async () => {
    osv.override = () => true; // never answers
    const client = new OsvClient({ baseUrl: osv.url, timeoutMs: 100 });
    const error = await client.lookup([lodash("4.17.20")]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdvisoryUnavailable);
    expect((error as Error).message).toBe(`OSV at ${osv.url} did not answer within 0.1 s`);
  });

  it("when the whole look-up takes longer than its deadline", async () => {
    osv.override = (req) => req.method === "GET"; // details never answer
    const client = new OsvClient({ baseUrl: osv.url, timeoutMs: 5_000, deadlineMs: 200 });
    const error = await client.lookup([lodash("4.17.20")]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdvisoryUnavailable);
    expect((error as Error).message).toBe(`OSV at ${osv.url} did not finish answering within 0.2 s`);
  });

  it("on a refused connection", async () => {
    const url = osv.url;
    await osv.close();
    const error = await new OsvClient({ baseUrl: url }).lookup([lodash("4.17.20")]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdvisoryUnavailable);
    expect((error as Error).message).toMatch(/could not be reached \(ECONNREFUSED\)/);
    osv = await startOsvStandIn([]);
  });

  it("on a body larger than the bound", async () => {
    osv.override = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(`{"results":[{"vulns":[`);
      res.end(`${'{"id":"GHSA-aaaa-bbbb-cccc"},'.repeat(2000)}{"id":"x"}]}]}`);
      return true;
    };
    const client = new OsvClient({ baseUrl: osv.url, maxResponseBytes: 10_000 });
    const error = await client.lookup([lodash("4.17.20")]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdvisoryUnavailable);
    expect((error as Error).message).toMatch(/too large/);
  });

  it("keeps only id-shaped aliases (they end up in messages)", async () => {
    const record = { id: "GHSA-x", aliases: ["CVE-2024-1", "<img src=x onerror=alert(1)>", 42] } as never;
    expect(toAdvisory("GHSA-x", record, lodash("1.0.0")).aliases).toEqual(["CVE-2024-1"]);
  });

  it("ignores ids that could not come from OSV instead of putting them in a URL", async () => {
    osv.override = (req, res) => {
      if (req.url !== "/v1/querybatch") return false;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ results: [{ vulns: [{ id: "../../admin" }, { id: "GHSA-35jh-r3h4-6jhm" }] }] }),
      );
      return true;
    };
    const [hits] = await new OsvClient({ baseUrl: osv.url }).lookup([lodash("4.17.20")]);
    expect(hits!.map((a) => a.id)).toEqual(["GHSA-35jh-r3h4-6jhm"]);
    expect(osv.requests.map((r) => r.path)).not.toContain("/v1/vulns/..%2F..%2Fadmin");
  });
});

describe("severity and fixed version", () => {
  it("computes CVSS 3.x base scores", () => {
    expect(cvss3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).toBe(9.8);
    expect(cvss3BaseScore("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H")).toBe(7.2);
    expect(cvss3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H")).toBe(10);
    expect(cvss3BaseScore("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N")).toBe(6.1);
    expect(cvss3BaseScore("CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N")).toBe(3.3);
    expect(cvss3BaseScore("CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N")).toBe(5.4);
    expect(cvss3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N")).toBe(0);
    expect(cvss3BaseScore("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P")).toBeUndefined();
    expect(cvss3BaseScore("CVSS:3.1/AV:N/AC:L")).toBeUndefined();
    expect(severityFromScore(9.8)).toBe("critical");
    expect(severityFromScore(7.0)).toBe("high");
    expect(severityFromScore(6.9)).toBe("medium");
    expect(severityFromScore(0.1)).toBe("low");
    expect(severityFromScore(0)).toBeUndefined();
  });

  it("prefers the database severity over the CVSS vector", () => {
    const record = {
      id: "X",
      severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }],
      database_specific: { severity: "MODERATE" },
    };
    expect(severityOf(record)).toBe("medium");
    expect(severityOf({ ...record, database_specific: undefined })).toBe("critical");
    expect(severityOf({ id: "X" })).toBeUndefined();
  });

  it("picks the fix of the queried release line and ignores other packages' fixes", () => {
    const record = {
      id: "X",
      affected: [
        {
          package: { ecosystem: "npm", name: "other" },
          ranges: [{ events: [{ introduced: "0" }, { fixed: "0.0.1" }] }],
        },
        {
          package: { ecosystem: "npm", name: "pkg" },
          ranges: [
            { events: [{ introduced: "0" }, { fixed: "1.2.3" }] },
            { events: [{ introduced: "2.0.0" }, { fixed: "2.0.5" }] },
          ],
        },
      ],
    };
    expect(fixedVersion(record, { ecosystem: "npm", name: "pkg", version: "2.0.1" })).toBe("2.0.5");
    expect(fixedVersion(record, { ecosystem: "npm", name: "pkg", version: "1.0.0" })).toBe("1.2.3");
    expect(fixedVersion(record, { ecosystem: "npm", name: "nope", version: "1.0.0" })).toBeUndefined();
    const pypi = {
      id: "Y",
      affected: [
        { package: { ecosystem: "PyPI", name: "Django" }, ranges: [{ events: [{ fixed: "4.2.1" }] }] },
      ],
    };
    expect(fixedVersion(pypi, { ecosystem: "PyPI", name: "django", version: "4.2rc1" })).toBe("4.2.1");
  });

  // jackson-databind's polymorphic typing advisories fix four release lines with four-part versions
  const jackson = (events: Array<{ introduced?: string; fixed?: string }>, order = "as listed") => ({
    id: `GHSA-jackson-${order}`,
    affected: [
      {
        package: { ecosystem: "Maven", name: "com.fasterxml.jackson.core:jackson-databind" },
        ranges: [{ type: "ECOSYSTEM", events }],
      },
    ],
  });
  const q = (version: string) => ({
    ecosystem: "Maven",
    name: "com.fasterxml.jackson.core:jackson-databind",
    version,
  });
  const lines = [
    { introduced: "0" },
    { fixed: "2.6.7.3" },
    { introduced: "2.7.0" },
    { fixed: "2.7.9.7" },
    { introduced: "2.8.0" },
    { fixed: "2.8.11.5" },
    { introduced: "2.9.0" },
    { fixed: "2.9.10.7" },
  ];

  it("Maven: names the fix of the queried release line, never a lower version", () => {
    expect(fixedVersion(jackson(lines), q("2.9.8"))).toBe("2.9.10.7");
    expect(fixedVersion(jackson(lines), q("2.8.11"))).toBe("2.8.11.5");
    expect(fixedVersion(jackson(lines), q("2.6.5"))).toBe("2.6.7.3");
    expect(fixedVersion(jackson([...lines].reverse(), "reversed"), q("2.9.8"))).toBe("2.9.10.7");
  });

  it("outside every affected range: the lowest fix above the version", () => {
    expect(fixedVersion(jackson(lines), q("2.6.9"))).toBe("2.7.9.7");
  });

  it("GIT ranges' commit ids are named only when no version fixes it", () => {
    const record = {
      id: "Z",
      affected: [
        {
          package: { ecosystem: "PyPI", name: "pkg" },
          ranges: [
            { type: "GIT", events: [{ introduced: "0" }, { fixed: "5d3f1a2b9c" }] },
            { type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "1.4.2" }] },
          ],
        },
      ],
    };
    expect(fixedVersion(record, { ecosystem: "PyPI", name: "pkg", version: "1.4.0" })).toBe("1.4.2");
  });
});

describe("configuration", () => {
  it("resolves the base URL: environment, then config, then the public API", () => {
    expect(resolveOsvUrl({ TOLLGATE_OSV_URL: "http://127.0.0.1:1" }, "https://mirror.example")).toBe(
      "http://127.0.0.1:1",
    );
    expect(resolveOsvUrl({}, "https://mirror.example")).toBe("https://mirror.example");
    expect(resolveOsvUrl({ TOLLGATE_OSV_URL: " " })).toBe("https://api.osv.dev");
  });

  it("never lets a repository's configuration point the app at a local or private host", () => {
    for (const url of [
      "http://osv.mirror.example",
      "https://localhost:8080",
      "https://127.0.0.1",
      "https://169.254.169.254/latest",
      "https://[::1]/",
      "https://0x7f000001/",
      "https://metadata.google.internal",
      "https://printer.local",
      "https://intranet",
      "https://user:pw@osv.mirror.example",
      "not a url",
    ]) {
      expect(resolveOsvUrl({}, url), url).toBe("https://api.osv.dev");
    }
    // the operator's variable may name anything
    expect(resolveOsvUrl({ TOLLGATE_OSV_URL: "http://127.0.0.1:8080" }, "https://localhost")).toBe(
      "http://127.0.0.1:8080",
    );
  });

  it("shares one client (and its cache) per base URL", () => {
    const a = createAdvisorySource({ baseUrl: osv.url });
    expect(createAdvisorySource({ baseUrl: osv.url })).toBe(a);
    expect(createAdvisorySource({ baseUrl: `${osv.url}/other` })).not.toBe(a);
    expect((a as OsvClient).baseUrl).toBe(osv.url);
  });
});
