import { isMap } from "yaml";
import { mapGet } from "../../formats/yaml.js";
import { type CiFacts, emptyFacts } from "./facts.js";
import { imageOf, scriptsOf, walkMaps, yamlDocuments } from "./yaml.js";

/**
 * `bitbucket-pipelines.yml`: `image:` (global, per step, per service
 * definition; a string or `{ name: … }`) and the `script:` and
 * `after-script:` lines of every step, wherever pipelines, parallel groups
 * and stages nest them.
 */
export function readBitbucket(text: string): CiFacts {
  const facts = emptyFacts("bitbucket");
  for (const y of yamlDocuments(text)) {
    const root = y.doc.contents;
    if (!isMap(root)) continue;
    walkMaps(y, root, "bitbucket", (map, scope) => {
      const image = imageOf(y, mapGet(y.doc, map, "image"), scope);
      if (image) facts.images.push(image);
      for (const key of ["script", "after-script"]) {
        const node = mapGet(y.doc, map, key);
        if (node !== undefined) facts.scripts.push(...scriptsOf(y, node, `${scope}/${key}`));
      }
    });
  }
  return facts;
}
