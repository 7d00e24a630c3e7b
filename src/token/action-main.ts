import { runAction } from "./action.js";

/** The action's entry point (action.yml `runs.main`, bundled to dist/cli/action.js). */
process.exitCode = await runAction({
  stdout: (s) => process.stdout.write(s),
  env: process.env,
  cwd: process.cwd(),
});
