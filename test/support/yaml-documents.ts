import { type Document, isNode, visit } from "yaml";

/** Everything a reader can see of parsed documents: values, every node's range and tag, errors, warnings, line starts. */
export function documentsSnapshot(docs: readonly Document[]): unknown {
  return docs.map((doc) => {
    const nodes: unknown[] = [];
    visit(doc, (key, node) => {
      if (isNode(node))
        nodes.push([
          key,
          node.range,
          node.tag,
          (node as { type?: string }).type,
          (node as { anchor?: string }).anchor,
        ]);
    });
    return {
      js: safeJs(doc),
      range: doc.range,
      nodes,
      errors: doc.errors.map((e) => [e.code, e.pos, e.message]),
      warnings: doc.warnings.map((e) => [e.code, e.pos, e.message]),
      directivesEnd: doc.directives?.docStart,
      comment: doc.comment,
      commentBefore: doc.commentBefore,
    };
  });
}

function safeJs(doc: Document): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100, mapAsMap: true });
  } catch (e) {
    return `throws: ${(e as Error).message}`;
  }
}
