import { describe, expect, it } from "vitest";
import { checks } from "../../../src/checks/deps/checks.generated.js";
import { fixtureAdvisories } from "../../support/example-services.js";
import { reviewFiles } from "../../support/review.js";

const PROPERTY = "$" + "{jackson.version}";
const pom = (version: string, property = true) => `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>shop</artifactId>
  <version>1.0.0</version>
  <properties>
    <java.version>21</java.version>
    <jackson.version>${version}</jackson.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>${property ? PROPERTY : version}</version>
    </dependency>
  </dependencies>
</project>
`;

const JACKSON = {
  record: {
    id: "GHSA-jjjh-jjxp-wpff",
    summary: "Polymorphic typing issue in jackson-databind",
    database_specific: { severity: "HIGH" },
    affected: [
      {
        package: { ecosystem: "Maven", name: "com.fasterxml.jackson.core:jackson-databind" },
        ranges: [
          {
            type: "ECOSYSTEM",
            events: [
              { introduced: "0" },
              { fixed: "2.6.7.3" },
              { introduced: "2.7.0" },
              { fixed: "2.7.9.7" },
              { introduced: "2.8.0" },
              { fixed: "2.8.11.5" },
              { introduced: "2.9.0" },
              { fixed: "2.9.10.7" },
            ],
          },
        ],
      },
    ],
  },
  affects: ["Maven/com.fasterxml.jackson.core:jackson-databind@2.9.8"],
};

describe("pom.xml: a version changed through a property", () => {
  it("is reported on the property's line, with the fix of its own release line", async () => {
    const review = await reviewFiles([{ path: "pom.xml", base: pom("2.9.10.8"), head: pom("2.9.8") }], {
      checks,
      services: { advisories: fixtureAdvisories([JACKSON]) },
    });
    expect(review.findings.map((f) => [f.ruleId, f.line])).toEqual([
      ["deps/known-vulnerability", 9],
      ["deps/version-downgrade", 9],
    ]);
    expect(review.findings[0]!.message).toBe(
      "`com.fasterxml.jackson.core:jackson-databind@2.9.8` has a known vulnerability: GHSA-jjjh-jjxp-wpff (high) Polymorphic typing issue in jackson-databind, fixed in 2.9.10.7.",
    );
    expect(review.findings[0]!.fix).toBe(
      "Upgrade `com.fasterxml.jackson.core:jackson-databind` to 2.9.10.7 or later.",
    );
    // the row sits there too, so it carries the flags
    expect(review.dependencyChanges.map((c) => [c.name, c.kind, c.from, c.to, c.line])).toEqual([
      ["com.fasterxml.jackson.core:jackson-databind", "downgraded", "2.9.10.8", "2.9.8", 9],
    ]);
  });

  it("a literal version stays on the dependency", async () => {
    const review = await reviewFiles(
      [{ path: "pom.xml", base: pom("2.9.10.8", false), head: pom("2.9.8", false) }],
      { checks: checks.filter((c) => c.kind === "change") },
    );
    expect(review.findings.map((f) => [f.ruleId, f.line])).toEqual([["deps/version-downgrade", 12]]);
  });
});
