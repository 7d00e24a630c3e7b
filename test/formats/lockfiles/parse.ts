import { parseDependencies } from "../../../src/checks/deps/model.js";
import type { ParsedManifest } from "../../../src/formats/lockfiles/types.js";
import { TextVersion } from "../../../src/review/content.js";

/** Parses `text` as the file at `path`, through the same entry point the checks use. */
export function parseAs(path: string, text: string): ParsedManifest {
  const parsed = parseDependencies(new TextVersion(path, text));
  if (!parsed) throw new Error(`no parser for ${path}`);
  return parsed;
}

/** `name@version line` triples, compact enough to assert whole files. */
export function summary(parsed: ParsedManifest): string[] {
  return parsed.dependencies.map(
    (d) =>
      `${d.name}@${d.version ?? d.range ?? ""} L${d.line}${d.direct ? " direct" : ""}${d.dev ? " dev" : ""}${d.source ? ` <${d.source}>` : ""}`,
  );
}
