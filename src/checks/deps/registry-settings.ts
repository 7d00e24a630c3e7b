import type { FileChange } from "../types.js";
import { dependencyView, type RegistrySetting } from "./model.js";

/** Registry and repository settings present at head and not at base (all of them in `scan` mode). */
export function newRegistrySettings(change: FileChange): RegistrySetting[] {
  const view = dependencyView(change);
  if (!view.head || view.baseError) return [];
  const key = (s: RegistrySetting) => `${s.kind}\u0000${s.scope ?? ""}\u0000${s.value}`;
  const before = new Map<string, number>();
  for (const s of view.base?.registries ?? []) before.set(key(s), (before.get(key(s)) ?? 0) + 1);
  const out: RegistrySetting[] = [];
  for (const s of view.head.registries) {
    const left = before.get(key(s)) ?? 0;
    if (left > 0) before.set(key(s), left - 1);
    else out.push(s);
  }
  return out;
}
