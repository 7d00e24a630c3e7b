import type { Check } from "../types.js";
import { dangerousTrigger } from "./dangerous-trigger.js";
import { envFileInjection } from "./env-file-injection.js";
import { workflowParse } from "./parse.js";
import { excessivePermissions } from "./permissions.js";
import { persistedCredentials } from "./persisted-credentials.js";
import { remoteScriptPipeToShell } from "./pipe-to-shell.js";
import {
  hardcodedContainerCredentials,
  insecureCommands,
  secretsInherit,
  selfHostedRunnerOnPr,
} from "./runner-and-secrets.js";
import { scriptInjection } from "./script-injection.js";
import { spoofableBotCheck } from "./spoofable-bot-check.js";
import { untrustedCheckout } from "./untrusted-checkout.js";
import { knownCompromisedAction, unpinnedAction } from "./uses.js";

/** The actions/ family's checks: one parse of each workflow, shared by every rule. */
export const checks: Check[] = [
  workflowParse,
  scriptInjection,
  untrustedCheckout,
  dangerousTrigger,
  unpinnedAction,
  knownCompromisedAction,
  excessivePermissions,
  persistedCredentials,
  envFileInjection,
  insecureCommands,
  selfHostedRunnerOnPr,
  secretsInherit,
  spoofableBotCheck,
  hardcodedContainerCredentials,
  remoteScriptPipeToShell,
];
