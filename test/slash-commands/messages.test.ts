import { describe, expect, it } from "vitest";
import { RuleCatalog, type RuleMeta } from "../../src/review/rules.js";
import type { RuleId, SuppressedFinding } from "../../src/review/types.js";
import {
  explainText,
  helpText,
  ignoredText,
  refusal,
  unknownRule,
} from "../../src/slash-commands/messages.js";
import { config } from "../support/review.js";

function rule(id: string, severity: RuleMeta["severity"], extra: Partial<RuleMeta> = {}): RuleMeta {
  return {
    id: id as RuleId,
    family: id.split("/")[0] as RuleMeta["family"],
    title: `Title of ${id}`,
    severity,
    ...(severity === "off" ? { "enabled-severity": "low" as const } : {}),
    description: "Why this matters, at length.",
    remediation: "How to fix it.\n\nSecond paragraph.",
    fix: "Do the fix.",
    references: {
      cwe: ["CWE-250"],
      equivalents: { hadolint: ["DL3002"], trivy: [] },
      links: ["https://example.com/doc"],
    },
    aliases: [],
    examples: { bad: [{ code: "x" }], good: [{ code: "y" }] },
    ...extra,
  };
}

const catalog = new RuleCatalog([
  rule("docker/runs-as-root", "high"),
  rule("docker/missing-healthcheck", "off"),
  rule("secrets/github-token", "critical"),
]);

describe("helpText", () => {
  it("lists the families with enabled rules, fail-on, the commands and four eyes", () => {
    const text = helpText(catalog, config());
    expect(text).toContain("- Dockerfiles (1 rule, `docker/…`)");
    expect(text).toContain("- secrets pasted into any file (1 rule, `secrets/…`)");
    expect(text).toContain("fails on a new finding at or above **high**");
    expect(text).toContain(
      "| `/tollgate ignore <rule-id> [<path>[:<line>]] -- <reason>` | write or higher |",
    );
    expect(text).toContain("may not ignore findings at or above high on it unless they are an admin");
  });

  it("follows the configuration", () => {
    const text = helpText(
      catalog,
      config({
        "fail-on": "critical",
        rules: { "docker/missing-healthcheck": "low", "secrets/github-token": "off" },
        commands: { "ignore-permission": "admin", "author-ignore-blocking": "allowed" },
      }),
      "`/tollgate approve` is not a command.",
    );
    expect(text.startsWith("`/tollgate approve` is not a command.\n\n")).toBe(true);
    expect(text).toContain("- Dockerfiles (2 rules, `docker/…`)");
    expect(text).not.toContain("secrets pasted");
    expect(text).toContain("| admin or higher |");
    expect(text).toContain("The pull request's author may ignore any finding on it.");
  });
});

describe("explainText", () => {
  it("shows severity, why, how, references and the doc link", () => {
    const text = explainText(catalog.require("docker/runs-as-root"), config());
    expect(text).toContain("### `docker/runs-as-root` — Title of docker/runs-as-root");
    expect(text).toContain("**Severity:** high — fails the check (fail-on: high)");
    expect(text).toContain("Why this matters, at length.");
    expect(text).toContain("How to fix it.\n\nSecond paragraph.");
    expect(text).toContain("[CWE-250](https://cwe.mitre.org/data/definitions/250.html)");
    expect(text).toContain("hadolint: `DL3002`");
    expect(text).not.toContain("trivy");
    expect(text).toContain("- <https://example.com/doc>");
    expect(text).toContain(
      "[Full documentation](https://github.com/tollgate-app/tollgate/blob/main/docs/rules/docker/runs-as-root.md)",
    );
  });

  it("says when a rule is off here", () => {
    expect(explainText(catalog.require("docker/missing-healthcheck"), config())).toContain(
      "**Severity:** off here (reports as low when enabled)",
    );
    expect(
      explainText(
        catalog.require("docker/runs-as-root"),
        config({ rules: { "docker/runs-as-root": "medium" } }),
      ),
    ).toContain("**Severity:** medium\n");
  });
});

describe("replies", () => {
  it("refusals quote the command escaped and say nothing changed", () => {
    expect(refusal("/tollgate ignore x/y -- ping @org/team [x](http://evil)", "because.")).toBe(
      "> /tollgate ignore x/y -- ping @\u200borg/team \\[x\\](http://evil)\n\nNot done: because. Nothing was changed.",
    );
  });

  it("suggests close rule ids", () => {
    expect(unknownRule("docker/run-as-root", catalog)).toBe(
      "`docker/run-as-root` is not a Tollgate rule id. Did you mean `docker/runs-as-root`?",
    );
    expect(unknownRule("k8s/nope", catalog)).toBe("`k8s/nope` is not a Tollgate rule id.");
  });

  it("lists what an ignore suppressed, and what still blocks", () => {
    const f = {
      ruleId: "docker/runs-as-root",
      severity: "medium",
      path: "Dockerfile",
      line: 3,
    } as SuppressedFinding;
    expect(ignoredText("/tollgate ignore docker/runs-as-root -- r", [f], 1)).toBe(
      [
        "> /tollgate ignore docker/runs-as-root -- r",
        "",
        "Suppressed 1 finding on this pull request; the `tollgate` check has been updated.",
        "- `docker/runs-as-root` at `Dockerfile:3` (medium)",
        "",
        "1 matching finding is at or above fail-on and still blocks: the author of a pull request cannot wave through their own blocking findings; someone else with write access must.",
      ].join("\n"),
    );
  });
});
