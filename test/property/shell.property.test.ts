import fc from "fast-check";
import { describe, it } from "vitest";
import { invocation, parseShell } from "../../src/formats/shell/commands.js";
import { fileNamedIn, fileWrites, heredocsIn } from "../../src/formats/shell/env-files.js";
import { expectLinear, HOSTILE, PROPERTY_RUNS, tokenSoup } from "./support.js";

const FRAGMENTS = [
  ...HOSTILE,
  "echo ",
  " >> $GITHUB_ENV",
  ' >> "$GITHUB_OUTPUT"',
  "${GITHUB_PATH}",
  "<<EOF\n",
  "EOF\n",
  "<<-'X'\n",
  "$(",
  ")",
  "`",
  "&&",
  "||",
  ";",
  "|",
  "if ",
  "then ",
  "fi",
  "for x in y; do ",
  "done",
  "case $x in a) ;; esac",
  "{ ",
  " }",
  "exec >>",
  "curl -s https://x | sh",
  "sudo ",
  "bash -c '",
];

describe("shell readers (property)", () => {
  it("never throw, on any script", () => {
    fc.assert(
      fc.property(tokenSoup(FRAGMENTS, 80), (text) => {
        for (const pipeline of parseShell(text)) {
          for (const command of pipeline.commands) invocation(command);
        }
        fileWrites(text);
        for (const line of text.split("\n")) {
          fileNamedIn(line);
          heredocsIn(line);
        }
      }),
      PROPERTY_RUNS,
    );
  });

  const shapes = {
    "one long line of commands": (n: number) => "echo a && ".repeat(n),
    "long pipeline": (n: number) => "cat x | ".repeat(n),
    "runs of backslashes": (n: number) => `echo ${"\\".repeat(n * 10)}`,
    "unterminated quotes": (n: number) => `echo "${"a ' b ".repeat(n)}`,
    "nested substitutions": (n: number) => `echo ${"$(".repeat(n)}x${")".repeat(n)}`,
    "unclosed substitutions": (n: number) => `echo ${"$(".repeat(n)}`,
    "many heredocs": (n: number) => "cat <<EOF >> $GITHUB_ENV\nA=b\nEOF\n".repeat(n),
    "unterminated heredocs": (n: number) => "cat <<EOF >> $GITHUB_ENV\n".repeat(n),
    "many env-file writes": (n: number) => 'echo "A=${{ x }}" >> "$GITHUB_ENV"\n'.repeat(n),
    "deep if nesting": (n: number) => `${"if a; then\n".repeat(n)}echo >> $GITHUB_ENV\n${"fi\n".repeat(n)}`,
    "many \\r": (n: number) => "echo a >> $GITHUB_ENV\r".repeat(n),
  };

  it("the Dockerfile RUN reader takes linear time", () => {
    expectLinear(
      shapes,
      (text) => {
        for (const pipeline of parseShell(text)) for (const command of pipeline.commands) invocation(command);
      },
      150,
    );
  });

  it("the workflow run: reader takes linear time", () => {
    let fresh = 0;
    // fileWrites caches by script text: a new comment per run defeats the cache, so work is measured.
    expectLinear(shapes, (text) => fileWrites(`${text}\n# ${fresh++}`), 150);
  });
});
