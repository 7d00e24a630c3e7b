import { statusOf } from "../app/github/errors.js";
import type { Log } from "../app/types.js";
import { redact } from "./errors.js";

/**
 * The app's flow logs through pino; on the command line only its warnings and
 * errors matter, as one line each on stderr (the review itself goes to stdout).
 */
export function commandLog(write: (line: string) => void, token: string | undefined): Log {
  const say =
    (level: string) =>
    (a: unknown, b?: unknown): void => {
      const message = typeof a === "string" ? a : typeof b === "string" ? b : "";
      const err = typeof a === "object" && a !== null ? (a as { err?: unknown }).err : undefined;
      const status = statusOf(err);
      write(`${level}: ${redact(`${message}${status ? ` (GitHub answered ${status})` : ""}`, token)}`);
    };
  const quiet = () => {};
  const log = {
    child: () => log,
    trace: quiet,
    debug: quiet,
    info: quiet,
    warn: say("warning"),
    error: say("error"),
    fatal: say("error"),
  };
  return log as unknown as Log;
}
