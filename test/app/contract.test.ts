import { describe, expect, it } from "vitest";
import { contractErrors } from "./support/contract.js";

/** The API contract every app test leans on must itself reject what GitHub would. */
describe("GitHub API contract (the @octokit/openapi description)", () => {
  const none = new URLSearchParams();

  it("accepts a request GitHub documents", () => {
    expect(
      contractErrors("POST", "/repos/o/r/check-runs", none, {
        name: "tollgate",
        head_sha: "a".repeat(40),
        status: "in_progress",
      }),
    ).toEqual([]);
  });

  it("rejects unknown paths and methods, undeclared query parameters and invalid bodies", () => {
    expect(contractErrors("GET", "/repos/o/r/check-runz", none, undefined)[0]).toContain("no such path");
    expect(contractErrors("DELETE", "/repos/o/r/check-runs", none, undefined)[0]).toContain(
      "no such operation",
    );
    expect(
      contractErrors(
        "GET",
        "/repos/o/r/pulls/1/files",
        new URLSearchParams({ per_page: "100", bogus: "1" }),
        undefined,
      ),
    ).toEqual(["GET /repos/{owner}/{repo}/pulls/{pull_number}/files: undeclared query parameter bogus"]);
    const [bad] = contractErrors("PATCH", "/repos/o/r/check-runs/1", none, { conclusion: "green" });
    expect(bad).toContain("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}: body:");
    expect(bad).toContain("conclusion");
  });
});
