import { isMap, isScalar } from "yaml";
import { mapEntries, mapGet, scalarText, seqItems } from "../../formats/yaml.js";
import { type CiFacts, type CiScript, emptyFacts } from "./facts.js";
import { imageOf, scriptsOf, walkMaps, type YamlFile, yamlDocuments } from "./yaml.js";

/**
 * `azure-pipelines*.yml` and its templates: `script:`/`bash:` (shell) and
 * `powershell:`/`pwsh:` steps, the inline scripts of `Bash@3`,
 * `PowerShell@2` and `AzureCLI@2` tasks, `container:` images of jobs (a
 * name declared under `resources: containers:` is an alias, not an image)
 * and the images those resources declare.
 */

// A Map, not an object literal: every key of every mapping is looked up, and `constructor:` or
// `toString:` must not find `Object.prototype`'s.
const SCRIPT_STEPS = new Map<string, CiScript["shell"]>([
  ["script", "posix"],
  ["bash", "posix"],
  ["powershell", "powershell"],
  ["pwsh", "powershell"],
]);

export function readAzure(text: string): CiFacts {
  const facts = emptyFacts("azure");
  for (const y of yamlDocuments(text)) {
    const root = y.doc.contents;
    if (!isMap(root)) continue;
    const aliases = containerResources(y, root, facts);
    walkMaps(y, root, "pipeline", (map, scope) => {
      // A task's `inputs: { script: … }` is read with its task (below), not as a `script:` step.
      if (scope.endsWith("/inputs")) return;
      for (const entry of mapEntries(y.doc, map)) {
        const shell = SCRIPT_STEPS.get(entry.key);
        if (shell && isScalar(entry.value))
          facts.scripts.push(...scriptsOf(y, entry.value, `${scope}/${entry.key}`, shell));
      }
      const task = scalarText(mapGet(y.doc, map, "task"));
      if (task) taskScripts(y, map, task, scope, facts);
      const container = mapGet(y.doc, map, "container");
      const name = scalarText(container);
      if (
        container !== undefined &&
        !(name && aliases.has(name)) &&
        !scope.includes("/resources/containers/")
      ) {
        const image = imageOf(y, container, `${scope}/container`, "image");
        if (image) facts.images.push(image);
      }
    });
  }
  return facts;
}

function containerResources(y: YamlFile, root: unknown, facts: CiFacts): Set<string> {
  const aliases = new Set<string>();
  for (const item of seqItems(y.doc, mapGet(y.doc, mapGet(y.doc, root, "resources"), "containers"))) {
    const alias = scalarText(mapGet(y.doc, item, "container"));
    if (alias) aliases.add(alias);
    const image = imageOf(y, item, `resources/containers/${alias ?? "?"}`, "image");
    if (image) facts.images.push(image);
  }
  return aliases;
}

function taskScripts(y: YamlFile, map: unknown, task: string, scope: string, facts: CiFacts): void {
  const inputs = mapGet(y.doc, map, "inputs");
  if (!isMap(inputs)) return;
  const shell: CiScript["shell"] | undefined = /^Bash@/i.test(task)
    ? "posix"
    : /^(PowerShell|AzurePowerShell)@/i.test(task)
      ? "powershell"
      : /^AzureCLI@/i.test(task)
        ? /ps|pscore/i.test(scalarText(mapGet(y.doc, inputs, "scriptType")) ?? "")
          ? "powershell"
          : "posix"
        : undefined;
  if (!shell) return;
  for (const key of ["script", "inlineScript", "Inline"]) {
    const node = mapGet(y.doc, inputs, key);
    if (node !== undefined) facts.scripts.push(...scriptsOf(y, node, `${scope}/task:${task}`, shell));
  }
}
