// `npx tollgate` in a fresh clone: npm does not link a package's own bin into
// its node_modules/.bin, so npx would look for a "tollgate" package on the
// registry instead. This links it after the build (run by `npm ci` via prepare).
import { chmodSync, existsSync, lstatSync, mkdirSync, symlinkSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const binDir = join(root, "node_modules", ".bin");
if (existsSync(join(root, "node_modules"))) {
  mkdirSync(binDir, { recursive: true });
  const link = join(binDir, "tollgate");
  try {
    if (lstatSync(link)) unlinkSync(link);
  } catch {
    // no previous link
  }
  symlinkSync("../../bin/tollgate.js", link);
  chmodSync(join(root, "bin", "tollgate.js"), 0o755);
}
