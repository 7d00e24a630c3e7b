import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { AdvisorySource } from "../checks/types.js";
import { FORMATS, type Format, isFormat, renderFormat } from "../report/formats.js";
import type { Config } from "../review/config.js";
import { ConfigError, defaultConfig } from "../review/defaults.js";
import { runReview } from "../review/engine.js";
import { fileByteLimitForPath } from "../review/file-limits.js";
import { ruleCatalog } from "../review/rules.js";
import { type ChangeSet, SEVERITIES, type Severity } from "../review/types.js";
import { TOLLGATE_VERSION } from "../version.js";
import {
  BlobReader,
  defaultBranch,
  EMPTY_TREE,
  GitError,
  gitChangeSet,
  INDEX,
  isShallow,
  mergeBase,
  repositoryRoot,
  resolveCommit,
  resolveCommitOrNothing,
} from "./git.js";
import { ScanError, scanChangeSet } from "./scan.js";

/**
 * `tollgate review` and `tollgate scan`. Exit codes: 0 nothing at or above
 * fail-on, 1 findings at or above it, 2 usage, config or git error.
 */

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

const MAIN_HELP = `tollgate ${TOLLGATE_VERSION}: diff-aware security review of infrastructure, CI and dependency changes

Usage:
  tollgate review [--base REF] [--head REF] [options]   review what a branch changes
  tollgate review --staged [options]                    review what \`git commit\` would record
  tollgate pr OWNER/REPO#N [--post] [options]           review a pull request on GitHub (GITHUB_TOKEN)
  tollgate scan PATH... [options]                       review whole files, every line as new
  tollgate rules [--format text|json]                   list the rules
  tollgate --version

Run "tollgate <command> --help" for a command's options.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage, config or git error.
`;

const COMMON_OPTIONS = `  --format FORMAT    text (default), json, sarif, markdown, codequality (GitLab) or junit
  --fail-on SEV      lowest severity that fails: critical, high (default), medium, low
  --config FILE      configuration file (YAML, as .github/tollgate.yml)
  --output FILE      write the report to FILE instead of standard output
  --offline          do not query the vulnerability database (same as deps.vulnerabilities: off)
  --no-color         plain text output
  -h, --help         this help`;

const REVIEW_HELP = `Usage: tollgate review [--base REF] [--head REF] [options]

Reviews the changes between two commits of the git checkout you are in and
reports only what the change introduces, as a pull request review would.

  --base REF         what the change is compared with; the review starts from
                     the merge base of REF and --head, like a pull request.
                     Default: the merge base of HEAD with the default branch
                     (origin/HEAD, else origin/main, origin/master, main, master)
  --head REF         the reviewed commit (default: HEAD; uncommitted changes are not included)
  --staged           review the index against HEAD: what \`git commit\` would record
                     (for a pre-commit hook; no --base or --head)
${COMMON_OPTIONS}

Configuration is read from .github/tollgate.yml at the base commit (never from
the change under review), unless --config names a file.
`;

const SCAN_HELP = `Usage: tollgate scan PATH... [options]

Analyses files and directories as if every line were new: what the review of a
pull request adding them would report. Directories are walked recursively,
dot-directories such as .github/ included; .git and node_modules are skipped;
symlinks are not followed.

${COMMON_OPTIONS}

Configuration: --config FILE, else .github/tollgate.yml in the current directory when present.
`;

const RULES_HELP = `Usage: tollgate rules [--format text|json]

Lists every rule with its id, default severity and title.
`;

class UsageError extends Error {}

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

const defaultIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
});

function parse(args: string[], withRefs: boolean) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: "string" },
      "fail-on": { type: "string" },
      config: { type: "string" },
      output: { type: "string" },
      offline: { type: "boolean" },
      "no-color": { type: "boolean" },
      help: { type: "boolean", short: "h" },
      ...(withRefs
        ? { base: { type: "string" }, head: { type: "string" }, staged: { type: "boolean" } }
        : {}),
    },
  });
}

function pickFormat(value: string | undefined): Format {
  if (value === undefined) return "text";
  if (!isFormat(value)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got "${value}")`);
  }
  return value;
}

function pickSeverity(value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  if (!(SEVERITIES as readonly string[]).includes(value)) {
    throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(", ")} (got "${value}")`);
  }
  return value as Severity;
}

async function readConfigFile(path: string, cwd: string): Promise<Config> {
  const full = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(full, "utf8");
  } catch {
    throw new ConfigError(path, [{ path: "", message: "cannot read the configuration file" }]);
  }
  return parseConfig(text, path);
}

/** The schema library loads only when there is configuration text to validate. */
async function parseConfig(text: string | null, source: string): Promise<Config> {
  if (text == null || text.trim() === "") return defaultConfig;
  const { loadConfig } = await import("../review/config.js");
  return loadConfig(text, source, ruleCatalog().ids());
}

function advisorySource(
  config: Config,
  env: NodeJS.ProcessEnv,
  offline: boolean,
): AdvisorySource | undefined {
  if (offline || config.deps.vulnerabilities === "off") return undefined;
  // The client loads on the first look-up: a review without dependency changes never needs it.
  return {
    async lookup(queries) {
      const { createAdvisorySource, resolveOsvUrl } = await import("../services/osv.js");
      return createAdvisorySource({ baseUrl: resolveOsvUrl(env, config.deps["osv-url"]) }).lookup(queries);
    },
  };
}

async function runAndReport(
  changeSet: ChangeSet,
  config: Config,
  mode: "diff" | "scan",
  opts: { format: Format; output?: string; offline: boolean; color: boolean },
  io: Io,
): Promise<number> {
  const advisories = advisorySource(config, io.env, opts.offline);
  const review = await runReview(changeSet, {
    config: opts.offline ? { ...config, deps: { ...config.deps, vulnerabilities: "off" } } : config,
    mode,
    services: advisories ? { advisories } : {},
  });
  const text = renderFormat(opts.format, review, { color: opts.color });
  if (opts.output) {
    try {
      writeFileSync(resolve(io.cwd, opts.output), text);
    } catch (e) {
      throw new UsageError(
        `cannot write --output ${opts.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  } else io.stdout(text);
  return review.verdict.conclusion === "failure" ? EXIT_FINDINGS : EXIT_OK;
}

async function reviewCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, true);
  if (values.help) {
    io.stdout(REVIEW_HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument "${positionals[0]}" (see tollgate review --help)`);
  const format = pickFormat(values.format);
  const failOn = pickSeverity(values["fail-on"]);
  const root = await repositoryRoot(io.cwd);
  const { base, head } = values.staged
    ? await stagedRange(root, values)
    : await branchRange(root, values.base as string | undefined, values.head as string | undefined);

  const reader = new BlobReader(root);
  try {
    let config: Config;
    if (values.config) {
      config = await readConfigFile(values.config, io.cwd);
    } else {
      // Read raw (no filters, no textconv): a missing file is the default configuration, a git failure is an error.
      const bytes = await reader.read(`${base}:.github/tollgate.yml`);
      config = await parseConfig(
        bytes?.toString("utf8") ?? null,
        `.github/tollgate.yml at ${base.slice(0, 12)}`,
      );
    }
    if (failOn) config = { ...config, "fail-on": failOn };
    const changeSet = await gitChangeSet(root, base, head, reader, {
      maxBytes: (path) => fileByteLimitForPath(config, path).bytes,
    });
    return await runAndReport(
      changeSet,
      config,
      "diff",
      {
        format,
        output: values.output,
        offline: Boolean(values.offline),
        color: io.isTTY && !values["no-color"] && !io.env.NO_COLOR,
      },
      { ...io, cwd: io.cwd },
    );
  } finally {
    reader.close();
  }
}

/** `--head` (default HEAD) against the merge base with `--base` (default: the default branch). */
async function branchRange(
  root: string,
  baseOption: string | undefined,
  headOption: string | undefined,
): Promise<{ base: string; head: string }> {
  const head = await resolveCommit(root, headOption ?? "HEAD");
  let baseRef = baseOption;
  if (!baseRef) {
    baseRef = await defaultBranch(root);
    if (!baseRef)
      throw new UsageError(
        (await isShallow(root))
          ? "no default branch found to compare with in this shallow clone: run git fetch --unshallow (or fetch the target branch) or pass --base <sha>"
          : "no default branch found to compare with: pass --base REF (e.g. --base origin/main)",
      );
  }
  const baseTip = await resolveCommit(root, baseRef);
  return { base: await reviewBase(root, baseRef, baseTip, head), head };
}

/**
 * `--staged`: the index against HEAD, what `git commit` would record. Before
 * the first commit there is no HEAD, and everything staged is new.
 */
async function stagedRange(
  root: string,
  values: { base?: unknown; head?: unknown },
): Promise<{ base: string; head: typeof INDEX }> {
  if (values.base !== undefined || values.head !== undefined)
    throw new UsageError("--staged reviews the index against HEAD: it takes no --base or --head");
  const base = (await resolveCommitOrNothing(root, "HEAD")) ?? EMPTY_TREE;
  return { base, head: INDEX };
}

/**
 * The merge base a review starts from. An empty comparison is never a pass:
 * a base that is the head (a shallow clone of one branch, whose origin/HEAD is
 * that branch) or histories that do not meet (a shallow clone's cut-off) stop
 * the review with what to do instead.
 */
async function reviewBase(root: string, baseRef: string, baseTip: string, head: string): Promise<string> {
  const shallow = await isShallow(root);
  const remedy = shallow
    ? "this is a shallow clone: run git fetch --unshallow (or fetch the target branch) or pass --base <sha>"
    : "pass --base <target branch or sha>";
  if (baseTip === head) {
    throw new GitError(
      `nothing to review: the base ${baseRef} is the same commit as the head (${head.slice(0, 12)}); ${remedy}`,
    );
  }
  const base = await mergeBase(root, baseTip, head);
  if (base === undefined) {
    throw new GitError(
      `no merge base between ${baseRef} (${baseTip.slice(0, 12)}) and the head (${head.slice(0, 12)}); ${remedy}`,
    );
  }
  if (base === head) {
    throw new GitError(
      `nothing to review: the head (${head.slice(0, 12)}) is already part of ${baseRef}; ${remedy}`,
    );
  }
  return base;
}

async function scanCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, false);
  if (values.help) {
    io.stdout(SCAN_HELP);
    return EXIT_OK;
  }
  if (positionals.length === 0)
    throw new UsageError("scan needs at least one PATH (see tollgate scan --help)");
  const format = pickFormat(values.format);
  const failOn = pickSeverity(values["fail-on"]);
  let config: Config;
  if (values.config) config = await readConfigFile(values.config, io.cwd);
  else if (existsSync(join(io.cwd, ".github/tollgate.yml")))
    config = await readConfigFile(".github/tollgate.yml", io.cwd);
  else config = defaultConfig;
  if (failOn) config = { ...config, "fail-on": failOn };
  const changeSet = await scanChangeSet(
    positionals,
    io.cwd,
    (path) => fileByteLimitForPath(config, path).bytes,
  );
  return runAndReport(
    changeSet,
    config,
    "scan",
    {
      format,
      output: values.output,
      offline: Boolean(values.offline),
      color: io.isTTY && !values["no-color"] && !io.env.NO_COLOR,
    },
    io,
  );
}

function rulesCommand(args: string[], io: Io): number {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { format: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    io.stdout(RULES_HELP);
    return EXIT_OK;
  }
  const rules = ruleCatalog().rules;
  if (values.format === "json") {
    io.stdout(
      `${JSON.stringify(
        rules.map((r) => ({ id: r.id, severity: r.severity, title: r.title })),
        null,
        2,
      )}\n`,
    );
  } else if (values.format === undefined || values.format === "text") {
    for (const r of rules) io.stdout(`${r.id.padEnd(44)} ${r.severity.padEnd(9)} ${r.title}\n`);
  } else {
    throw new UsageError(`--format must be text or json (got "${values.format}")`);
  }
  return EXIT_OK;
}

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case "help":
      case "-h":
      case "--help":
        io.stdout(MAIN_HELP);
        return EXIT_OK;
      case "--version":
      case "-v":
        io.stdout(`${TOLLGATE_VERSION}\n`);
        return EXIT_OK;
      case "review":
        return await reviewCommand(rest, io);
      case "scan":
        return await scanCommand(rest, io);
      case "rules":
        return rulesCommand(rest, io);
      default:
        throw new UsageError(`unknown command "${command}" (try tollgate --help)`);
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr(`tollgate: ${oneLine(`invalid configuration ${e.message}`)}\n`);
      return EXIT_ERROR;
    }
    if (e instanceof UsageError || e instanceof GitError || e instanceof ScanError) {
      io.stderr(`tollgate: ${oneLine(e.message)}\n`);
      return EXIT_ERROR;
    }
    if ((e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`tollgate: ${oneLine((e as Error).message)} (see tollgate ${command} --help)\n`);
      return EXIT_ERROR;
    }
    io.stderr(`tollgate: ${oneLine(`unexpected error: ${describeError(e)}`)}\n`);
    return EXIT_ERROR;
  }
}

/** What went wrong, by the error's name and message: never a stack trace. */
function describeError(e: unknown): string {
  if (e instanceof Error) {
    const name = e.name && e.name !== "Error" ? `${e.name}: ` : "";
    return `${name}${e.message || "(no message)"}`;
  }
  return String(e);
}

/**
 * One line of stderr, whatever a message holds: control and bidi characters
 * (a message may quote text a pull request wrote) become spaces, and a
 * runaway message is cut.
 */
function oneLine(message: string): string {
  const flat = message
    .replace(/[\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]+/g, " ")
    .trim();
  return flat.length > 500 ? `${flat.slice(0, 500)}…` : flat;
}
