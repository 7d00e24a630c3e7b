import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The layers of src/ point one way (docs/architecture/layers.md). This test
 * reads every import of every file under src/ — static, `export … from`,
 * `import type` and dynamic `import("…")` — and fails on an import that goes
 * up a layer and on any import cycle between files.
 */

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");

/**
 * What each unit of src/ may import besides itself. A unit is a top-level
 * directory, or a file directly under src/. A unit missing here fails the
 * test: a new directory gets a place in the layers before it gets code.
 */
const ALLOWED: Record<string, readonly string[]> = {
  // The bottom: parsers, shared file types, ParseError, version order. Imports nothing of Tollgate.
  formats: [],
  "version.ts": [],
  // Data from outside (OSV): its client, its pure mapping, the advisory port the engine is handed.
  services: ["formats"],
  // Rules' logic. Reads review's model (types, config, catalogue), never the engine (see below).
  checks: ["formats", "services", "review"],
  // The engine and its model. Loads the checks; knows nothing of how a review is shown or delivered.
  review: ["formats", "services", "checks"],
  // Renders a review (text, JSON, SARIF, Markdown, check runs, review comments).
  report: ["formats", "review", "checks", "version.ts"],
  // The /tollgate slash commands.
  "slash-commands": ["formats", "review", "report"],
  // The two front ends. Neither imports the other.
  cli: ["formats", "services", "checks", "review", "report", "version.ts"],
  app: ["formats", "services", "checks", "review", "report", "slash-commands", "version.ts"],
  // The token front end (tollgate pr, the GitHub Action): the app's review flow on the app's port, with a token.
  token: ["formats", "services", "checks", "review", "report", "slash-commands", "version.ts", "app"],
  // The tollgate command: the local commands (cli) and, loaded on demand, the pull-request command (token).
  "main.ts": ["cli", "token"],
  "server.ts": ["app", "version.ts"],
  "index.ts": ["app", "server.ts"],
};

/** Finer rules inside an allowed pair: [from unit, to file under src/, why]. */
const FORBIDDEN_FILES: ReadonlyArray<readonly [string, string, string]> = [
  ["checks", "review/engine.ts", "a check is run by the engine; it never calls it"],
];

/**
 * Cycles that exist and are owned elsewhere, each to be removed by the work
 * that owns its files (this list may only shrink: a listed cycle that is gone
 * fails the test until its entry is deleted).
 */
const KNOWN_CYCLES: ReadonlyArray<{ files: readonly string[]; owner: string }> = [];

/**
 * Cycles through `import type` only: erased from the JavaScript, so nothing loads in a loop, but
 * still listed so that a new one is a decision. review/defaults.ts types its literal with the
 * schema's `Config` so that the CLI starts without loading zod; config.ts uses that literal.
 */
const TYPE_ONLY_CYCLES: ReadonlyArray<readonly string[]> = [
  ["review/config.ts", "review/defaults.ts"],
  // The pull-request context, the app's dependencies and the suppression source name each other's types.
  ["app/deps.ts", "app/pull-request-context.ts", "app/suppressions-source.ts"],
];

interface Edge {
  from: string;
  to: string;
  /** `import type` / `export type`: erased from the JavaScript, so it cannot take part in a load-order cycle. */
  typeOnly: boolean;
  line: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}

function importsOf(file: string): Edge[] {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edges: Edge[] = [];
  const add = (specifier: ts.Node | undefined, typeOnly: boolean) => {
    if (!specifier || !ts.isStringLiteralLike(specifier) || !specifier.text.startsWith(".")) return;
    const target = resolve(dirname(file), specifier.text.replace(/\.js$/, ".ts"));
    if (!existsSync(target)) throw new Error(`${relative(SRC, file)}: cannot resolve ${specifier.text}`);
    const line = source.getLineAndCharacterOfPosition(specifier.getStart()).line + 1;
    edges.push({ from: relative(SRC, file), to: relative(SRC, target), typeOnly, line });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, node.importClause?.isTypeOnly ?? false);
    else if (ts.isExportDeclaration(node)) add(node.moduleSpecifier, node.isTypeOnly);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
      add(node.arguments[0], false);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument))
      add(node.argument.literal, true);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

const unitOf = (path: string) => path.split("/")[0]!;

const files = sourceFiles(SRC);
const edges = files.flatMap(importsOf);

/** Strongly connected components of more than one file (Tarjan), over the given edges. */
function cycles(list: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of list) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const connect = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || next.get(v)?.includes(v)) found.push(component.sort());
  };
  for (const v of next.keys()) if (!index.has(v)) connect(v);
  return found;
}

describe("layers (docs/architecture/layers.md)", () => {
  it("reads the imports of src/", () => {
    // A broken reader would pass every rule below: make sure it sees the graph.
    expect(edges.length).toBeGreaterThan(300);
    expect(edges).toContainEqual(
      expect.objectContaining({ from: "review/engine.ts", to: "checks/index.ts" }),
    );
  });

  it("gives every unit of src/ a layer", () => {
    const units = new Set(files.map((f) => unitOf(relative(SRC, f))));
    expect([...units].filter((u) => !(u in ALLOWED))).toEqual([]);
  });

  it("has no upward import (types included)", () => {
    const upward = edges
      .filter((e) => unitOf(e.from) !== unitOf(e.to) && !ALLOWED[unitOf(e.from)]?.includes(unitOf(e.to)))
      .map((e) => `${e.from}:${e.line} imports ${e.to}`);
    expect(upward).toEqual([]);
  });

  it("keeps the finer rules inside allowed pairs", () => {
    const broken = edges.flatMap((e) =>
      FORBIDDEN_FILES.filter(([unit, file]) => unitOf(e.from) === unit && e.to === file).map(
        ([, , why]) => `${e.from}:${e.line} imports ${e.to}: ${why}`,
      ),
    );
    expect(broken).toEqual([]);
  });

  it("has no import cycle between files (type-only imports aside), apart from the listed ones", () => {
    const found = cycles(edges.filter((e) => !e.typeOnly)).map((c) => c.join(" → "));
    const known = KNOWN_CYCLES.map((c) => [...c.files].sort().join(" → "));
    expect(found.filter((c) => !known.includes(c))).toEqual([]);
    // The list only shrinks: delete an entry once its cycle is gone.
    expect(known.filter((c) => !found.includes(c))).toEqual([]);
  });

  it("has no cycle through type-only imports either, apart from the listed ones", () => {
    const runtime = new Set(cycles(edges.filter((e) => !e.typeOnly)).map((c) => c.join(" → ")));
    const found = cycles(edges)
      .map((c) => c.join(" → "))
      .filter((c) => !runtime.has(c));
    expect(found).toEqual(TYPE_ONLY_CYCLES.map((c) => [...c].sort().join(" → ")));
  });

  it("keeps formats/ free of checks/ and review/ (the issue's grep)", () => {
    expect(edges.filter((e) => e.from.startsWith("formats/") && /^(checks|review)\//.test(e.to))).toEqual([]);
  });
});
