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

// zod re-exports all of its ~60 message locales as `z.locales` (about 0.5 MB of
// JavaScript, a tenth of a commit hook's start-up to compile); Tollgate's messages
// are English and it never reads `z.locales`. So the bundle keeps English only.
const englishZodLocales = {
  name: "english-zod-locales",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: join(args.resolveDir, "..", "locales", "en.js"), namespace: "zod-locales" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: root,
    }));
  },
};
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
  plugins: [englishZodLocales],
  logLevel: "warning",
});
process.stdout.write("bundled the CLI into dist/cli/\n");
