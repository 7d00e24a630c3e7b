/**
 * A value derived from an object, computed once and kept on that object under
 * a symbol (not enumerable: no spread, `Object.keys`, JSON or test equality
 * sees it), so it lives exactly as long as the object does.
 *
 * Why not a module-level `WeakMap`: the map lives in V8's old generation, and
 * the young-generation collector keeps every value of such a map alive until
 * the next full collection. A per-file cache there (a shell reading whose
 * positions point into the file's YAML tree) kept each file's parse alive
 * through every scavenge and promoted it: on 200 playbooks 20 MB a review
 * survived scavenges instead of 1 MB, and each scavenge took three times as
 * long as parsing alone caused.
 */
export function memoOn<T>(owner: object, key: symbol, compute: () => T): T {
  if (Object.hasOwn(owner, key)) return (owner as Record<symbol, T>)[key]!;
  const value = compute();
  Object.defineProperty(owner, key, { value, enumerable: false });
  return value;
}
