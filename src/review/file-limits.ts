import type { Config } from "./config.js";
import { familiesFromPath, isAmbiguousStructuredFile } from "./families.js";
import type { Family } from "./types.js";

/**
 * How many bytes of one file Tollgate reads, and which key sets it. Each
 * family has a bound sized for the largest real files of its kind (lockfiles
 * of big monorepos, generated CRD bundles), because above it a file of a
 * family that matters is reported as unreviewable and fails the check:
 * padding a file must buy an attacker nothing.
 */
export interface FileByteLimit {
  bytes: number;
  key: string;
}

type BoundedFamily = keyof Config["max-file-bytes-by-family"];

function familyLimit(config: Config, family: Family): FileByteLimit | undefined {
  if (family === "deps") return { bytes: config.deps["max-file-bytes"], key: "deps.max-file-bytes" };
  const byFamily = config["max-file-bytes-by-family"] as Partial<Record<Family, number>>;
  const bytes = byFamily[family];
  return bytes === undefined
    ? undefined
    : { bytes, key: `max-file-bytes-by-family.${family as BoundedFamily}` };
}

/** The largest bound among `families` (a file two families claim is read as far as either needs). */
export function fileByteLimit(config: Config, families: readonly Family[]): FileByteLimit {
  let best: FileByteLimit | undefined;
  for (const f of families) {
    const l = familyLimit(config, f);
    if (l && (!best || l.bytes > best.bytes)) best = l;
  }
  return best ?? { bytes: config["max-file-bytes"], key: "max-file-bytes" };
}

/**
 * The bound for a path before its content is seen. A YAML or JSON file no path
 * claims may turn out to be a Kubernetes manifest or a CloudFormation template,
 * so it is read as far as those families allow; loaders should use this.
 */
export function fileByteLimitForPath(
  config: Config,
  path: string,
  families: readonly Family[] = familiesFromPath(path),
): FileByteLimit {
  if (families.length === 0 && isAmbiguousStructuredFile(path)) {
    return fileByteLimit(config, ["k8s", "cfn"]);
  }
  return fileByteLimit(config, families);
}

/** `.env`, `.env.production`, `prod.env`: files whose whole purpose is to hold secrets. */
export function isEnvFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  return name === ".env" || name.startsWith(".env.") || name.endsWith(".env");
}
