import { type Hunk, PatchError, parsePatch } from "../formats/patch.js";
import { type Finding, SEVERITIES } from "../review/types.js";
import { severityRank } from "../review/verdict.js";
import { truncate } from "./check-run.js";
import { codeSpan, escapeInline } from "./escape.js";
import { groupFindings, otherPlaces, place } from "./grouping.js";
import { ruleDocUrl } from "./links.js";
import { GITHUB_TEXT_LIMIT, SEVERITY_ICON } from "./markdown.js";

/**
 * Inline review comments. GitHub rejects a whole review (422) when one
 * comment is not on a line of the diff, so every comment is checked against
 * the file's patch hunks before it is sent; the rest stay in the check run.
 * Each body carries a hidden fingerprint so a later run (on any instance)
 * knows what was already said. Identical findings in several files are one
 * comment on the first place that listing the others, with a marker for every
 * finding it stands for, so none of them is commented again later.
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

/**
 * `others`: the identical findings in other files this comment stands for
 * (see grouping.ts). Their markers follow the finding's own, which stays first.
 */
export function commentBody(
  f: Finding,
  options: CommentOptions = {},
  others: readonly Finding[] = [],
): string {
  const fix = f.fix;
  const lines = [
    `${SEVERITY_ICON[f.severity]} **${f.severity}** · [\`${f.ruleId}\`](${ruleDocUrl(f.ruleId, options.docsBaseUrl)})`,
    "",
    escapeInline(f.message),
  ];
  if (f.evidence) lines.push("", `Evidence: ${codeSpan(f.evidence)}`);
  if (fix) lines.push("", `**Fix:** ${escapeInline(fix)}`);
  if (others.length > 0) lines.push("", otherPlaces(others));
  lines.push("", `<sub>Suppress with \`/tollgate ignore ${f.ruleId} -- <reason>\`.</sub>`);
  // The markers go last and survive truncation: they are how later runs recognise the comment.
  const marker = [f, ...others].map((g) => fingerprintMarker(g.fingerprint)).join("\n");
  return `${truncate(lines.join("\n"), GITHUB_TEXT_LIMIT - marker.length - 1)}\n${marker}`;
}

/** A "fixed" reply; for a grouped comment, pass every fingerprint it stands for. */
export function fixedReplyBody(sha: string, fingerprints: string | readonly string[]): string {
  const fps = typeof fingerprints === "string" ? [fingerprints] : fingerprints;
  const what =
    fps.length > 1
      ? `this finding is no longer reported in any of its ${fps.length} places.`
      : "this finding is no longer reported.";
  return `✅ Fixed in ${sha.slice(0, 12)}: ${what}\n${fps.map((fp) => `<!-- tollgate:fixed=${fp} -->`).join("\n")}`;
}

/**
 * Whether a thread of ours is fixed, for a grouped comment too: every
 * finding it stands for is gone and not yet announced. Returns the
 * fingerprints to announce (pass them to `fixedReplyBody`), or undefined
 * while any of them is still reported.
 *
 * The app, as of this change, reads only a comment's first marker — the
 * finding the comment sits on — so a group's thread is answered when that
 * place is fixed; this is the stricter test for it to adopt.
 */
export function fixedThread(
  body: string | null | undefined,
  present: ReadonlySet<string>,
  announced: ReadonlySet<string>,
): string[] | undefined {
  const fps = markedFingerprints(body);
  if (fps.length === 0 || fps.some((fp) => present.has(fp)) || announced.has(fps[0]!)) return undefined;
  return fps;
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
  /** Findings that got an inline comment, their own or a grouped one's. */
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
  const placeOf = (f: Finding) => {
    if (!patches.has(f.path)) return undefined;
    if (!cache.has(f.path)) cache.set(f.path, Anchors.fromPatch(patches.get(f.path)));
    return placeComment(f, cache.get(f.path));
  };
  // max-comments counts comments, so a group takes one slot however many files it covers.
  for (const { findings: members } of groupFindings([...findings].sort(priority))) {
    let primary: Finding | undefined;
    let placed: ReturnType<typeof placeComment>;
    // The first place (by priority) that is on a line of the diff carries the comment.
    for (const f of selection.comments.length < options.max ? members : []) {
      placed = placeOf(f);
      if (placed) {
        primary = f;
        break;
      }
    }
    if (!primary || !placed) {
      selection.elsewhere.push(...members);
      continue;
    }
    const others = members.filter((f) => f !== primary);
    selection.comments.push({ ...placed, body: commentBody(primary, options, others) });
    selection.inline.push(primary, ...others);
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

/** Most entries (findings, or groups of identical ones) listed in a review body; the check run has them all. */
const BODY_LIST_LIMIT = 100;

export function reviewBody(selection: CommentSelection, options: ReviewBodyOptions): string {
  const all = [...selection.inline, ...selection.elsewhere];
  const listed = groupFindings([...(options.inlineRejected ? all : selection.elsewhere)].sort(priority));
  const total = all.length;
  const shown = groupFindings([...all].sort(priority)).length;
  const counts = SEVERITIES.map((s) => [s, all.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const where = options.checkRunUrl
    ? `[the \`tollgate\` check run](${options.checkRunUrl})`
    : "the `tollgate` check run";
  const grouped =
    shown < total ? `, shown as ${shown} because identical findings in several files are grouped` : "";
  const lines = [
    `**Tollgate** found ${total} new finding${total === 1 ? "" : "s"} (${counts.join(", ")}) in ${options.headSha.slice(0, 12)}${grouped}. The full report is in ${where}.`,
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
    // Entries are whole or absent: a cut entry would lose markers, and its findings would look unsaid.
    let room = GITHUB_TEXT_LIMIT - lines.join("\n").length - 400;
    let entries = 0;
    for (const { findings: members } of listed) {
      const [f, ...others] = members as [Finding, ...Finding[]];
      const fix = f.fix;
      const entry = `- ${SEVERITY_ICON[f.severity]} **${f.severity}** [\`${f.ruleId}\`](${ruleDocUrl(f.ruleId, options.docsBaseUrl)}) ${place(f)}: ${escapeInline(f.message)}${fix ? ` Fix: ${escapeInline(fix)}` : ""}${others.length > 0 ? ` ${otherPlaces(others)}` : ""} ${members.map((g) => fingerprintMarker(g.fingerprint)).join(" ")}`;
      if (entries >= BODY_LIST_LIMIT || entry.length + 1 > room) break;
      lines.push(entry);
      room -= entry.length + 1;
      entries++;
    }
    const rest = listed.slice(entries).reduce((n, g) => n + g.findings.length, 0);
    if (rest > 0) lines.push(`- … and ${rest} more in the check run.`);
  }
  return truncate(
    lines.join("\n"),
    GITHUB_TEXT_LIMIT,
    "\n\n_… truncated to fit GitHub's 65,535-character limit; every finding is in the check run._",
  );
}
