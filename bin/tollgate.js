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
    if (pkg.name !== "tollgate") return undefined;
    return builtEntry(pathToFileURL(join(process.cwd(), "/")));
  } catch {
    // not a checkout: use the installed copy
  }
  return undefined;
}

// The bundled CLI (dist/cli/, fast start-up) or, from an older build, the compiled modules.
function builtEntry(rootUrl) {
  for (const path of ["dist/cli/main.js", "dist/src/main.js"]) {
    const url = new URL(path, rootUrl);
    if (existsSync(url)) return url;
  }
  return undefined;
}

const entry = checkoutEntry() ?? builtEntry(new URL("../", import.meta.url));
if (!entry) {
  process.stderr.write("tollgate: not built yet; run `npm run build` (npm ci does it for you)\n");
  process.exit(2);
}
// `tollgate rules | head`: a reader that stops early is not an error.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
