import type { Family } from "./types.js";

/**
 * Which rule families a path belongs to. Paths decide first; YAML and JSON
 * files that no path rule claims are sniffed for Kubernetes and CloudFormation.
 * Every text file also belongs to `secrets`.
 */

export const PATH_FAMILIES: ReadonlyArray<readonly [Family, readonly string[]]> = [
  [
    "docker",
    [
      "**/Dockerfile",
      "**/Dockerfile.*",
      "**/Dockerfile-*",
      "**/Dockerfile_*",
      "**/*.Dockerfile",
      "**/*.dockerfile",
      "**/Containerfile",
      "**/Containerfile.*",
    ],
  ],
  [
    "actions",
    ["**/.github/workflows/*.yml", "**/.github/workflows/*.yaml", "**/action.yml", "**/action.yaml"],
  ],
  [
    "compose",
    [
      "**/docker-compose*.yml",
      "**/docker-compose*.yaml",
      "**/compose.yml",
      "**/compose.yaml",
      "**/compose.*.yml",
      "**/compose.*.yaml",
      "**/compose-*.yml",
      "**/compose-*.yaml",
    ],
  ],
  [
    // Manifests are found by content wherever they are; these are the Kustomize and Helm files that have no
    // `kind` of their own to be found by (a kustomization may omit it; Helm values never have one).
    "k8s",
    [
      "**/kustomization.yaml",
      "**/kustomization.yml",
      "**/Kustomization",
      "**/values.yaml",
      "**/values.yml",
      "**/values-*.yaml",
      "**/values-*.yml",
    ],
  ],
  ["tf", ["**/*.tf", "**/*.tf.json", "**/*.tfvars", "**/*.tfvars.json", "**/*.tofu", "**/*.tofu.json"]],
  [
    "ci",
    [
      ".gitlab-ci.yml",
      "**/*.gitlab-ci.yml",
      ".circleci/config.yml",
      "**/azure-pipelines*.yml",
      "**/bitbucket-pipelines.yml",
      "**/Jenkinsfile",
      "**/Jenkinsfile.*",
      "**/*.jenkinsfile",
      "**/jenkins/*.groovy",
      "**/.gitlab/ci/**/*.yml",
      "**/.gitlab/ci/**/*.yaml",
      "**/azure-pipelines*.yaml",
      "**/.azure-pipelines/**/*.yml",
    ],
  ],
  [
    "ansible",
    [
      "**/playbook*.yml",
      "**/playbook*.yaml",
      "**/playbooks/**/*.yml",
      "**/playbooks/**/*.yaml",
      "**/site.yml",
      "**/roles/*/tasks/**/*.yml",
      "**/roles/*/tasks/**/*.yaml",
      "**/roles/*/handlers/**/*.yml",
      "**/roles/*/handlers/**/*.yaml",
      "**/roles/*/vars/**/*.yml",
      "**/roles/*/vars/**/*.yaml",
      "**/roles/*/defaults/**/*.yml",
      "**/roles/*/defaults/**/*.yaml",
      "**/roles/*/meta/**/*.yml",
      "**/group_vars/**",
      "**/host_vars/**",
      "**/ansible.cfg",
    ],
  ],
  [
    "config-mgmt",
    [
      "**/recipes/*.rb",
      "**/attributes/*.rb",
      "**/.chef/knife.rb",
      "**/.chef/config.rb",
      "**/chef/client.rb",
      "**/chef/solo.rb",
      "**/*.pp",
      "**/*.sls",
      "**/pillar/**/*.sls",
      "**/Vagrantfile",
      "**/*.pkr.hcl",
      "**/*.pkr.json",
    ],
  ],
  [
    "deps",
    [
      "**/package.json",
      "**/package-lock.json",
      "**/npm-shrinkwrap.json",
      "**/yarn.lock",
      "**/pnpm-lock.yaml",
      "**/requirements*.txt",
      "**/requirements/*.txt",
      "**/constraints*.txt",
      "**/Pipfile",
      "**/Pipfile.lock",
      "**/poetry.lock",
      "**/pyproject.toml",
      "**/uv.lock",
      "**/go.mod",
      "**/go.sum",
      "**/Cargo.toml",
      "**/Cargo.lock",
      "**/Gemfile",
      "**/Gemfile.lock",
      "**/gems.rb",
      "**/pom.xml",
      "**/build.gradle",
      "**/build.gradle.kts",
      "**/settings.gradle",
      "**/settings.gradle.kts",
      "**/gradle.lockfile",
      "**/composer.json",
      "**/composer.lock",
      "**/packages.lock.json",
      "**/*.csproj",
      "**/Directory.Packages.props",
      "**/nuget.config",
      "**/NuGet.Config",
      "**/.npmrc",
      "**/.yarnrc",
      "**/.yarnrc.yml",
      "**/pip.conf",
      "**/pip.ini",
      "**/.cargo/config.toml",
      "**/.terraform.lock.hcl",
    ],
  ],
  [
    "meta",
    [".github/tollgate.yml", ".github/tollgate.yaml", "CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS"],
  ],
];

/**
 * The globs above as regular expressions, with minimatch's meaning under
 * `{ dot: true, nocase: true }` (a test checks the two agree path by path).
 * They use only `**` as a whole segment, `*` inside a segment and literals, so
 * this is a few lines; loading and compiling them with minimatch cost ~30 ms
 * of every CLI start-up.
 */
export function familyGlobRegExp(glob: string): RegExp {
  const segments = glob.split("/");
  let source = "";
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === "**") {
      // any number of directories, or everything below when it ends the glob
      source += last ? (i === 0 ? ".*" : "/.+") : i === 0 ? "/?(?:[^/]+/)*" : "/(?:[^/]+/)*";
      return;
    }
    if (i > 0 && segments[i - 1] !== "**") source += "/";
    // a segment of only `*` names one directory or file: never an empty one
    if (segment === "*") {
      source += "[^/]+";
      return;
    }
    source += segment
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join("[^/]*");
  });
  return new RegExp(`^${source}$`, "i");
}

/**
 * One family's globs as at most two tests. A glob of `**` then one name pattern (most of them)
 * matches exactly the paths whose last segment matches that pattern, so those are one alternation
 * over the file name alone; the others are one alternation over the whole path. Testing 120 regular expressions, each walking
 * the path's directories from its start, took 16 µs a file — 6% of reviewing a 20-line Salt
 * state. The per-glob expressions stay the definition (`familyGlobRegExp`, which a test holds to
 * minimatch); a test holds these to them.
 */
interface FamilyMatcher {
  family: Family;
  name: RegExp | undefined;
  path: RegExp | undefined;
}

function alternation(regexps: readonly RegExp[]): RegExp | undefined {
  if (regexps.length === 0) return undefined;
  return new RegExp(`^(?:${regexps.map((r) => r.source.slice(1, -1)).join("|")})$`, "i");
}

function familyMatcher(family: Family, globs: readonly string[]): FamilyMatcher {
  const byName: RegExp[] = [];
  const byPath: RegExp[] = [];
  for (const glob of globs) {
    const segments = glob.split("/");
    if (segments.length === 2 && segments[0] === "**" && segments[1] !== "**") {
      byName.push(familyGlobRegExp(segments[1]!));
    } else byPath.push(familyGlobRegExp(glob));
  }
  return { family, name: alternation(byName), path: alternation(byPath) };
}

const matchers = PATH_FAMILIES.map(([family, globs]) => familyMatcher(family, globs));

/** Families decided by the path alone (without `secrets`, which every text file has). */
export function familiesFromPath(path: string): Family[] {
  const out: Family[] = [];
  const name = path.slice(path.lastIndexOf("/") + 1);
  for (const m of matchers) {
    if (m.name?.test(name) || m.path?.test(path)) out.push(m.family);
  }
  if (out[0] === "docker" && NOT_A_DOCKERFILE.test(path)) out.shift();
  return out;
}

/**
 * `Dockerfile.*` names variants (`Dockerfile.dev`, `Dockerfile.alpine`, `Dockerfile.j2`), but
 * `dockerfile.test.ts` or `Dockerfile.md` is code or prose about Dockerfiles: read as one, it was a
 * parse error on every line.
 */
const NOT_A_DOCKERFILE =
  /(?:^|\/)dockerfile(?:[._-][^/]*)?\.(?:[cm]?[jt]sx?|py|go|rb|rs|java|kt|cs|php|md|markdown|rst|txt|json|ya?ml|toml|html?|css|snap)$/i;

/** YAML or JSON files that only their content can place (Kubernetes manifests, CloudFormation templates). */
export function isAmbiguousStructuredFile(path: string): boolean {
  return /\.(ya?ml|json|template)$/i.test(path);
}

/** Families decided by content, for files `familiesFromPath` left unclaimed. */
export function familiesFromContent(path: string, text: string): Family[] {
  const head = text.length > 65_536 ? text.slice(0, 65_536) : text;
  const out: Family[] = [];
  if (
    /^\s*"?AWSTemplateFormatVersion"?\s*:/m.test(head) ||
    /^\s*"?Transform"?\s*:\s*\[?\s*["']?AWS::Serverless-/m.test(head) ||
    /["']?Type["']?\s*:\s*["']?AWS::[A-Za-z0-9]+::/.test(head)
  ) {
    out.push("cfn");
  } else if (/^\s*apiVersion\s*:/m.test(head) && /^\s*kind\s*:/m.test(head)) {
    out.push("k8s");
  } else if (/\.json$/i.test(path) && /"apiVersion"\s*:/.test(head) && /"kind"\s*:/.test(head)) {
    out.push("k8s");
  }
  if (out.length === 0 && isAnsiblePlaybook(head)) out.push("ansible");
  return out;
}

/**
 * An Ansible playbook outside the usual paths: a YAML list whose items are plays,
 * `hosts:` with `tasks:`, `roles:`, `pre_tasks:` or `handlers:` (or `import_playbook:`).
 */
function isAnsiblePlaybook(head: string): boolean {
  if (/^-\s+(?:ansible\.builtin\.)?import_playbook\s*:/m.test(head)) return true;
  return (
    /^(?:-\s+|\s+)hosts\s*:/m.test(head) &&
    /^\s+(?:tasks|roles|pre_tasks|post_tasks|handlers)\s*:/m.test(head) &&
    /^-\s/m.test(head)
  );
}

/** Helm templates are Go templates, not YAML: they are skipped with a note, never a parse error. */
export function isHelmTemplate(path: string, text: string): boolean {
  return /(^|\/)templates\/[^/]+\.(ya?ml|tpl)$/i.test(path) && text.includes("{{");
}

/** The chart directory of a Helm template (`charts/web` for `charts/web/templates/deploy.yaml`; `.` at the root). */
export function helmChartOf(path: string): string {
  const i = path.search(/(^|\/)templates\/[^/]+$/);
  return i <= 0 ? "." : path.slice(0, i);
}
