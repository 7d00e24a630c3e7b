import { main as localMain } from "./cli/main.js";

/**
 * The `tollgate` command. The local commands (`review`, `scan`, `rules`) are
 * the command line front end (cli/); `tollgate pr` reviews a pull request on
 * GitHub through the app's flow (token/), which loads only when asked for, so
 * `tollgate review --staged` in a pre-commit hook never loads Octokit.
 */

type Io = Parameters<typeof localMain>[1];

export async function main(argv: string[], io?: Io): Promise<number> {
  if (argv[0] === "pr") {
    const { prCommand } = await import("./token/pr-command.js");
    return prCommand(argv.slice(1), io ?? defaultIo());
  }
  return localMain(argv, io);
}

function defaultIo(): NonNullable<Io> {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  };
}
