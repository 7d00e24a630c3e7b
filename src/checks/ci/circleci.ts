import { isMap } from "yaml";
import { mapEntries, mapGet, scalarText, seqItems } from "../../formats/yaml.js";
import { type CiFacts, emptyFacts } from "./facts.js";
import { imageOf, positionOf, scriptsOf, walkMaps, yamlDocuments } from "./yaml.js";

/**
 * `.circleci/config.yml`: `orbs:` (each `namespace/orb@version`), the
 * `docker:` images of jobs and executors, and `run:` steps (a command string
 * or `{ command: … }`) wherever jobs, commands and orbs define them.
 */
export function readCircleci(text: string): CiFacts {
  const facts = emptyFacts("circleci");
  for (const y of yamlDocuments(text)) {
    const root = y.doc.contents;
    if (!isMap(root)) continue;
    for (const orb of mapEntries(y.doc, mapGet(y.doc, root, "orbs"))) {
      const reference = scalarText(orb.value);
      // An inline orb (a mapping) is code in this file, read below like the rest.
      if (reference) facts.orbs.push({ name: orb.key, reference, ...positionOf(y, orb.value) });
    }
    walkMaps(y, root, "config", (map, scope) => {
      const run = mapGet(y.doc, map, "run");
      if (run !== undefined) {
        const command = isMap(run) ? mapGet(y.doc, run, "command") : run;
        const shell = isMap(run) ? scalarText(mapGet(y.doc, run, "shell")) : undefined;
        facts.scripts.push(
          ...scriptsOf(y, command, scope, shell && /pwsh|powershell/i.test(shell) ? "powershell" : "posix"),
        );
      }
      for (const item of seqItems(y.doc, mapGet(y.doc, map, "docker"))) {
        const image = imageOf(y, item, `${scope}/docker`, "image");
        if (image) facts.images.push(image);
      }
    });
  }
  return facts;
}
