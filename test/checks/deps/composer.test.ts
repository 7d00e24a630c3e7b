import { describe, expect, it } from "vitest";
import { checks } from "../../../src/checks/deps/checks.generated.js";
import { reviewFiles, ruleLines } from "../../support/review.js";

const offline = checks.filter((c) => c.kind === "change");
const review = (files: Parameters<typeof reviewFiles>[0]) => reviewFiles(files, { checks: offline });

const lock = (packages: string[]) =>
  `{\n    "content-hash": "0f3c",\n    "packages": [\n${packages.join(",\n")}\n    ],\n    "packages-dev": []\n}\n`;

/** A composer.lock entry as Composer 2 writes it for a package Packagist serves from a git host. */
const pkg = (name: string, version: string, dist: string, notification = true) =>
  `        {
            "name": "${name}",
            "version": "${version}",
            "source": { "type": "git", "url": "https://github.com/${name}.git", "reference": "c915e263" },
            "dist": { "type": "zip", "url": "${dist}", "reference": "c915e263", "shasum": "" },
            "type": "library"${notification ? ',\n            "notification-url": "https://packagist.org/downloads/"' : ""}
        }`;

describe("composer.lock: Packagist's own dist archives are not non-registry sources", () => {
  it.each([
    [
      "GitHub zipball API",
      "https://api.github.com/repos/Seldaek/monolog/zipball/c915e2634718dbc8a4a15c61b0e62e7a44e14448",
    ],
    [
      "GitHub codeload",
      "https://codeload.github.com/Seldaek/monolog/legacy.zip/c915e2634718dbc8a4a15c61b0e62e7a44e14448",
    ],
    [
      "GitLab archive API",
      "https://gitlab.com/api/v4/projects/seldaek%2Fmonolog/repository/archive.zip?sha=c915e263",
    ],
    ["Bitbucket get/", "https://bitbucket.org/seldaek/monolog/get/c915e2634718.zip"],
  ])("a new package whose dist is the %s is not reported", async (_what, url) => {
    for (const notification of [true, false]) {
      const result = await review([
        {
          path: "composer.lock",
          base: lock([]),
          head: lock([pkg("monolog/monolog", "3.5.0", url, notification)]),
        },
      ]);
      expect(ruleLines(result)).toEqual([]);
    }
  });

  it("an upgrade within the same repository is not reported", async () => {
    const result = await review([
      {
        path: "composer.lock",
        base: lock([
          pkg("monolog/monolog", "3.5.0", "https://api.github.com/repos/Seldaek/monolog/zipball/aaaa"),
        ]),
        head: lock([
          pkg("monolog/monolog", "3.6.0", "https://api.github.com/repos/Seldaek/monolog/zipball/bbbb"),
        ]),
      },
    ]);
    expect(ruleLines(result)).toEqual([]);
  });

  it("the same package now cut from another repository is reported, with both repositories", async () => {
    const result = await review([
      {
        path: "composer.lock",
        base: lock([
          pkg("monolog/monolog", "3.5.0", "https://api.github.com/repos/Seldaek/monolog/zipball/aaaa"),
        ]),
        head: lock([
          pkg("monolog/monolog", "3.5.0", "https://api.github.com/repos/m0nolog/monolog/zipball/aaaa"),
        ]),
      },
    ]);
    expect(ruleLines(result)).toEqual([["deps/non-registry-source", 5]]);
    expect(result.findings[0]!.message).toBe(
      "`monolog/monolog@3.5.0` is now downloaded from `github.com/m0nolog/monolog` instead of `github.com/seldaek/monolog`: another repository's archive under the same package name. Check that the package was not swapped for a fork.",
    );
  });

  it("a dist on a host that is not a git host's archive API is still reported", async () => {
    const result = await review([
      {
        path: "composer.lock",
        base: lock([]),
        head: lock([pkg("monolog/monolog", "3.5.0", "https://dl.corp-mirror.example/monolog-3.5.0.zip")]),
      },
    ]);
    expect(ruleLines(result)).toEqual([["deps/non-registry-source", 5]]);
    expect(result.findings[0]!.message).toContain(
      "is downloaded from `dl.corp-mirror.example`, a host outside the allowed registries",
    );
  });

  it("a GitHub URL that is not an archive API (a raw file) is still reported", async () => {
    const result = await review([
      {
        path: "composer.lock",
        base: lock([]),
        head: lock([pkg("monolog/monolog", "3.5.0", "https://api.github.com/gists/abc/raw/monolog.zip")]),
      },
    ]);
    expect(ruleLines(result)).toEqual([["deps/non-registry-source", 5]]);
  });
});

describe("composer.json repositories", () => {
  const manifest = (repositories: string) =>
    `{\n    "require": {\n        "corp/billing": "^2.0"\n    }${repositories}\n}\n`;

  it("a vcs repository is a non-registry source, on its url line; a path inside the repository is not", async () => {
    const result = await review([
      {
        path: "composer.json",
        base: manifest(""),
        head: manifest(
          ',\n    "repositories": [\n        { "type": "vcs", "url": "https://github.com/corp/billing" },\n        { "type": "path", "url": "packages/*" },\n        { "type": "artifact", "url": "/srv/zips" }\n    ]',
        ),
      },
    ]);
    expect(ruleLines(result)).toEqual([
      ["deps/non-registry-source", 6],
      ["deps/non-registry-source", 8],
    ]);
    expect(result.findings[0]!.message).toBe(
      "Adds a `vcs` repository (`https://github.com/corp/billing`): the packages it provides are installed from version control instead of Packagist, ahead of Packagist for the same names, and a branch or tag can be moved to other code. Publish the package to a registry (Private Packagist, a Composer repository) or pin the commit.",
    );
    expect(result.findings[1]!.message).toContain(
      "Adds a local `artifact` repository outside the repository (`/srv/zips`)",
    );
  });

  it("an unchanged repository is not reported again", async () => {
    const repos = ',\n    "repositories": [{ "type": "vcs", "url": "https://github.com/corp/billing" }]';
    const result = await review([
      { path: "composer.json", base: manifest(repos), head: manifest(repos).replace("^2.0", "^2.1") },
    ]);
    expect(ruleLines(result)).toEqual([]);
  });
});

describe("pyproject.toml (Poetry): `*` is unpinned", () => {
  it('flask = "*" is reported; a caret range and a PEP 621 bare name are not', async () => {
    const base = '[tool.poetry.dependencies]\npython = "^3.12"\n';
    const result = await review([
      {
        path: "pyproject.toml",
        base,
        head: `[project]\nname = "shop"\ndependencies = [\n  "requests",\n]\n\n${base}flask = "*"\nattrs = "^23.2"\n`,
      },
    ]);
    expect(ruleLines(result)).toEqual([["deps/unpinned-version", 9]]);
    expect(result.findings[0]!.message).toBe(
      "`flask` accepts any version (`*`): the next install takes whatever version was published last.",
    );
  });
});
