#!/usr/bin/env node
// The `tollgate` command. The TypeScript sources are compiled to dist/ by `npm run build` (run by `npm ci` via `prepare`).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// npm 11's `npx tollgate`, run inside this repository, installs a copy of the
// checkout into its npx cache and runs that copy. When the current directory is
// a built Tollgate checkout, run the checkout itself instead, so npx never
// serves a stale copy.
function checkoutEntry() {
  try {
    const pkg = JSON.parse(readFileSync(join(process.cwd(), "package.json"), "utf8"));
    const entry = join(process.cwd(), "dist", "src", "cli", "main.js");
    if (pkg.name === "tollgate" && existsSync(entry)) return pathToFileURL(entry);
  } catch {
    // not a checkout: use the installed copy
  }
  return undefined;
}

const entry = checkoutEntry() ?? new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("tollgate: not built yet; run `npm run build` (npm ci does it for you)\n");
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
