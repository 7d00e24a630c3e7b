import { isMap, isScalar, isSeq } from "yaml";
import { mapEntries, mapGet, scalarText, seqItems } from "../../formats/yaml.js";
import { type CiFacts, emptyFacts, type GitlabInclude } from "./facts.js";
import { imageOf, positionOf, scriptsOf, type YamlFile, yamlDocuments } from "./yaml.js";

/**
 * `.gitlab-ci.yml` and the files it includes: every top-level key that is
 * not a global keyword is a job (hidden `.template` jobs included, since
 * jobs `extends:` them); `default:` holds global settings.
 */

const GLOBAL_KEYWORDS = new Set([
  "default",
  "include",
  "stages",
  "variables",
  "workflow",
  "image",
  "services",
  "before_script",
  "after_script",
  "cache",
  "spec",
]);
const SCRIPT_KEYS = ["before_script", "script", "after_script"];

export function readGitlab(text: string): CiFacts {
  const facts = emptyFacts("gitlab");
  for (const y of yamlDocuments(text)) {
    const root = y.doc.contents;
    if (!isMap(root)) continue;
    for (const entry of mapEntries(y.doc, root)) {
      if (entry.key === "include") facts.includes.push(...includesOf(y, entry.value));
      else if (entry.key === "variables") variablesOf(y, entry.value, "global", facts);
      else if (entry.key === "default") jobOf(y, entry.value, "default", facts);
      else if (entry.key === "image") pushImage(facts, imageOf(y, entry.value, "global"));
      else if (entry.key === "services") servicesOf(y, entry.value, "global", facts);
      else if (SCRIPT_KEYS.includes(entry.key))
        facts.scripts.push(...scriptsOf(y, entry.value, `global/${entry.key}`));
      else if (!GLOBAL_KEYWORDS.has(entry.key) && isMap(entry.value))
        jobOf(y, entry.value, `job:${entry.key}`, facts);
    }
  }
  return facts;
}

function jobOf(y: YamlFile, node: unknown, scope: string, facts: CiFacts): void {
  for (const entry of mapEntries(y.doc, node)) {
    if (SCRIPT_KEYS.includes(entry.key))
      facts.scripts.push(...scriptsOf(y, entry.value, `${scope}/${entry.key}`));
    else if (entry.key === "variables") variablesOf(y, entry.value, scope, facts);
    else if (entry.key === "image") pushImage(facts, imageOf(y, entry.value, scope));
    else if (entry.key === "services") servicesOf(y, entry.value, scope, facts);
    else if (entry.key === "hooks")
      for (const hook of mapEntries(y.doc, entry.value))
        facts.scripts.push(...scriptsOf(y, hook.value, `${scope}/hooks/${hook.key}`));
  }
}

function pushImage(facts: CiFacts, image: CiFacts["images"][number] | undefined): void {
  if (image) facts.images.push(image);
}

function servicesOf(y: YamlFile, node: unknown, scope: string, facts: CiFacts): void {
  for (const item of seqItems(y.doc, node)) pushImage(facts, imageOf(y, item, `${scope}/services`));
}

function variablesOf(y: YamlFile, node: unknown, scope: string, facts: CiFacts): void {
  for (const entry of mapEntries(y.doc, node)) {
    // `NAME: value` or `NAME: { value: …, description: … }`.
    const valueNode = isMap(entry.value) ? mapGet(y.doc, entry.value, "value") : entry.value;
    const value = scalarText(valueNode);
    if (value === undefined) continue;
    facts.variables.push({ name: entry.key, value, scope, ...positionOf(y, valueNode) });
  }
}

function includesOf(y: YamlFile, node: unknown): GitlabInclude[] {
  const items = isSeq(node) ? seqItems(y.doc, node) : [node];
  const out: GitlabInclude[] = [];
  for (const item of items) {
    if (isScalar(item)) {
      const target = scalarText(item);
      if (!target) continue;
      out.push({ kind: /^https?:\/\//i.test(target) ? "remote" : "local", target, ...positionOf(y, item) });
      continue;
    }
    if (!isMap(item)) continue;
    const get = (key: string) => scalarText(mapGet(y.doc, item, key));
    const remote = get("remote");
    const project = get("project");
    const component = get("component");
    const template = get("template");
    if (remote) {
      const integrity = mapGet(y.doc, item, "integrity") !== undefined;
      out.push({
        kind: "remote",
        target: remote,
        integrity,
        ...positionOf(y, mapGet(y.doc, item, "remote")),
      });
    } else if (project) {
      const refNode = mapGet(y.doc, item, "ref");
      out.push({
        kind: "project",
        target: project,
        ref: scalarText(refNode),
        ...positionOf(y, refNode ?? mapGet(y.doc, item, "project")),
      });
    } else if (component) {
      const at = component.lastIndexOf("@");
      out.push({
        kind: "component",
        target: at > 0 ? component.slice(0, at) : component,
        ref: at > 0 ? component.slice(at + 1) : undefined,
        ...positionOf(y, mapGet(y.doc, item, "component")),
      });
    } else if (template) {
      out.push({ kind: "template", target: template, ...positionOf(y, mapGet(y.doc, item, "template")) });
    } else {
      const local = get("local");
      if (local) out.push({ kind: "local", target: local, ...positionOf(y, mapGet(y.doc, item, "local")) });
    }
  }
  return out;
}
