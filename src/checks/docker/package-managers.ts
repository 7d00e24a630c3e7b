import type { RunInvocation } from "./run-commands.js";

/**
 * Package managers verify signatures so that a mirror, proxy or typo'd
 * repository cannot serve a tampered package; the bypass flags switch that
 * off for the whole install. Unpinned installs (off by default) make every
 * rebuild take whatever the mirror serves that day.
 */

export const BYPASS = "docker/package-signature-bypass";
export const UNPINNED = "docker/unpinned-os-packages";

const BYPASS_FLAGS: Record<string, RegExp> = {
  apk: /^--allow-untrusted$/,
  apt: /^--(allow-unauthenticated|force-yes|allow-insecure-repositories)$/,
  yum: /^--(nogpgcheck|setopt=(.*\.)?gpgcheck=(0|false|no))$/,
  rpm: /^--(nosignature|nodigest|nogpg)$/,
  zypper: /^--no-gpg-checks$/,
};
const FAMILY: Record<string, string> = {
  apk: "apk",
  apt: "apt",
  "apt-get": "apt",
  aptitude: "apt",
  yum: "yum",
  dnf: "yum",
  microdnf: "yum",
  tdnf: "yum",
  rpm: "rpm",
  zypper: "zypper",
};
const APT_OPTION =
  /(AllowUnauthenticated|AllowInsecureRepositories|AllowDowngradeToInsecureRepositories)\s*=\s*"?(true|1|yes)/i;

/** Repository and apt settings written into files by a RUN (`echo … > /etc/yum.repos.d/x.repo`). */
export const CONFIG_SETTINGS =
  /(?:\b|(?<=\\n))(?:repo_|localpkg_)?gpgcheck\s*=\s*(?:0|false|no)\b|\[[^\]\n]{0,200}?\btrusted=yes\b[^\]\n]{0,200}\]|\bAllow(?:Unauthenticated|InsecureRepositories)\s+"?(?:true|1|yes)"?/gi;

export function bypassFlag(inv: Pick<RunInvocation, "program" | "args">): string | undefined {
  // Own keys only: a program named `constructor` must not find `Object.prototype`'s.
  const family = Object.hasOwn(FAMILY, inv.program) ? FAMILY[inv.program] : undefined;
  if (!family) return undefined;
  const flag = BYPASS_FLAGS[family]!;
  for (const a of inv.args) {
    if (flag.test(a.value)) return a.value;
    if (family === "apt" && APT_OPTION.test(a.value)) return a.value;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Unpinned installs.

interface Installer {
  /** Subcommands that install (`install`, `add`, …). */
  verbs: RegExp;
  /** Options that consume the next word. */
  valued: Set<string>;
  /** Options after which the package list is not on the command line (`-r requirements.txt`). */
  fromFile?: Set<string>;
  pinned(spec: string): boolean;
  example: string;
}

const isPathLike = (s: string) =>
  /^(\.|\/|~|https?:|git\+|file:)/.test(s) || /\.(deb|rpm|apk|whl|tgz|tar\.gz|zip|gem)$/.test(s);

const INSTALLERS: Record<string, Installer> = {
  apt: {
    verbs: /^install$/,
    valued: new Set(["-o", "-t", "--target-release", "-c", "--config-file"]),
    pinned: (s) => s.includes("="),
    example: "`curl=7.88.1-10+deb12u5`",
  },
  apk: {
    verbs: /^add$/,
    valued: new Set([
      "-t",
      "--virtual",
      "-X",
      "--repository",
      "-p",
      "--root",
      "--arch",
      "--cache-dir",
      "--keys-dir",
    ]),
    pinned: (s) => /[=~<>]/.test(s),
    example: "`curl=8.5.0-r0`",
  },
  yum: {
    verbs: /^(install|in)$/,
    valued: new Set([
      "--setopt",
      "--enablerepo",
      "--disablerepo",
      "--releasever",
      "--installroot",
      "-c",
      "--config",
    ]),
    pinned: (s) => /-\d|[=<>]/.test(s) || s.startsWith("@"),
    example: "`curl-7.76.1`",
  },
  pip: {
    verbs: /^install$/,
    valued: new Set([
      "-e",
      "--editable",
      "-i",
      "--index-url",
      "--extra-index-url",
      "-t",
      "--target",
      "--prefix",
      "--root",
      "-f",
      "--find-links",
      "--trusted-host",
      "--platform",
      "--python-version",
      "--implementation",
      "--abi",
      "--only-binary",
      "--no-binary",
      "--progress-bar",
      "--cache-dir",
      "--src",
    ]),
    fromFile: new Set(["-r", "--requirement", "-c", "--constraint"]),
    pinned: (s) => /===?|@/.test(s),
    example: "`requests==2.32.3` (or a requirements file with hashes)",
  },
  npm: {
    verbs: /^(install|i|add)$/,
    valued: new Set(["--registry", "--prefix", "--cache", "--tag"]),
    pinned: (s) => {
      const at = s.lastIndexOf("@");
      if (at <= 0) return false;
      const version = s.slice(at + 1);
      return version !== "" && !/^(latest|next|\*|x)$/i.test(version);
    },
    example: "`typescript@5.9.2`",
  },
  gem: {
    verbs: /^install$/,
    valued: new Set(["-v", "--version", "-i", "--install-dir", "-n", "--bindir", "--source", "-s"]),
    pinned: (s) => s.includes(":"),
    example: "`bundler -v 2.5.22`",
  },
  go: {
    verbs: /^install$/,
    valued: new Set(["-tags", "-ldflags", "-gcflags", "-o"]),
    pinned: (s) => /@v?\d/.test(s),
    example: "`golang.org/x/tools/gopls@v0.16.2`",
  },
};
const INSTALLER_OF: Record<string, string> = {
  apt: "apt",
  "apt-get": "apt",
  apk: "apk",
  yum: "yum",
  dnf: "yum",
  microdnf: "yum",
  tdnf: "yum",
  zypper: "yum",
  pip: "pip",
  npm: "npm",
  pnpm: "npm",
  yarn: "npm",
  gem: "gem",
  go: "go",
};

/** The packages an install command names without a version. */
export function unpinnedPackages(inv: Pick<RunInvocation, "program" | "args">): {
  names: string[];
  example: string;
} {
  let program = inv.program;
  let args = inv.args.map((a) => a.value);
  if (/^pip[0-9.]*$/.test(program)) program = "pip";
  if (/^python[0-9.]*$/.test(program) && args[0] === "-m" && /^pip[0-9.]*$/.test(args[1] ?? "")) {
    program = "pip";
    args = args.slice(2);
  }
  const kind = Object.hasOwn(INSTALLER_OF, program) ? INSTALLER_OF[program] : undefined;
  if (!kind) return { names: [], example: "" };
  const installer = INSTALLERS[kind]!;
  if (program === "yarn" && args[0] === "global") args = args.slice(1);
  let verb = 0;
  while (verb < args.length && args[verb]!.startsWith("-")) verb += installer.valued.has(args[verb]!) ? 2 : 1;
  if (verb >= args.length || !installer.verbs.test(args[verb]!)) return { names: [], example: "" };
  const names: string[] = [];
  let versionGiven = false;
  for (let k = verb + 1; k < args.length; k++) {
    const a = args[k]!;
    if (installer.fromFile?.has(a) || [...(installer.fromFile ?? [])].some((f) => a.startsWith(`${f}=`)))
      return { names: [], example: "" };
    if (kind === "gem" && (a === "-v" || a === "--version" || a.startsWith("--version=")))
      versionGiven = true;
    if (installer.valued.has(a)) {
      k++;
      continue;
    }
    if (a.startsWith("-") || a.includes("$") || isPathLike(a)) continue;
    if (!installer.pinned(a)) names.push(a);
  }
  if (versionGiven) return { names: [], example: "" };
  return { names, example: installer.example };
}
