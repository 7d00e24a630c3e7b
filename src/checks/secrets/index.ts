import type { Check } from "../types.js";

/** The secrets/ family's checks. */
export const checks: Check[] = [];
