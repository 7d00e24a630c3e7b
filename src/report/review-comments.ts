import { type Hunk, PatchError, parsePatch } from "../formats/patch.js";
import { type Finding, SEVERITIES } from "../review/types.js";
import { severityRank } from "../review/verdict.js";
import { truncate } from "./check-run.js";
import { codeSpan, escapeInline } from "./escape.js";
import { ruleDocUrl } from "./links.js";
import { GITHUB_TEXT_LIMIT, SEVERITY_ICON } from "./markdown.js";

/**
 * Inline review comments. GitHub rejects a whole review (422) when one
 * comment is not on a line of the diff, so every comment is checked against
 * the file's patch hunks before it is sent; the rest stay in the check run.
 * Each body carries a hidden fingerprint so a later run (on any instance)
 * knows what was already said.
 */

export interface ReviewComment {
  path: string;
  body: string;
  line: number;
  side: "LEFT" | "RIGHT";
  start_line?: number;
  start_side?: "LEFT" | "RIGHT";
}

export interface CommentOptions {
  docsBaseUrl?: string;
}

const FINGERPRINT = /<!-- tollgate:fingerprint=([0-9a-f]{16}) -->/g;
const FIXED = /<!-- tollgate:fixed=([0-9a-f]{16}) -->/g;

export function fingerprintMarker(fingerprint: string): string {
  return `<!-- tollgate:fingerprint=${fingerprint} -->`;
}

/** Fingerprints named by hidden markers in a comment or review body. */
export function markedFingerprints(body: string | null | undefined): string[] {
  return body ? [...body.matchAll(FINGERPRINT)].map((m) => m[1]!) : [];
}

/** Fingerprints a "fixed in" reply already announced. */
export function fixedFingerprints(body: string | null | undefined): string[] {
  return body ? [...body.matchAll(FIXED)].map((m) => m[1]!) : [];
}

export function commentBody(f: Finding, options: CommentOptions = {}): string {
  const fix = f.fix;
  const lines = [
    `${SEVERITY_ICON[f.severity]} **${f.severity}** · [\`${f.ruleId}\`](${ruleDocUrl(f.ruleId, options.docsBaseUrl)})`,
    "",
    escapeInline(f.message),
  ];
  if (f.evidence) lines.push("", `Evidence: ${codeSpan(f.evidence)}`);
  if (fix) lines.push("", `**Fix:** ${escapeInline(fix)}`);
  lines.push("", `<sub>Suppress with \`/tollgate ignore ${f.ruleId} -- <reason>\`.</sub>`);
  // The marker goes last and survives truncation: it is how later runs recognise the comment.
  const marker = fingerprintMarker(f.fingerprint);
  return `${truncate(lines.join("\n"), GITHUB_TEXT_LIMIT - marker.length - 1)}\n${marker}`;
}

export function fixedReplyBody(sha: string, fingerprint: string): string {
  return `✅ Fixed in ${sha.slice(0, 12)}: this finding is no longer reported.\n<!-- tollgate:fixed=${fingerprint} -->`;
}

/** Lines of one file a comment may sit on, with their hunk (a multi-line comment must stay in one hunk). */
export class Anchors {
  private readonly right = new Map<number, number>();
  private readonly left = new Map<number, number>();

  constructor(hunks: readonly Hunk[]) {
    hunks.forEach((h, i) => {
      for (const l of h.lines) {
        if (l.kind === "del") this.left.set(l.oldLine!, i);
        else this.right.set(l.newLine!, i);
      }
    });
  }

  /** Index of the hunk holding that line on that side, or -1. */
  hunkOf(line: number, side: "LEFT" | "RIGHT"): number {
    return (side === "LEFT" ? this.left : this.right).get(line) ?? -1;
  }

  static fromPatch(patch: string | undefined): Anchors | undefined {
    if (patch === undefined) return undefined;
    try {
      return new Anchors(parsePatch(patch));
    } catch (e) {
      if (e instanceof PatchError) return undefined;
      throw e;
    }
  }
}

/** Where a finding can be commented on, or undefined when its lines are outside the diff. */
export function placeComment(
  f: Finding,
  patch: string | Anchors | undefined,
): Omit<ReviewComment, "body"> | undefined {
  const anchors = patch instanceof Anchors ? patch : Anchors.fromPatch(patch);
  if (!anchors) return undefined;
  const side = f.side ?? "RIGHT";
  const first = anchors.hunkOf(f.line, side);
  if (first < 0) return undefined;
  if (side === "RIGHT" && f.endLine !== undefined && f.endLine > f.line) {
    if (anchors.hunkOf(f.endLine, side) === first) {
      return { path: f.path, start_line: f.line, start_side: side, line: f.endLine, side };
    }
  }
  return { path: f.path, line: f.line, side };
}

export interface CommentSelection {
  comments: ReviewComment[];
  /** Findings that got an inline comment. */
  inline: Finding[];
  /** New findings outside the diff or over the cap: they stay in the check run and the review body. */
  elsewhere: Finding[];
}

/** Blocking and severe findings get the limited inline slots first. */
function priority(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    a.path.localeCompare(b.path) ||
    a.line - b.line ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

export function selectInlineComments(
  findings: readonly Finding[],
  patches: ReadonlyMap<string, string | undefined>,
  options: CommentOptions & { max: number },
): CommentSelection {
  const selection: CommentSelection = { comments: [], inline: [], elsewhere: [] };
  const cache = new Map<string, Anchors | undefined>();
  for (const f of [...findings].sort(priority)) {
    if (selection.comments.length >= options.max || !patches.has(f.path)) {
      selection.elsewhere.push(f);
      continue;
    }
    if (!cache.has(f.path)) cache.set(f.path, Anchors.fromPatch(patches.get(f.path)));
    const placed = placeComment(f, cache.get(f.path));
    if (!placed) {
      selection.elsewhere.push(f);
      continue;
    }
    selection.comments.push({ ...placed, body: commentBody(f, options) });
    selection.inline.push(f);
  }
  return selection;
}

export interface ReviewBodyOptions extends CommentOptions {
  headSha: string;
  /** Link to the check run with every finding. */
  checkRunUrl?: string;
  /** The inline comments were dropped (GitHub answered 422): list every finding here instead. */
  inlineRejected?: boolean;
}

/** Most findings listed in a review body; the check run has them all. */
const BODY_LIST_LIMIT = 100;

export function reviewBody(selection: CommentSelection, options: ReviewBodyOptions): string {
  const listed = options.inlineRejected ? [...selection.inline, ...selection.elsewhere] : selection.elsewhere;
  const total = selection.inline.length + selection.elsewhere.length;
  const counts = SEVERITIES.map(
    (s) => [s, [...selection.inline, ...selection.elsewhere].filter((f) => f.severity === s).length] as const,
  )
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const where = options.checkRunUrl
    ? `[the \`tollgate\` check run](${options.checkRunUrl})`
    : "the `tollgate` check run";
  const lines = [
    `**Tollgate** found ${total} new finding${total === 1 ? "" : "s"} (${counts.join(", ")}) in ${options.headSha.slice(0, 12)}. The full report is in ${where}.`,
  ];
  if (options.inlineRejected) {
    lines.push("", "_GitHub rejected the inline comments for this review, so the findings are listed here._");
  }
  if (listed.length > 0) {
    lines.push(
      "",
      options.inlineRejected ? "Findings:" : "Not on a line of this diff, or over the inline comment limit:",
      "",
    );
    for (const f of listed.slice(0, BODY_LIST_LIMIT)) {
      const fix = f.fix;
      lines.push(
        `- ${SEVERITY_ICON[f.severity]} **${f.severity}** [\`${f.ruleId}\`](${ruleDocUrl(f.ruleId, options.docsBaseUrl)}) ${codeSpan(`${f.path}:${f.line}`)}: ${escapeInline(f.message)}${fix ? ` Fix: ${escapeInline(fix)}` : ""} ${fingerprintMarker(f.fingerprint)}`,
      );
    }
    if (listed.length > BODY_LIST_LIMIT)
      lines.push(`- … and ${listed.length - BODY_LIST_LIMIT} more in the check run.`);
  }
  return truncate(
    lines.join("\n"),
    GITHUB_TEXT_LIMIT,
    "\n\n_… truncated to fit GitHub's 65,535-character limit; every finding is in the check run._",
  );
}
