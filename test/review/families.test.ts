import { minimatch } from "minimatch";
import { describe, expect, it } from "vitest";
import { familiesFromPath, familyGlobRegExp, PATH_FAMILIES } from "../../src/review/families.js";

/** Paths built from every glob's own words, in the places and spellings a repository has them. */
function corpus(): string[] {
  const literals = new Set<string>();
  for (const [, globs] of PATH_FAMILIES) {
    for (const glob of globs) {
      const bare = glob.replace(/^\*\*\//, "");
      for (const fill of ["", "x", "prod", "a.b"])
        literals.add(bare.replaceAll("**", "d").replaceAll("*", fill));
    }
  }
  const prefixes = ["", "svc/", "a/b/", ".github/", "deep/er/still/", "x", "/", "/abs/path/"];
  const paths = new Set<string>();
  for (const l of literals) {
    for (const p of prefixes) {
      paths.add(`${p}${l}`);
      paths.add(`${p}${l}`.toUpperCase());
      paths.add(`${p}${l}.bak`);
      paths.add(`${p}${l}/inner.yml`);
      paths.add(`${p}${l.replace(/\/[^/]*$/, "")}`);
    }
  }
  for (const extra of [
    "Dockerfile",
    "dockerfile",
    "Dockerfile.",
    "Dockerfile.prod",
    "Dockerfile-dev",
    "ops/Dockerfile_ci",
    "app.Dockerfile",
    ".github/workflows/ci.yml",
    ".github/workflows/sub/ci.yml",
    "x/.github/workflows/ci.yaml",
    "group_vars",
    "group_vars/all.yml",
    "inventory/group_vars/web/vars.yml",
    "roles/web/tasks/main.yml",
    "roles/web/tasks/sub/dir/main.yml",
    "roles/web/extra/tasks/main.yml",
    "playbooks/site.yml",
    "playbooks/a/b/site.yml",
    "requirements.txt",
    "requirements-dev.txt",
    "requirements/dev.txt",
    "requirements/a/dev.txt",
    "package.json.orig",
    "notpackage.json",
    ".gitlab-ci.yml",
    "sub/.gitlab-ci.yml",
    "sub/x.gitlab-ci.yml",
    ".circleci/config.yml",
    "x/.circleci/config.yml",
    "main.tf",
    "main.tf.json",
    "main.tfx",
    "CODEOWNERS",
    "docs/CODEOWNERS",
    "x/CODEOWNERS",
    ".github/tollgate.yml",
    "x/.github/tollgate.yml",
  ])
    paths.add(extra);
  return [...paths];
}

describe("path families", () => {
  it("every family glob matches exactly what minimatch matches ({ dot: true, nocase: true })", () => {
    const paths = corpus();
    expect(paths.length).toBeGreaterThan(3000);
    const disagreements: string[] = [];
    let matched = 0;
    for (const [, globs] of PATH_FAMILIES) {
      for (const glob of globs) {
        const re = familyGlobRegExp(glob);
        for (const path of paths) {
          const expected = minimatch(path, glob, { dot: true, nocase: true });
          if (expected) matched++;
          if (re.test(path) !== expected) disagreements.push(`${glob} ${path}: minimatch says ${expected}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
    // the corpus really exercises the globs: every glob matched something
    expect(matched).toBeGreaterThan(500);
  });

  it("gives every path the families its globs, one by one, give it", () => {
    const perGlob = PATH_FAMILIES.map(([family, globs]) => [family, globs.map(familyGlobRegExp)] as const);
    const disagreements: string[] = [];
    let claimed = 0;
    for (const path of corpus()) {
      const expected = perGlob.filter(([, res]) => res.some((re) => re.test(path))).map(([family]) => family);
      const actual = familiesFromPath(path);
      if (actual.length > 0) claimed++;
      if (actual.join() !== expected.join()) disagreements.push(`${path}: ${actual} instead of ${expected}`);
    }
    expect(disagreements).toEqual([]);
    expect(claimed).toBeGreaterThan(1500);
  });

  it("puts well-known files in their families", () => {
    expect(familiesFromPath("services/api/Dockerfile.prod")).toEqual(["docker"]);
    expect(familiesFromPath("services/api/Dockerfile-dev")).toEqual(["docker"]);
    expect(familiesFromPath("Dockerfile_prod")).toEqual(["docker"]);
    expect(familiesFromPath("/home/me/app/Dockerfile")).toEqual(["docker"]);
    expect(familiesFromPath("Dockerfile.j2")).toEqual(["docker"]);
    // Code and prose about Dockerfiles are not Dockerfiles.
    expect(familiesFromPath("test/property/dockerfile.property.test.ts")).toEqual([]);
    expect(familiesFromPath("src/formats/dockerfile.ts")).toEqual([]);
    expect(familiesFromPath("docs/Dockerfile.md")).toEqual([]);
    expect(familiesFromPath(".github/workflows/release.yaml")).toEqual(["actions"]);
    expect(familiesFromPath("web/package-lock.json")).toEqual(["deps"]);
    expect(familiesFromPath("infra/main.tf")).toEqual(["tf"]);
    expect(familiesFromPath(".github/CODEOWNERS")).toEqual(["meta"]);
    expect(familiesFromPath("src/index.ts")).toEqual([]);
    expect(familiesFromPath("README.md")).toEqual([]);
  });
});
