import { describe, expect, it } from "vitest";
import { findInlineSuppressions } from "../../src/review/suppressions.js";

describe("inline suppressions are comments, not prose", () => {
  it("reads the directive after a comment opener of any format Tollgate reads", () => {
    const lines = [
      "RUN curl x | sh # tollgate:ignore docker/remote-script-pipe-to-shell -- vendored installer",
      "// tollgate:ignore actions/unpinned-action -- internal action",
      "<!-- tollgate:ignore-file secrets/jwt -- sample tokens -->",
      " * tollgate:ignore tf/aws-open-ingress -- bastion",
      "-- tollgate:ignore secrets/url-credentials -- local only",
    ];
    const { entries, problems } = findInlineSuppressions(lines, "f");
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.line, e.scope, e.ruleIds, e.reason])).toEqual([
      [1, "line", ["docker/remote-script-pipe-to-shell"], "vendored installer"],
      [2, "line", ["actions/unpinned-action"], "internal action"],
      [3, "file", ["secrets/jwt"], "sample tokens"],
      [4, "line", ["tf/aws-open-ingress"], "bastion"],
      [5, "line", ["secrets/url-credentials"], "local only"],
    ]);
  });

  it("ignores documentation of the directive: prose and Markdown code spans waive nothing", () => {
    const lines = [
      "Suppress a finding with `tollgate:ignore <rule-id> -- <reason>` on its line.",
      "tollgate:ignore docker/runs-as-root -- written as plain text",
      "- `# tollgate:ignore secrets/jwt -- why` in a list item's code span",
    ];
    expect(findInlineSuppressions(lines, "README.md")).toEqual({ entries: [], problems: [] });
  });
});
