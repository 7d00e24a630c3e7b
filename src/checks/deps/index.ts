import type { Check } from "../types.js";
import { dependencyChanges } from "./dependency-changes.js";
import { installScript } from "./install-script.js";
import { lockfileIntegrityChanged } from "./lockfile-integrity-changed.js";

/** The deps/ family's checks. */
export const checks: Check[] = [dependencyChanges, installScript, lockfileIntegrityChanged];
