import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DATABASE_PORTS } from "../../../src/checks/compose/exposed-database-port.js";

describe("docs/compose.md", () => {
  it("lists exactly the database and admin ports the rule reports, with their services", () => {
    const page = readFileSync("docs/compose.md", "utf8");
    const section = page.slice(
      page.indexOf("### Database and admin ports"),
      page.indexOf("## New or already there"),
    );
    const rows = [...section.matchAll(/^\| (\d+) \| (.+?) \|$/gm)].map((m) => [
      Number(m[1]),
      m[2]!.replace(" (critical)", ""),
    ]);
    expect(rows).toEqual([...DATABASE_PORTS.entries()]);
  });
});
