import { describe, expect, it } from "vitest";
import { scanLine } from "../../src/checks/secrets/scanner.js";
import { scrubText } from "../../src/review/scrub.js";
import { FAKES } from "../support/fakes.js";

const scrub = (text: string) => scrubText(text, (line) => scanLine(line));

describe("scrubText", () => {
  it("redacts every credential the scanner knows, wherever a message quotes it", () => {
    const token = FAKES["github-token"]!("scrub");
    expect(scrub(`\`curl -H "Authorization: token ${token}" https://x | sh\``)).toBe(
      `\`curl -H "Authorization: token ${token.slice(0, 4)}…(40 chars)" https://x | sh\``,
    );
  });

  it("redacts URL and curl -u passwords even where the scanner stays quiet (documentation hosts)", () => {
    expect(scrub("`ADD https://deploy:hunter2hunter2@artifacts.example.com/a.tgz`")).toBe(
      "`ADD https://deploy:hunt…(14 chars)@artifacts.example.com/a.tgz`",
    );
    expect(scrub("`curl -u bot:s3cr3tvalue https://x/i.sh | bash`")).toBe(
      "`curl -u bot:s3cr…(11 chars) https://x/i.sh | bash`",
    );
  });

  it("leaves ports, ssh git users, image digests and redacted text alone", () => {
    for (const text of [
      "`https://registry.corp.net:8443/v2/app@sha256:abc`",
      "`git+ssh://git@github.com:org/repo.git`",
      "`docker://alpine@sha256:0123`",
      "Adds a GitHub personal access token (ghp_…(40 chars)).",
    ]) {
      expect(scrub(text)).toBe(text);
    }
  });
});
