import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Issue 12: no function in src/review or src/app over about 80 lines, so each
 * step of a review and of a slash command has a name (docs/architecture.md).
 */

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");
const DIRECTORIES = ["review", "app"];
const MAX_LINES = 80;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

function longFunctions(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const last = source.getLineAndCharacterOfPosition(node.end).line;
      const name = (node as { name?: ts.Node }).name?.getText(source) ?? "(anonymous)";
      if (last - first + 1 > MAX_LINES)
        out.push(`${relative(SRC, file)}:${first + 1} ${name}: ${last - first + 1} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe(`functions of ${DIRECTORIES.join(", ")}`, () => {
  it(`are at most ${MAX_LINES} lines long`, () => {
    const files = DIRECTORIES.flatMap((d) => sourceFiles(join(SRC, d)));
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap(longFunctions)).toEqual([]);
  });
});
