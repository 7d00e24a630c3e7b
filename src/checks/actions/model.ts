import { type Document, isMap, isScalar, isSeq, type Node, type Scalar } from "yaml";
import {
  type MapEntry,
  mapEntries,
  mapEntry,
  mapGet,
  nodePosition,
  type Position,
  parseYamlSource,
  positionAt,
  scalarText,
  seqItems,
  type YamlSource,
} from "../../formats/yaml.js";
import { type FileVersion, ParseError } from "../types.js";

/**
 * A GitHub Actions workflow (or composite action) as the checks see it:
 * triggers, jobs, steps, `env` at every level, permissions, runners and
 * reusable-workflow calls, each with the YAML node it came from so findings
 * point at the exact line.
 */

export interface Trigger {
  name: string;
  /** The node naming the trigger (a map key or a list item). */
  node: Node;
}

export interface Step {
  /** Position in the job, for messages only (never in fingerprints: it shifts). */
  index: number;
  node: Node;
  id?: string;
  name?: string;
  uses?: Scalar;
  run?: Scalar;
  with: MapEntry[];
  env: MapEntry[];
  if?: Node;
  /**
   * Stable label for fingerprints: what the step runs (`uses:` without its ref, else `run`),
   * never its id or `name:`, which a rename changes while the step stays the same.
   */
  label: string;
}

export interface Job {
  id: string;
  keyNode: Node;
  node: Node | undefined;
  env: MapEntry[];
  permissions?: MapEntry;
  runsOn?: Node;
  /** A reusable-workflow call (`uses: org/repo/.github/workflows/x.yml@ref`). */
  uses?: Scalar;
  with: MapEntry[];
  secrets?: MapEntry;
  container?: Node;
  services: MapEntry[];
  outputs: MapEntry[];
  needs: string[];
  if?: Node;
  steps: Step[];
}

export interface Workflow {
  path: string;
  src: YamlSource;
  doc: Document;
  /** `composite` for an `action.yml` whose steps run in the caller's job; `action` for other action types. */
  kind: "workflow" | "composite" | "action";
  /** The `on:` key, when present. */
  onKey?: Node;
  /** `runs.image` of a Docker container action. */
  image?: Scalar;
  triggers: Trigger[];
  env: MapEntry[];
  permissions?: MapEntry;
  jobs: Job[];
}

type Loaded = { workflow?: Workflow; error?: ParseError };

/** Parses a workflow once per file version; parse errors are kept for the parse check to report. */
export function loadWorkflow(file: FileVersion): Loaded {
  return file.memo("actions/workflow", () => {
    try {
      return { workflow: parseWorkflow(file.path, file.text) };
    } catch (e) {
      if (e instanceof ParseError) return { error: e };
      throw e;
    }
  });
}

export function isActionMetadataPath(path: string): boolean {
  return /(^|\/)action\.ya?ml$/i.test(path);
}

/**
 * Bounds on what one file may expand to. GitHub allows 256 jobs per workflow;
 * anchors and aliases can multiply steps far beyond the text's size.
 */
const MAX_JOBS = 500;
const MAX_STEPS = 20_000;

export function parseWorkflow(path: string, text: string): Workflow | undefined {
  const src = parseYamlSource(text, { maxDocuments: 100 });
  // A trailing `---` with nothing after it is harmless; a second real document is not a workflow.
  const extra = src.documents.slice(1).find((d) => !isEmptyDocument(d));
  if (extra) {
    const second = positionAt(src, extra.range[0]);
    throw new ParseError("a workflow file must hold a single YAML document", second.line);
  }
  const workflow = parseSingle(path, src);
  if (workflow) {
    const steps = workflow.jobs.reduce((n, j) => n + j.steps.length, 0);
    if (workflow.jobs.length > MAX_JOBS || steps > MAX_STEPS) {
      throw new ParseError(
        `too large to review: ${workflow.jobs.length} jobs and ${steps} steps (at most ${MAX_JOBS} and ${MAX_STEPS})`,
        1,
      );
    }
  }
  return workflow;
}

function isEmptyDocument(doc: Document): boolean {
  const c = doc.contents;
  return c === null || c === undefined || (isScalar(c) && c.value === null && !c.source);
}

function parseSingle(path: string, src: YamlSource): Workflow | undefined {
  const doc = src.documents[0];
  if (!doc || isEmptyDocument(doc)) return undefined;
  const root = doc.contents as Node;
  if (!isMap(root)) {
    const at = nodePosition(src, root);
    throw new ParseError("a workflow must be a mapping (with `on:` and `jobs:`)", at?.line ?? 1, at?.column);
  }

  if (isActionMetadataPath(path)) {
    const runs = mapGet(doc, root, "runs");
    const using = scalarText(mapGet(doc, runs, "using"))?.toLowerCase();
    const steps = mapGet(doc, runs, "steps");
    const job: Job = {
      id: "action",
      keyNode: mapEntry(doc, root, "runs")?.keyNode ?? root,
      node: runs,
      env: [],
      with: [],
      services: [],
      outputs: [],
      needs: [],
      steps: using === "composite" ? parseSteps(doc, steps) : [],
    };
    const image = mapGet(doc, runs, "image");
    return {
      path,
      src,
      doc,
      kind: using === "composite" ? "composite" : "action",
      image: using === "docker" && isScalar(image) ? image : undefined,
      triggers: [],
      env: [],
      jobs: using === "composite" ? [job] : [],
    };
  }

  // `on` is a string key under YAML 1.2; YAML 1.1 readers would make it `true`.
  const on = mapEntry(doc, root, "on") ?? mapEntry(doc, root, "true");
  return {
    path,
    src,
    doc,
    kind: "workflow",
    onKey: on?.keyNode,
    triggers: parseTriggers(doc, on?.value),
    env: mapEntries(doc, mapGet(doc, root, "env")),
    permissions: mapEntry(doc, root, "permissions"),
    jobs: mapEntries(doc, mapGet(doc, root, "jobs")).map((e) => parseJob(doc, e)),
  };
}

function parseTriggers(doc: Document, node: Node | undefined): Trigger[] {
  if (!node) return [];
  if (isScalar(node)) {
    const name = scalarText(node);
    return name ? [{ name, node }] : [];
  }
  if (isSeq(node)) {
    return seqItems(doc, node).flatMap((item) => {
      const name = scalarText(item);
      return name ? [{ name, node: item }] : [];
    });
  }
  return mapEntries(doc, node).map((e) => ({ name: e.key, node: e.keyNode }));
}

function parseJob(doc: Document, entry: MapEntry): Job {
  const node = entry.value;
  const get = (key: string) => mapGet(doc, node, key);
  const uses = get("uses");
  const needs = get("needs");
  return {
    id: entry.key,
    keyNode: entry.keyNode,
    node,
    env: mapEntries(doc, get("env")),
    permissions: mapEntry(doc, node, "permissions"),
    runsOn: get("runs-on"),
    uses: isScalar(uses) ? uses : undefined,
    with: mapEntries(doc, get("with")),
    secrets: mapEntry(doc, node, "secrets"),
    container: get("container"),
    services: mapEntries(doc, get("services")),
    outputs: mapEntries(doc, get("outputs")),
    needs: isSeq(needs)
      ? seqItems(doc, needs).flatMap((n) => scalarText(n) ?? [])
      : scalarText(needs)
        ? [scalarText(needs)!]
        : [],
    if: get("if"),
    steps: parseSteps(doc, get("steps")),
  };
}

function parseSteps(doc: Document, node: Node | undefined): Step[] {
  return seqItems(doc, node).map((stepNode, index) => {
    const get = (key: string) => mapGet(doc, stepNode, key);
    const uses = get("uses");
    const run = get("run");
    const id = scalarText(get("id"));
    const name = scalarText(get("name"));
    const usesText = scalarText(uses);
    return {
      index,
      node: stepNode,
      id,
      name,
      uses: isScalar(uses) ? uses : undefined,
      run: isScalar(run) ? run : undefined,
      with: mapEntries(doc, get("with")),
      env: mapEntries(doc, get("env")),
      if: get("if"),
      label: usesText ? `uses:${usesWithoutRef(usesText)}` : run ? "run" : "step",
    };
  });
}

/** Where a node is; the document start when it has no range. */
export function positionOf(wf: Workflow, node: Node | undefined): Position {
  return nodePosition(wf.src, node) ?? { line: 1, column: 1 };
}

/**
 * The stable part of a fingerprint for a job or a step in it: what the job and
 * the step do, not what they are called. A job id or a step `name:` is a display
 * name; renaming one changes nothing a reviewer must look at again. Two identical
 * steps in two jobs share an anchor, and the engine compares anchors as a
 * multiset, so a second copy is still new. What decides a finding's weight (a
 * privileged trigger, the reason the token leaks) belongs in the rule's own suffix.
 */
export function jobAnchor(job: Job, step?: Step): string {
  const calls = scalarText(job.uses);
  const base = calls ? `call:${usesWithoutRef(calls)}` : "job";
  return step ? `${base}/${step.label}` : base;
}

/**
 * An expression as fingerprints see it: `steps.<id>` and `needs.<job id>` name
 * what that step or job does instead of its id, so renaming an id (and its
 * references with it) keeps the finding, while pointing at another step's
 * output does not. Ids are matched without case, as GitHub does.
 */
export function anchorExpression(text: string, wf: Workflow, job: Job): string {
  return text
    .replace(/\bsteps\.([A-Za-z_][\w-]*)\b/gi, (whole, id: string) => {
      const step = job.steps.find((s) => s.id?.toLowerCase() === id.toLowerCase());
      if (!step) return whole;
      const twins = job.steps.filter((s) => s.label === step.label);
      return `steps[${step.label}${twins.length > 1 ? `#${twins.indexOf(step)}` : ""}]`;
    })
    .replace(/\bneeds\.([A-Za-z_][\w-]*)\b/gi, (whole, id: string) => {
      const other = wf.jobs.find((j) => j.id.toLowerCase() === id.toLowerCase());
      return other ? `needs[${jobAnchor(other)}]` : whole;
    });
}

/**
 * A `uses:` value without its version: `owner/repo/path` for an action or a
 * reusable workflow, the image name for `docker://`. A version bump of the same
 * action keeps this; a different action does not.
 */
export function usesWithoutRef(uses: string): string {
  const t = uses.trim();
  if (t.startsWith("./") || t.startsWith("../")) return t;
  if (t.toLowerCase().startsWith("docker://")) {
    const image = t.slice("docker://".length).replace(/@sha256:[0-9a-f]+$/i, "");
    // A tag follows the last `:` after the last `/` (a registry port comes before it).
    const tag = image.lastIndexOf(":");
    return `docker://${(tag > image.lastIndexOf("/") ? image.slice(0, tag) : image).toLowerCase()}`;
  }
  const at = t.indexOf("@");
  return (at === -1 ? t : t.slice(0, at)).toLowerCase();
}

/** The value of a `with:` input, as text. */
export function withValue(step: Step, key: string): { text?: string; entry?: MapEntry } {
  const entry = step.with.find((e) => e.key === key);
  return { text: scalarText(entry?.value), entry };
}

/** `owner/repo` of a `uses:` value (lower case), for matching action names. */
export function actionName(uses: string): string {
  const at = uses.indexOf("@");
  const bare = (at === -1 ? uses : uses.slice(0, at)).toLowerCase();
  return bare.split("/").slice(0, 2).join("/");
}
