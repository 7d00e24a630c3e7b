import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { stringOf, type TfBlockView } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

/**
 * Module sources that can change under the configuration: a git or HTTP
 * source without `?ref=` a full commit SHA, and a registry module without a
 * `version` (or with a range). A local path (`./modules/x`) is part of the
 * repository and reviewed with it.
 */
export const moduleSourceUnpinned = defineCheck({
  kind: "review",
  name: "tf/module-source-unpinned",
  families: ["tf"],
  rules: ["tf/module-source-unpinned"],
  run: onModules((mod) => mod.calls.flatMap(check)),
});

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;
const REGISTRY = /^([a-z0-9.-]+\.[a-z]{2,}\/)?[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+(\/\/.*)?$/;
const REMOTE = /^(git::|hg::|s3::|gcs::|https?:\/\/|git@|github\.com\/|bitbucket\.org\/)/i;
/** An exact version (`1.2.3`, `= 1.2.3`, `v1.2.3`): anything else is a range. */
const EXACT = /^\s*=?\s*v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?\s*$/;

function check(call: TfBlockView): RawFinding[] {
  const name = call.block.labels[0] ?? "";
  const source = call.attr("source");
  const text = stringOf(source)?.trim();
  if (!source || text === undefined || text.startsWith("./") || text.startsWith("../")) return [];
  const address = `module.${name}`;
  if (REMOTE.test(text)) {
    const ref = /[?&]ref=([^&]+)/.exec(text)?.[1];
    if (ref && SHA.test(ref)) return [];
    const what = ref
      ? `ref=${ref}, which is a branch or tag that can be moved`
      : "no ref, so the default branch";
    return [
      tfFinding(
        "tf/module-source-unpinned",
        source.loc,
        `${address}:source:${text.replace(/[?&]ref=[^&]+/, "")}:${ref ?? ""}`,
        `${address} is fetched from ${text.replace(/\?.*$/, "")} with ${what}: pin ?ref= to a commit SHA.`,
      ),
    ];
  }
  if (!REGISTRY.test(text)) return [];
  const version = call.attr("version");
  const v = stringOf(version);
  if (version && v !== undefined && EXACT.test(v)) return [];
  if (version && v === undefined) return [];
  return [
    tfFinding(
      "tf/module-source-unpinned",
      (version ?? source).loc,
      `${address}:version:${text}:${v ?? ""}`,
      version
        ? `${address} (${text}) accepts any version in "${v}": a new release is used without review.`
        : `${address} (${text}) has no version: the latest release is used without review.`,
    ),
  ];
}
