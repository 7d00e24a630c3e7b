import type { Check } from "../types.js";

/** The meta/ family's checks. */
export const checks: Check[] = [];
