import type { Check } from "../types.js";

/** The docker/ family's checks. */
export const checks: Check[] = [];
