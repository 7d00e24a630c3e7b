// Writes schema/tollgate.schema.json (editor completion for .github/tollgate.yml) from the zod schema.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { configJsonSchema } = await import(join(root, "dist/src/review/config.js"));
const schema = {
  ...configJsonSchema(),
  $id: "https://github.com/tollgate-app/tollgate/blob/main/schema/tollgate.schema.json",
  title: "Tollgate configuration (.github/tollgate.yml)",
};
mkdirSync(join(root, "schema"), { recursive: true });
writeFileSync(join(root, "schema/tollgate.schema.json"), `${JSON.stringify(schema, null, 2)}\n`);
process.stdout.write("wrote schema/tollgate.schema.json\n");
