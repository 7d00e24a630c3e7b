import type { Check } from "../types.js";

/** The actions/ family's checks. */
export const checks: Check[] = [];
