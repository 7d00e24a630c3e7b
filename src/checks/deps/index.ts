import type { Check } from "../types.js";

/** The deps/ family's checks. */
export const checks: Check[] = [];
