import { afterEach, describe, expect, it } from "vitest";
import { AdvisoryUnavailable } from "../../../src/checks/types.js";
import { OsvClient } from "../../../src/services/osv.js";
import { fixtureAdvisories } from "../../support/example-services.js";
import { type OsvStandIn, STANDARD_RECORDS, startOsvStandIn } from "../../support/osv-server.js";
import { config, reviewFiles } from "../../support/review.js";

const packageJson = (deps: Record<string, string>) =>
  `${JSON.stringify({ name: "shop", version: "1.0.0", dependencies: deps }, null, 2)}\n`;

const lockfile = (entries: Record<string, string>) => {
  const packages: Record<string, unknown> = {
    "": { name: "shop", dependencies: Object.fromEntries(Object.keys(entries).map((n) => [n, "*"])) },
  };
  for (const [name, version] of Object.entries(entries)) {
    packages[`node_modules/${name}`] = {
      version,
      resolved: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`,
      integrity: `sha512-${Buffer.from(`${name}@${version}`).toString("base64")}`,
    };
  }
  return `${JSON.stringify({ name: "shop", lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
};

const vulnFindings = (review: Awaited<ReturnType<typeof reviewFiles>>) =>
  review.findings
    .filter((f) => f.ruleId === "deps/known-vulnerability" || f.ruleId === "deps/malicious-package")
    .map((f) => [f.ruleId, f.path, f.line, f.severity]);

describe("deps/known-vulnerability and deps/malicious-package", () => {
  it("reports on the lockfile line with the advisory id, summary and fixed version", async () => {
    const advisories = fixtureAdvisories();
    const review = await reviewFiles(
      [
        {
          path: "package-lock.json",
          base: lockfile({ express: "4.21.2" }),
          head: lockfile({ express: "4.21.2", lodash: "4.17.20" }),
        },
      ],
      { services: { advisories } },
    );
    const found = review.findings.filter((f) => f.ruleId === "deps/known-vulnerability");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      path: "package-lock.json",
      severity: "high",
      message:
        "`lodash@4.17.20` has a known vulnerability: GHSA-35jh-r3h4-6jhm (CVE-2021-23337, high) Command Injection in lodash, fixed in 4.17.21.",
      fix: "Upgrade `lodash` to 4.17.21 or later (update the manifest range and regenerate the lockfile).",
    });
    const lines = lockfile({ express: "4.21.2", lodash: "4.17.20" }).split("\n");
    expect(lines[found[0]!.line - 1]).toContain('"node_modules/lodash"');
    // only the new version was looked up
    expect(advisories.calls).toEqual([[{ ecosystem: "npm", name: "lodash", version: "4.17.20" }]]);
    // the summary row of that dependency sits on the same line, so it gets the flag
    expect(review.dependencyChanges.find((c) => c.name === "lodash")?.line).toBe(found[0]!.line);
  });

  it("lists several advisories and names the version that fixes them all", async () => {
    const review = await reviewFiles(
      [{ path: "package.json", base: packageJson({}), head: packageJson({ lodash: "4.17.15" }) }],
      { services: { advisories: fixtureAdvisories() } },
    );
    const [finding] = review.findings.filter((f) => f.ruleId === "deps/known-vulnerability");
    expect(finding!.message).toBe(
      "`lodash@4.17.15` has 2 known vulnerabilities: GHSA-35jh-r3h4-6jhm (CVE-2021-23337, high) Command Injection in lodash, fixed in 4.17.21; GHSA-p6mc-m468-83gw (CVE-2020-8203, high) Prototype Pollution in lodash, fixed in 4.17.19.",
    );
    expect(finding!.fix).toBe("Upgrade `lodash` to 4.17.21 or later.");
  });

  it("reports malware as deps/malicious-package (critical), not as a vulnerability", async () => {
    const review = await reviewFiles(
      [{ path: "package.json", base: packageJson({}), head: packageJson({ expresss: "4.18.2" }) }],
      { services: { advisories: fixtureAdvisories() } },
    );
    expect(vulnFindings(review)).toEqual([["deps/malicious-package", "package.json", 5, "critical"]]);
    expect(review.findings.find((f) => f.ruleId === "deps/malicious-package")!.message).toBe(
      "`expresss@4.18.2` is known malware (MAL-2024-1234): Malicious code in expresss (npm). Do not install it.",
    );
  });

  it("makes ONE look-up for all the dependency files of a review and prefers lockfile lines", async () => {
    const advisories = fixtureAdvisories();
    const review = await reviewFiles(
      [
        { path: "package.json", base: packageJson({}), head: packageJson({ lodash: "4.17.20" }) },
        {
          path: "package-lock.json",
          base: lockfile({}),
          head: lockfile({ lodash: "4.17.20", expresss: "1.0.0" }),
        },
        { path: "services/api/requirements.txt", base: "requests==2.31.0\n", head: "requests==2.28.1\n" },
      ],
      { services: { advisories } },
    );
    expect(advisories.calls).toHaveLength(1);
    expect(advisories.calls[0]).toEqual([
      { ecosystem: "npm", name: "lodash", version: "4.17.20" },
      { ecosystem: "npm", name: "expresss", version: "1.0.0" },
      { ecosystem: "PyPI", name: "requests", version: "2.28.1" },
    ]);
    expect(vulnFindings(review).sort()).toEqual(
      [
        ["deps/known-vulnerability", "package-lock.json", expect.any(Number), "high"],
        ["deps/malicious-package", "package-lock.json", expect.any(Number), "critical"],
        ["deps/known-vulnerability", "services/api/requirements.txt", 1, "medium"],
      ].sort(),
    );
  });

  it("does not look up versions that did not change, removed dependencies, ranges or git sources", async () => {
    const advisories = fixtureAdvisories();
    await reviewFiles(
      [
        {
          path: "package.json",
          base: packageJson({ lodash: "4.17.20", left: "1.0.0" }),
          head: packageJson({ lodash: "4.17.20", chalk: "^5.0.0", mine: "github:acme/mine#v1" }),
        },
      ],
      { services: { advisories } },
    );
    expect(advisories.calls).toEqual([]);
  });

  it("does nothing when vulnerabilities are off or no advisory source is given", async () => {
    const advisories = fixtureAdvisories();
    const files = [{ path: "package.json", base: packageJson({}), head: packageJson({ lodash: "4.17.20" }) }];
    const off = await reviewFiles(files, {
      services: { advisories },
      config: config({ deps: { vulnerabilities: "off" } }),
    });
    expect(advisories.calls).toEqual([]);
    expect(vulnFindings(off)).toEqual([]);
    expect(off.errors.filter((e) => /vulnerab/.test(e.message))).toEqual([]);
    const none = await reviewFiles(files);
    expect(vulnFindings(none)).toEqual([]);
  });

  it("notes unavailable data and lets the review complete", async () => {
    const review = await reviewFiles(
      [
        {
          path: "package.json",
          base: packageJson({}),
          head: packageJson({ lodash: "4.17.20", expresss: "1.0.0" }),
        },
      ],
      {
        services: {
          advisories: {
            lookup: async () => {
              throw new AdvisoryUnavailable("OSV at http://127.0.0.1:9 could not be reached (ECONNREFUSED)");
            },
          },
        },
      },
    );
    expect(review.errors).toContainEqual({
      level: "warning",
      message:
        "vulnerability data unavailable: OSV at http://127.0.0.1:9 could not be reached (ECONNREFUSED); dependencies were not checked for known vulnerabilities",
      blocking: false,
    });
    // the offline checks still ran
    expect(review.findings.map((f) => f.ruleId)).toEqual(["deps/typosquat"]);
  });

  it("blocks when deps.on-unavailable is fail", async () => {
    const review = await reviewFiles(
      [{ path: "package.json", base: packageJson({}), head: packageJson({ lodash: "4.17.20" }) }],
      {
        config: config({ deps: { "on-unavailable": "fail" } }),
        services: {
          advisories: {
            lookup: async () => {
              throw new AdvisoryUnavailable("OSV at https://api.osv.dev did not answer within 10 s");
            },
          },
        },
      },
    );
    const note = review.errors.find((e) => e.message.startsWith("vulnerability data unavailable"));
    expect(note?.blocking).toBe(true);
    expect(review.verdict.conclusion).toBe("failure");
  });
});

describe("against an OSV stand-in on loopback", () => {
  let osv: OsvStandIn | undefined;
  afterEach(async () => {
    await osv?.close();
    osv = undefined;
  });

  it("sends one querybatch for the whole review and fetches details only for hits", async () => {
    osv = await startOsvStandIn(STANDARD_RECORDS);
    const review = await reviewFiles(
      [
        {
          path: "package-lock.json",
          base: lockfile({}),
          head: lockfile({ lodash: "4.17.20", express: "4.21.2", chalk: "5.3.0" }),
        },
        { path: "requirements.txt", base: "", head: "requests==2.28.1\nflask==3.0.2\n" },
      ],
      { services: { advisories: new OsvClient({ baseUrl: osv.url }) } },
    );
    expect(osv.requests.filter((r) => r.path === "/v1/querybatch")).toHaveLength(1);
    expect(
      osv.requests
        .filter((r) => r.method === "GET")
        .map((r) => r.path)
        .sort(),
    ).toEqual(["/v1/vulns/GHSA-35jh-r3h4-6jhm", "/v1/vulns/GHSA-j8r2-6x86-q33q"]);
    expect(vulnFindings(review).map((f) => f[1])).toEqual(["package-lock.json", "requirements.txt"]);
  });

  it("completes with a note when the stand-in is too slow", async () => {
    osv = await startOsvStandIn(STANDARD_RECORDS);
    osv.override = () => true; // accepts the request and never answers
    const review = await reviewFiles(
      [{ path: "package.json", base: packageJson({}), head: packageJson({ lodash: "4.17.20" }) }],
      { services: { advisories: new OsvClient({ baseUrl: osv.url, timeoutMs: 150 }) } },
    );
    expect(review.errors.map((e) => e.message)).toContain(
      `vulnerability data unavailable: OSV at ${osv.url} did not answer within 0.2 s; dependencies were not checked for known vulnerabilities`,
    );
    expect(review.verdict.conclusion).toBe("success");
  });

  it("looks up a 2,500-entry lockfile in one call, split by the client into batches of 1,000", async () => {
    osv = await startOsvStandIn(STANDARD_RECORDS);
    const entries: Record<string, string> = { lodash: "4.17.20" };
    for (let i = 0; i < 2_499; i++) entries[`pkg-${i}`] = `1.0.${i % 7}`;
    const review = await reviewFiles(
      [{ path: "package-lock.json", base: lockfile({}), head: lockfile(entries) }],
      {
        services: { advisories: new OsvClient({ baseUrl: osv.url }) },
      },
    );
    const sizes = osv.requests
      .filter((r) => r.path === "/v1/querybatch")
      .map((r) => (r.body as { queries: unknown[] }).queries.length);
    expect(sizes).toEqual([1000, 1000, 500]);
    const line =
      lockfile(entries)
        .split("\n")
        .findIndex((l) => l.includes('"node_modules/lodash"')) + 1;
    expect(vulnFindings(review)).toEqual([["deps/known-vulnerability", "package-lock.json", line, "high"]]);
  });

  it("completes with a note when the stand-in is down", async () => {
    osv = await startOsvStandIn([]);
    const url = osv.url;
    await osv.close();
    osv = undefined;
    const review = await reviewFiles(
      [{ path: "package.json", base: packageJson({}), head: packageJson({ lodash: "4.17.20" }) }],
      { services: { advisories: new OsvClient({ baseUrl: url, timeoutMs: 500 }) } },
    );
    const note = review.errors.find((e) => e.message.startsWith("vulnerability data unavailable"));
    expect(note?.message).toMatch(
      /^vulnerability data unavailable: OSV at http:\/\/127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED\); dependencies were not checked for known vulnerabilities$/,
    );
    expect(review.verdict.conclusion).toBe("success");
  });
});

describe("advisory details in messages", () => {
  const record = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    summary: `Problem ${id}`,
    ...extra,
  });

  it("says when no fixed version exists and caps the list", async () => {
    const ids = ["GHSA-0001", "GHSA-0002", "GHSA-0003", "GHSA-0004", "GHSA-0005", "GHSA-0006", "GHSA-0007"];
    const advisories = fixtureAdvisories(
      ids.map((id) => ({ record: record(id), affects: ["npm/old-thing@1.0.0"] })),
    );
    const review = await reviewFiles(
      [{ path: "package.json", base: packageJson({}), head: packageJson({ "old-thing": "1.0.0" }) }],
      { services: { advisories } },
    );
    const [finding] = review.findings.filter((f) => f.ruleId === "deps/known-vulnerability");
    expect(finding!.message).toBe(
      "`old-thing@1.0.0` has 7 known vulnerabilities: GHSA-0001 Problem GHSA-0001, no fixed version yet; GHSA-0002 Problem GHSA-0002, no fixed version yet; GHSA-0003 Problem GHSA-0003, no fixed version yet; GHSA-0004 Problem GHSA-0004, no fixed version yet; GHSA-0005 Problem GHSA-0005, no fixed version yet; and 2 more.",
    );
    // no advisory rates it: the rule's default severity
    expect(finding!.severity).toBe("high");
    expect(finding!.fix).toBe(
      "No fixed version covers every advisory yet: replace `old-thing`, or mitigate and suppress with a reason.",
    );
  });

  it("takes the highest advisory severity", async () => {
    const advisories = fixtureAdvisories([
      {
        record: record("GHSA-low1", { database_specific: { severity: "LOW" } }),
        affects: ["npm/mixed@1.0.0"],
      },
      {
        record: record("GHSA-crit", {
          severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }],
        }),
        affects: ["npm/mixed@1.0.0"],
      },
    ]);
    const review = await reviewFiles(
      [{ path: "package.json", base: packageJson({}), head: packageJson({ mixed: "1.0.0" }) }],
      { services: { advisories } },
    );
    const [finding] = review.findings.filter((f) => f.ruleId === "deps/known-vulnerability");
    expect(finding!.severity).toBe("critical");
    expect(finding!.message).toMatch(/^`mixed@1\.0\.0` has 2 known vulnerabilities: GHSA-crit \(critical\)/);
  });

  it("reports a malware record and its GHSA twin once, under the MAL- id", async () => {
    const advisories = fixtureAdvisories([
      { record: record("GHSA-mal1", { aliases: ["MAL-2025-77"] }), affects: ["npm/evil-pkg@2.0.0"] },
      { record: record("MAL-2025-77", { aliases: ["GHSA-mal1"] }), affects: ["npm/evil-pkg@2.0.0"] },
    ]);
    const review = await reviewFiles(
      [{ path: "package.json", base: packageJson({}), head: packageJson({ "evil-pkg": "2.0.0" }) }],
      { services: { advisories } },
    );
    expect(
      review.findings
        .filter((f) => f.ruleId.startsWith("deps/m") || f.ruleId.startsWith("deps/k"))
        .map((f) => f.message),
    ).toEqual(["`evil-pkg@2.0.0` is known malware (MAL-2025-77): Problem MAL-2025-77. Do not install it."]);
  });

  it("queries Go modules without the v prefix go.mod writes", async () => {
    const advisories = fixtureAdvisories([]);
    await reviewFiles(
      [
        {
          path: "go.mod",
          base: "module example.com/app\n\ngo 1.22\n",
          head: "module example.com/app\n\ngo 1.22\n\nrequire golang.org/x/net v0.17.0\n",
        },
      ],
      { services: { advisories } },
    );
    expect(advisories.calls).toEqual([[{ ecosystem: "Go", name: "golang.org/x/net", version: "0.17.0" }]]);
  });
});

describe("npm aliases", () => {
  it("looks up the real package an alias installs, even at an unchanged version", async () => {
    const advisories = fixtureAdvisories();
    const review = await reviewFiles(
      [
        {
          path: "package.json",
          base: packageJson({ express: "4.18.2" }),
          head: packageJson({ express: "npm:expresss@4.18.2" }),
        },
      ],
      { services: { advisories } },
    );
    expect(advisories.calls).toEqual([[{ ecosystem: "npm", name: "expresss", version: "4.18.2" }]]);
    expect(vulnFindings(review)).toEqual([["deps/malicious-package", "package.json", 5, "critical"]]);
  });
});
