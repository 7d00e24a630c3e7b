/**
 * The shared reading of shell scripts and the analyses every family that runs
 * shell reports from (docker, actions, ci, ansible, config-mgmt): see
 * reading.ts for the model. No checks live here: each family words its own
 * finding and anchor from these results.
 */

export { type PlainHttpDownload, plainHttpDownloads, remotePlainHttpHost } from "./plain-http.js";
export {
  commandPosition,
  commandText,
  emptyReading,
  lineStartsOf,
  normalizeSpace,
  positionIn,
  readShell,
  type ShellInvocation,
  type ShellReading,
  type ShellSite,
  type ShellSource,
  sourceInFile,
} from "./reading.js";
export {
  isInterpreter,
  type PowerShellRemoteScript,
  powershellRemoteScripts,
  type RemoteScript,
  readsProgramFromStdin,
  remoteScriptToShell,
} from "./remote-script.js";
export {
  type InsecureCommand,
  type InsecureSetting,
  insecureReason,
  tlsConfigSettings,
  tlsEnvDisables,
  tlsVerificationDisabled,
} from "./tls.js";
