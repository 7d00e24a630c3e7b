import { type GroovyString, readGroovy } from "../../formats/groovy.js";
import {
  lineStartsOf,
  normalizeSpace,
  positionIn,
  type ShellSource,
  sourceInFile,
} from "../shell/reading.js";
import type { CiImage, CiScript } from "./facts.js";

/**
 * What the ci/ checks need from a Jenkinsfile, read from its string literals
 * (src/formats/groovy.ts) and the code around them with strings and
 * comments blanked: each `sh`/`bat`/`powershell`/`pwsh` step's string, the
 * stage it runs in, the `withCredentials` and `credentials()` variables in
 * scope there, and `docker` agent images. Declarative and scripted pipelines
 * are read the same way: both are Groovy calls.
 */

export type JenkinsStepName = "sh" | "bat" | "powershell" | "pwsh";

export interface JenkinsStep {
  step: JenkinsStepName;
  literal: GroovyString;
  /** The literal's content as written (escapes kept), whitespace collapsed: the step's identity. */
  text: string;
  /** `stage:Build` (innermost stage), or `pipeline` outside any stage. */
  scope: string;
  /** Secret variables bound around the step (`withCredentials`, `environment { X = credentials(…) }`). */
  secrets: ReadonlySet<string>;
  source: ShellSource;
}

export interface JenkinsModel {
  steps: JenkinsStep[];
  scripts: CiScript[];
  images: CiImage[];
  /** The first string literal that never closes, for `meta/parse-error`. */
  unterminated?: { line: number; column: number; kind: string };
  position(offset: number): { line: number; column: number };
}

/** The code before a literal that makes it a step's script: `sh `, `sh(`, `sh(returnStdout: true, script: `. */
const STEP_BEFORE =
  /\b(sh|bat|powershell|pwsh)\s*(?:\(\s*)?(?:(?:[A-Za-z]+\s*:\s*(?:'{1,3}[^'\n]*'{1,3}|"{1,3}[^"\n]*"{1,3}|true|false|[\w.]+)\s*,\s*)*script\s*:\s*)?$/;
const STAGE_BEFORE = /\bstage\s*\(\s*(?:name\s*:\s*)?$/;
const IMAGE_BEFORE = /(?:\bimage\s*\(?\s*|\bdocker\s*\.\s*image\s*\(\s*|\bdocker\s+)$/;
const CREDENTIAL_VARIABLE_BEFORE = /\b[A-Za-z]*(?:[vV]ariable)\s*:\s*$/;
const ENV_CREDENTIALS_BEFORE = /\b([A-Za-z_]\w*)\s*=\s*credentials\s*\(\s*$/;
/** How far back from a literal the step, stage and binding patterns look: bounded, so many literals stay linear. */
const LOOKBACK = 240;
/** How many enclosing blocks are walked for a stage name or a credentials scope. */
const MAX_BLOCK_DEPTH = 64;

export function readJenkinsfile(text: string): JenkinsModel {
  const { strings, code } = readGroovy(text);
  const lineStarts = lineStartsOf(text);
  const position = (offset: number) => positionIn(lineStarts, offset);
  const blocks = new BlockSweep(code);
  const stageOf = new Map<number, string>();
  const secretsOf = new Map<number, Set<string>>();
  const steps: JenkinsStep[] = [];
  const images: CiImage[] = [];
  let unterminated: JenkinsModel["unterminated"];

  for (const s of strings) {
    if (!s.terminated && !unterminated) unterminated = { ...position(s.start), kind: s.kind };
    blocks.advance(s.start);
    const before = code.slice(Math.max(0, s.start - LOOKBACK), s.start).trimEnd();
    // What may precede a literal that matters ends in `(`, `:`, `,` or a word: anything else is data.
    const last = before[before.length - 1];
    if (last === undefined || !/[(:,\w]/.test(last)) continue;
    const content = text.slice(s.contentStart, s.contentEnd);
    if (last !== "," && STAGE_BEFORE.test(before)) {
      const open = blockAfter(code, s.end);
      if (open >= 0) stageOf.set(open, normalizeSpace(content));
      continue;
    }
    const variable = last === ":" && CREDENTIAL_VARIABLE_BEFORE.test(before);
    const envCredential = variable || last !== "(" ? undefined : ENV_CREDENTIALS_BEFORE.exec(before);
    if (variable || envCredential) {
      const names = envCredential
        ? [envCredential[1]!, `${envCredential[1]}_USR`, `${envCredential[1]}_PSW`]
        : [content];
      // `withCredentials([…]) { … }`: the block after the call; `environment { X = credentials('id') }`: the block around `environment`.
      const scope = variable ? withCredentialsBlock(code, s.start) : blocks.parentOfInnermost();
      if (scope !== undefined && scope >= 0) {
        const set = secretsOf.get(scope) ?? new Set<string>();
        for (const name of names) if (/^[A-Za-z_]\w*$/.test(name)) set.add(name);
        secretsOf.set(scope, set);
      }
      continue;
    }
    if (IMAGE_BEFORE.test(before)) {
      images.push({ text: content, ...position(s.contentStart), scope: scopeOf().scope });
      continue;
    }
    const step = STEP_BEFORE.exec(before)?.[1] as JenkinsStepName | undefined;
    if (!step) continue;
    const { scope, secrets } = scopeOf();
    steps.push({
      step,
      literal: s,
      text: normalizeSpace(content),
      scope,
      secrets,
      source: sourceInFile(content, s.contentStart, lineStarts),
    });
  }

  const scripts: CiScript[] = steps.map((s) => ({
    source: s.source,
    scope: `${s.scope}/${s.step}`,
    shell: s.step === "sh" ? "posix" : s.step === "bat" ? "cmd" : "powershell",
  }));
  return { steps, scripts, images, unterminated, position };

  /** The innermost stage and the secrets bound by the blocks around the sweep's position. */
  function scopeOf(): { scope: string; secrets: Set<string> } {
    let stage: string | undefined;
    const secrets = new Set<string>();
    for (const block of blocks.innermost(MAX_BLOCK_DEPTH)) {
      stage ??= stageOf.get(block);
      for (const name of secretsOf.get(block) ?? []) secrets.add(name);
    }
    return { scope: stage === undefined ? "pipeline" : `stage:${stage}`, secrets };
  }
}

const BRACES = /[{}]/g;

/**
 * The `{` blocks open at a position of the blanked code, kept by sweeping the
 * code once in order (literals come in order): a stack, not a table per
 * character.
 */
class BlockSweep {
  private readonly open: number[] = [];
  /** Offset of the next brace not yet swept. */
  private next = 0;

  constructor(private readonly code: string) {}

  advance(to: number): void {
    // The next brace is remembered: without it, a file with no brace left would be rescanned to its end per literal.
    if (this.next >= to) return;
    BRACES.lastIndex = this.next;
    let m = BRACES.exec(this.code);
    for (; m && m.index < to; m = BRACES.exec(this.code)) {
      if (m[0] === "{") this.open.push(m.index);
      else this.open.pop();
    }
    this.next = m ? m.index : Number.POSITIVE_INFINITY;
  }

  /** Open blocks from the innermost outwards, at most `max`. */
  *innermost(max: number): Generator<number> {
    for (let k = this.open.length - 1; k >= 0 && this.open.length - k <= max; k--) yield this.open[k]!;
  }

  /** The block around the innermost one (`environment { … }` → its stage or pipeline), or -1. */
  parentOfInnermost(): number {
    return this.open.length >= 2 ? this.open[this.open.length - 2]! : -1;
  }
}

/** The `{` opening the block right after `stage('x')` (only blanks and `)` in between). */
function blockAfter(code: string, from: number): number {
  for (let i = from; i < code.length && i < from + LOOKBACK; i++) {
    const c = code[i]!;
    if (c === "{") return i;
    if (!/[\s)]/.test(c)) return -1;
  }
  return -1;
}

/** How far a `withCredentials(` argument list is followed to its `)`. */
const MAX_BINDINGS_LENGTH = 8_192;

/** The block of the `withCredentials(…) { … }` call whose argument list holds `offset`. */
function withCredentialsBlock(code: string, offset: number): number | undefined {
  const from = Math.max(0, offset - 4 * LOOKBACK);
  const found = code.slice(from, offset).lastIndexOf("withCredentials");
  if (found < 0) return undefined;
  const open = code.indexOf("(", from + found);
  if (open < 0 || open > offset) return undefined;
  let depth = 0;
  for (let i = open; i < code.length && i - open < MAX_BINDINGS_LENGTH; i++) {
    const c = code[i];
    if (c === "(") depth++;
    else if (c === ")" && --depth === 0) {
      if (i < offset) return undefined;
      const block = blockAfter(code, i + 1);
      return block >= 0 ? block : undefined;
    }
  }
  return undefined;
}
