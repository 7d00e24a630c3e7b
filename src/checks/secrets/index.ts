import type { Check } from "../types.js";
import { addedSecrets } from "./added-lines.js";

export type { SecretMatch } from "./scanner.js";
export { scanLine, scanLines, scanText } from "./scanner.js";

/** The secrets/ family's checks. */
export const checks: Check[] = [addedSecrets];
