// Bundles the command line tool into dist/cli/ (run by `npm run build`).
// Node 20 spends about a millisecond on each ES module it loads; the CLI
// is ~90 modules with its dependencies, which made start-up on one small file
// slow. One entry file plus a chunk per lazily loaded family keeps the lazy
// loading and drops most of that cost. The server runs the unbundled build.
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist", "cli");
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    main: join(root, "dist", "src", "main.js"),
    action: join(root, "dist", "src", "token", "action-main.js"),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  // CommonJS dependencies call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __tollgateRequire } from 'node:module'; const require = __tollgateRequire(import.meta.url);",
  },
  logLevel: "warning",
});
process.stdout.write("bundled the CLI into dist/cli/\n");
