import { assertNoConflictMarkers, stripCredentials } from "./text.js";
import { findBlock, parseToml, type TomlTable, tomlBlocks } from "./toml.js";
import { type Dependency, emptyManifest, type ParsedManifest } from "./types.js";

/** Rust: Cargo.toml (dependency tables, `[patch]`, `[replace]`), Cargo.lock and `.cargo/config.toml`. */

const CRATES_IO_INDEX =
  /^(registry\+https:\/\/github\.com\/rust-lang\/crates\.io-index|sparse\+https:\/\/index\.crates\.io\/?)$/;

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function parseCargoToml(text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const doc = parseToml(text, "Cargo.toml");
  const blocks = tomlBlocks(lines);
  const out = emptyManifest("manifest", "Cargo.toml", "crates.io");
  const lineFor = (table: string, name: string) =>
    findBlock(blocks, table)?.keys.get(name) ??
    findBlock(blocks, `${table}.${name}`)?.line ??
    findBlock(blocks, table)?.line ??
    1;
  const visit = (prefix: string, table: unknown, dev: boolean) => {
    if (!table || typeof table !== "object") return;
    for (const [name, spec] of Object.entries(table as TomlTable)) {
      const t = typeof spec === "object" && spec ? (spec as TomlTable) : undefined;
      const range = typeof spec === "string" ? spec : (str(t?.version) ?? "");
      const git = str(t?.git);
      const path = str(t?.path);
      const ref = str(t?.rev) ?? str(t?.tag) ?? str(t?.branch);
      const crate = str(t?.package) ?? name;
      out.dependencies.push({
        ecosystem: "crates.io",
        name: crate,
        version: /^=\s*\d/.test(range) ? range.replace(/^=\s*/, "") : undefined,
        range,
        direct: true,
        dev,
        source: git
          ? `git+${stripCredentials(git)}${ref ? `#${ref}` : ""}`
          : path
            ? /^(\.|\/)/.test(path)
              ? path
              : `./${path}`
            : undefined,
        line: lineFor(prefix, name),
        key: `${prefix}:${name}`,
      });
    }
  };
  for (const [section, dev] of [
    ["dependencies", false],
    ["dev-dependencies", true],
    ["build-dependencies", false],
  ] as const) {
    visit(section, doc[section], dev);
    const ws = doc.workspace as TomlTable | undefined;
    if (section === "dependencies") visit("workspace.dependencies", ws?.dependencies, false);
    const targets = doc.target as TomlTable | undefined;
    for (const [cfg, t] of Object.entries(targets ?? {})) {
      const header = blocks.find(
        (b) => b.name.startsWith("target.") && b.name.endsWith(`.${section}`) && b.name.includes(cfg),
      );
      visit(header?.name ?? `target.${cfg}.${section}`, (t as TomlTable)?.[section], dev);
    }
  }
  // `[patch.crates-io] serde = { git = … }` swaps the registry's crate for a git or path copy in the whole
  // build: a dependency with that source (judged as one), not a go.mod-style replace of another module.
  const patch = doc.patch as TomlTable | undefined;
  for (const [registry, crates] of Object.entries(patch ?? {})) {
    const header = blocks.find((b) => b.name.startsWith("patch.") && b.name.slice(6) === registry);
    const before = out.dependencies.length;
    visit(`patch.${registry}`, crates, false);
    for (const dep of out.dependencies.slice(before)) {
      dep.patches = registry;
      dep.line = header?.keys.get(dep.key.slice(dep.key.indexOf(":") + 1)) ?? dep.line;
    }
  }
  return out;
}

export function parseCargoLock(text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const doc = parseToml(text, "Cargo.lock");
  const headers = tomlBlocks(lines).filter((b) => b.name === "package" && b.array);
  const out = emptyManifest("lockfile", "Cargo.lock", "crates.io");
  const packages = Array.isArray(doc.package) ? (doc.package as TomlTable[]) : [];
  packages.forEach((pkg, i) => {
    const name = str(pkg.name);
    const source = str(pkg.source);
    // Workspace members have neither source nor checksum: they are the project.
    if (!name || !source) return;
    const block = headers[i];
    const dep: Dependency = {
      ecosystem: "crates.io",
      name,
      version: str(pkg.version),
      direct: false,
      dev: false,
      source: CRATES_IO_INDEX.test(source)
        ? undefined
        : stripCredentials(source.replace(/^(registry|sparse)\+/, "")),
      integrity: str(pkg.checksum) ? `sha256:${str(pkg.checksum)}` : undefined,
      line: block?.keys.get("name") ?? block?.line ?? 1,
      key: name,
    };
    out.dependencies.push(dep);
  });
  return out;
}

/** `.cargo/config.toml`: `[source.crates-io] replace-with`, `[source.x] registry`, `[registries.x] index`. */
export function parseCargoConfig(text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const doc = parseToml(text, ".cargo/config.toml");
  const blocks = tomlBlocks(lines);
  const out = emptyManifest("registry-config", ".cargo/config.toml", "crates.io");
  for (const [name, t] of Object.entries((doc.source as TomlTable) ?? {})) {
    const block = findBlock(blocks, `source.${name}`);
    const table = t as TomlTable;
    for (const key of ["registry", "replace-with", "local-registry", "directory"]) {
      const v = str(table?.[key]);
      if (!v) continue;
      out.registries.push({
        kind: name === "crates-io" || key !== "replace-with" ? "registry" : "repository",
        value: stripCredentials(v),
        scope: name,
        line: block?.keys.get(key) ?? block?.line ?? 1,
      });
    }
  }
  for (const [name, t] of Object.entries((doc.registries as TomlTable) ?? {})) {
    const block = findBlock(blocks, `registries.${name}`);
    const index = str((t as TomlTable)?.index);
    if (index) {
      out.registries.push({
        kind: "repository",
        value: stripCredentials(index.replace(/^(registry|sparse)\+/, "")),
        scope: name,
        line: block?.keys.get("index") ?? block?.line ?? 1,
      });
    }
  }
  return out;
}
