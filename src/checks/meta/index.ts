import type { Check } from "../types.js";
import { codeownersChanged } from "./codeowners.js";
import { configChanged } from "./config-changed.js";
import { invisibleCharacters } from "./invisible-characters.js";
import { suppressionAdded } from "./suppression-added.js";

/** Changes to the guard rails themselves, and characters that hide a change from its reviewers. (`meta/parse-error` is raised by the engine.) */
export const checks: Check[] = [suppressionAdded, configChanged, codeownersChanged, invisibleCharacters];
