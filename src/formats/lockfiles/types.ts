/**
 * The dependency model every manifest, lockfile and registry-configuration
 * parser produces. Each entry keeps the line that DECLARES it (the
 * `package.json` entry, the `"node_modules/x": {` key, the requirements line),
 * because findings and the summary point there.
 */

/** OSV ecosystem names, spelled as OSV expects them (case-sensitive). */
export type Ecosystem = "npm" | "PyPI" | "Go" | "crates.io" | "RubyGems" | "Maven" | "Packagist" | "NuGet";

export interface Dependency {
  ecosystem: Ecosystem;
  /** Registry name: `@scope/name` (npm), normalised PEP 503 name (PyPI), module path (Go), `group:artifact` (Maven). */
  name: string;
  /** Exact version, when the file pins one (lockfiles, `==` pins, go.mod). */
  version?: string;
  /** Requested range or spec as written (manifests): `^1.2.0`, `>=2,<3`, `github:user/repo`. */
  range?: string;
  /** Declared by the project itself, not pulled in by another dependency. */
  direct: boolean;
  /** Only needed to develop or test (devDependencies, `--dev` groups, `dev: true` lockfile entries). */
  dev: boolean;
  /** Declared only as a peer (package.json `peerDependencies`): the host project chooses the version. */
  peer?: boolean;
  /** Where it comes from when not implied: resolved URL, git URL, local path. */
  source?: string;
  /** Integrity or checksum(s) as written; several are joined with a space (sorted). */
  integrity?: string;
  /**
   * The same hashes per distribution file, where the lockfile names the file
   * each belongs to (poetry.lock `files`, uv.lock `sdist`/`wheels`): `[file name, hash]`.
   */
  fileHashes?: ReadonlyArray<readonly [file: string, hash: string]>;
  /**
   * The entry overrides this registry's package of the same name for the whole
   * build rather than adding a dependency (Cargo `[patch.crates-io]`): the registry's name.
   */
  patches?: string;
  /** The lockfile says the package runs an install script (npm `hasInstallScript`, pnpm `requiresBuild`). */
  hasInstallScript?: boolean;
  license?: string;
  /** 1-based line that declares the dependency. */
  line: number;
  /**
   * Where the version is written when that is elsewhere: the `<properties>`
   * line of a pom.xml `${jackson.version}`. A version change that comes from
   * there is reported there.
   */
  versionLine?: number;
  /**
   * Identity inside this file, for diffing base and head: the name, or the
   * install path for npm lockfiles (`node_modules/a/node_modules/b`), where one
   * name can sit at several paths.
   */
  key: string;
}

export type RegistrySettingKind =
  /** The main index / registry (`--index-url`, `registry=`, `npmRegistryServer`, Gemfile `source`). */
  | "registry"
  /** An index consulted besides the main one (`--extra-index-url`, a second Gemfile source, Pipfile `[[source]]`). */
  | "extra-registry"
  /** A registry for one scope (`@corp:registry=`, `npmScopes`). */
  | "scoped-registry"
  /** A host whose TLS errors are ignored (`--trusted-host`). */
  | "trusted-host"
  /** A package repository of a build tool (Maven `<repository>`, Gradle `maven { url }`, composer `repositories`). */
  | "repository"
  /** A switch that weakens transport security (`strict-ssl=false`, `allowInsecureProtocol = true`, `secure-http: false`). */
  | "insecure-option";

export interface RegistrySetting {
  kind: RegistrySettingKind;
  /** URL, host or option as written (never credentials: they are stripped). */
  value: string;
  /** npm scope for `scoped-registry`; repository id or name when the file gives one. */
  scope?: string;
  line: number;
}

/** A directive that swaps a dependency for another module or a local copy (go.mod `replace`; Cargo `[patch]` entries are dependencies with `patches` set). */
export interface Replacement {
  from: string;
  fromVersion?: string;
  to: string;
  toVersion?: string;
  /** The target is a filesystem path. */
  local: boolean;
  line: number;
}

/** An npm lifecycle script of the project itself (`preinstall`, `install`, `postinstall`, `prepare`). */
export interface LifecycleScript {
  name: string;
  command: string;
  line: number;
}

export type ManifestKind = "manifest" | "lockfile" | "registry-config";

export interface ParsedManifest {
  /** Undefined for files that configure several ecosystems or none (never in practice). */
  ecosystem?: Ecosystem;
  kind: ManifestKind;
  /** Short format name for messages: `package-lock.json v3`, `yarn.lock (berry)`, `requirements.txt`. */
  format: string;
  dependencies: Dependency[];
  registries: RegistrySetting[];
  replacements: Replacement[];
  scripts: LifecycleScript[];
}

export function emptyManifest(kind: ManifestKind, format: string, ecosystem?: Ecosystem): ParsedManifest {
  return { ecosystem, kind, format, dependencies: [], registries: [], replacements: [], scripts: [] };
}
