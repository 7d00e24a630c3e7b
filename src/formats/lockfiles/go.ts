import { ParseError } from "../errors.js";
import { assertNoConflictMarkers } from "./text.js";
import { type Dependency, emptyManifest, type ParsedManifest } from "./types.js";

/** Go modules: go.mod (require, replace, blocks, `// indirect`) and go.sum. */

const MODULE_PATH = /^[A-Za-z0-9][A-Za-z0-9._~\-/+!]*$/;

function stripComment(line: string): { code: string; comment: string } {
  const at = line.indexOf("//");
  return at < 0
    ? { code: line.trim(), comment: "" }
    : { code: line.slice(0, at).trim(), comment: line.slice(at + 2).trim() };
}

function unquoteGo(s: string): string {
  return /^".*"$|^`.*`$/.test(s) ? s.slice(1, -1) : s;
}

export function parseGoMod(_text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const out = emptyManifest("manifest", "go.mod", "Go");
  let block: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const { code, comment } = stripComment(lines[i]!);
    if (code === "") continue;
    let verb: string;
    let args: string;
    if (block) {
      if (code === ")") {
        block = undefined;
        continue;
      }
      verb = block;
      args = code;
    } else {
      const m = /^([a-z]+)\s*(.*)$/.exec(code);
      if (!m) throw new ParseError(`unexpected ${JSON.stringify(code.slice(0, 40))}`, i + 1);
      verb = m[1]!;
      args = m[2]!.trim();
      if (args === "(") {
        block = verb;
        continue;
      }
    }
    const line = i + 1;
    if (verb === "require") {
      const [path, version] = args.split(/\s+/).map(unquoteGo);
      if (!path || !version || !MODULE_PATH.test(path))
        throw new ParseError(`malformed require ${JSON.stringify(args.slice(0, 60))}`, line);
      out.dependencies.push({
        ecosystem: "Go",
        name: path,
        version,
        direct: !/\bindirect\b/.test(comment),
        dev: false,
        line,
        key: path,
      });
    } else if (verb === "replace") {
      const m = /^(\S+)(?:\s+(\S+))?\s*=>\s*(\S+)(?:\s+(\S+))?$/.exec(args);
      if (!m) throw new ParseError(`malformed replace ${JSON.stringify(args.slice(0, 60))}`, line);
      const to = unquoteGo(m[3]!);
      out.replacements.push({
        from: unquoteGo(m[1]!),
        fromVersion: m[2],
        to,
        toVersion: m[4],
        local: /^(\.{1,2}[/\\]|\/|[A-Za-z]:\\)/.test(to) || to === "." || to === "..",
        line,
      });
    } else if (
      !["module", "go", "toolchain", "exclude", "retract", "godebug", "tool", "ignore"].includes(verb)
    ) {
      throw new ParseError(`unknown directive ${JSON.stringify(verb.slice(0, 20))}`, line);
    }
  }
  if (block) throw new ParseError(`unterminated ${block} block`, lines.length);
  return out;
}

export function parseGoSum(_text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const out = emptyManifest("lockfile", "go.sum", "Go");
  const byId = new Map<string, Dependency>();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l === "") continue;
    const m = /^(\S+)\s+(\S+?)(\/go\.mod)?\s+(\S+)$/.exec(l);
    if (!m) throw new ParseError(`malformed go.sum line ${JSON.stringify(l.slice(0, 60))}`, i + 1);
    const [, path, version, goMod, hash] = m;
    const id = `${path}@${version}`;
    let dep = byId.get(id);
    if (!dep) {
      dep = { ecosystem: "Go", name: path!, version, direct: false, dev: false, line: i + 1, key: path! };
      byId.set(id, dep);
      out.dependencies.push(dep);
    }
    // The module zip hash and the go.mod hash are kept apart so that one cannot stand in for the other.
    const token = goMod ? `gomod:${hash}` : hash!;
    dep.integrity = dep.integrity ? [dep.integrity, token].sort().join(" ") : token;
    if (!goMod) dep.line = i + 1;
  }
  return out;
}
