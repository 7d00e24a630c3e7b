import { describe, expect, it } from "vitest";
import { parseAs, summary } from "./parse.js";

describe("requirements.txt", () => {
  it("reads options, pins, markers, continuations, hashes, URLs and editables", () => {
    const parsed = parseAs(
      "requirements/prod.txt",
      `# production pins
-i https://user:s3cret@pypi.corp.example/simple
--extra-index-url https://pypi.org/simple
--trusted-host pypi.corp.example
-r base.txt
Django==4.2.11 \\
    --hash=sha256:bbb \\
    --hash=sha256:aaa
requests[security]>=2.31  # comment
pywin32==306 ; sys_platform == "win32"
pywin32==305 ; sys_platform == "cygwin"
flask
internal-tools @ git+https://github.com/example/internal-tools.git@v1.2
-e git+https://github.com/example/lib.git#egg=example_lib
https://files.example.com/wheels/fancy_pkg-1.0.0-py3-none-any.whl
`,
    );
    expect(summary(parsed)).toEqual([
      "django@4.2.11 L6 direct",
      "requests@>=2.31 L9 direct",
      "pywin32@306 L10 direct",
      "pywin32@305 L11 direct",
      "flask@ L12 direct",
      "internal-tools@ L13 direct <git+https://github.com/example/internal-tools.git@v1.2>",
      "example-lib@ L14 direct <git+https://github.com/example/lib.git#egg=example_lib>",
      "fancy-pkg@1.0.0 L15 direct <https://files.example.com/wheels/fancy_pkg-1.0.0-py3-none-any.whl>",
    ]);
    expect(parsed.dependencies[0]!.integrity).toBe("sha256:aaa sha256:bbb");
    expect(parsed.registries).toEqual([
      { kind: "registry", value: "https://pypi.corp.example/simple", line: 2 },
      { kind: "extra-registry", value: "https://pypi.org/simple", line: 3 },
      { kind: "trusted-host", value: "pypi.corp.example", line: 4 },
    ]);
  });

  it("marks requirements-dev.txt entries as dev and rejects a line that is not a requirement", () => {
    expect(parseAs("requirements-dev.txt", "pytest==8.2.0\n").dependencies[0]!.dev).toBe(true);
    expect(() => parseAs("requirements.txt", "requests==2.0\n???\n")).toThrow(
      expect.objectContaining({ line: 2 }),
    );
  });
});

describe("pip.conf", () => {
  it("reads multi-line extra-index-url values", () => {
    const parsed = parseAs(
      "pip.conf",
      "[global]\nindex-url = https://pypi.corp.example/simple\nextra-index-url =\n    https://a.example/simple\n    http://b.example/simple\ntrusted-host = b.example\n",
    );
    expect(parsed.registries.map((r) => [r.kind, r.value, r.line])).toEqual([
      ["registry", "https://pypi.corp.example/simple", 2],
      ["extra-registry", "https://a.example/simple", 4],
      ["extra-registry", "http://b.example/simple", 5],
      ["trusted-host", "b.example", 6],
    ]);
  });
});

describe("Pipfile and Pipfile.lock", () => {
  it("reads packages, dev-packages and sources", () => {
    const parsed = parseAs(
      "Pipfile",
      `[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[[source]]
url = "http://pypi.corp.example/simple"
verify_ssl = false
name = "corp"

[packages]
requests = "*"
django = "==4.2.11"
mylib = {git = "https://github.com/example/mylib.git", ref = "main"}

[dev-packages]
pytest = ">=8"
`,
    );
    expect(summary(parsed)).toEqual([
      "requests@* L12 direct",
      "django@4.2.11 L13 direct",
      "mylib@ L14 direct <git+https://github.com/example/mylib.git@main>",
      "pytest@>=8 L17 direct dev",
    ]);
    expect(parsed.registries.map((r) => [r.kind, r.value, r.line])).toEqual([
      ["registry", "https://pypi.org/simple", 2],
      ["extra-registry", "http://pypi.corp.example/simple", 7],
      ["insecure-option", "verify_ssl = false (http://pypi.corp.example/simple)", 8],
    ]);
  });

  it("reads Pipfile.lock entries with hashes", () => {
    const parsed = parseAs(
      "Pipfile.lock",
      `{
    "_meta": { "sources": [ { "name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true } ] },
    "default": {
        "requests": { "hashes": ["sha256:bb", "sha256:aa"], "index": "pypi", "version": "==2.32.3" }
    },
    "develop": {
        "pytest": { "version": "==8.2.0" }
    }
}
`,
    );
    expect(summary(parsed)).toEqual(["requests@2.32.3 L4", "pytest@8.2.0 L7 dev"]);
    expect(parsed.dependencies[0]!.integrity).toBe("sha256:aa sha256:bb");
  });
});

describe("pyproject.toml", () => {
  it("reads PEP 621, optional dependencies, dependency groups and Poetry tables", () => {
    const parsed = parseAs(
      "pyproject.toml",
      `[project]
name = "shop"
dependencies = [
  "requests>=2.31",
  "Django[argon2]==4.2.11 ; python_version >= '3.10'",
]

[project.optional-dependencies]
docs = ["sphinx>=7"]

[dependency-groups]
dev = ["pytest==8.2.0"]

[tool.poetry.dependencies]
python = "^3.11"
httpx = "^0.27"
mylib = { git = "https://github.com/example/mylib.git", tag = "v1" }

[tool.poetry.group.test.dependencies]
coverage = "7.5.1"

[[tool.poetry.source]]
name = "corp"
url = "https://pypi.corp.example/simple"
priority = "supplemental"
`,
    );
    expect(summary(parsed)).toEqual([
      "requests@>=2.31 L4 direct",
      "django@4.2.11 L5 direct",
      "sphinx@>=7 L9 direct dev",
      "pytest@8.2.0 L12 direct dev",
      "httpx@^0.27 L16 direct",
      "mylib@ L17 direct <git+https://github.com/example/mylib.git@v1>",
      "coverage@7.5.1 L20 direct dev",
    ]);
    expect(parsed.registries).toEqual([
      { kind: "extra-registry", value: "https://pypi.corp.example/simple", scope: "corp", line: 24 },
    ]);
  });

  it("points a TOML syntax error at its line", () => {
    expect(() => parseAs("pyproject.toml", '[project]\nname = "x"\ndependencies = [\n')).toThrow(
      expect.objectContaining({ line: 4 }),
    );
  });
});

describe("poetry.lock and uv.lock", () => {
  it("poetry.lock: packages, file hashes and git sources", () => {
    const parsed = parseAs(
      "poetry.lock",
      `# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.

[[package]]
name = "certifi"
version = "2024.7.4"
description = "Python package for providing Mozilla's CA Bundle."
optional = false
python-versions = ">=3.6"
files = [
    {file = "certifi-2024.7.4-py3-none-any.whl", hash = "sha256:c1"},
    {file = "certifi-2024.7.4.tar.gz", hash = "sha256:5a"},
]

[[package]]
name = "mylib"
version = "1.0.0"
description = ""
optional = false
python-versions = "*"
files = []

[package.source]
type = "git"
url = "https://github.com/example/mylib.git"
reference = "main"
resolved_reference = "abc123"

[metadata]
lock-version = "2.0"
`,
    );
    expect(summary(parsed)).toEqual([
      "certifi@2024.7.4 L4",
      "mylib@1.0.0 L15 <git+https://github.com/example/mylib.git@abc123>",
    ]);
    expect(parsed.dependencies[0]!.integrity).toBe("sha256:5a sha256:c1");
  });

  it("uv.lock: skips the project itself, keeps registry and git sources", () => {
    const parsed = parseAs(
      "uv.lock",
      `version = 1
requires-python = ">=3.11"

[[package]]
name = "idna"
version = "3.7"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/packages/idna-3.7.tar.gz", hash = "sha256:028f", size = 189575 }
wheels = [
    { url = "https://files.pythonhosted.org/packages/idna-3.7-py3-none-any.whl", hash = "sha256:82fe", size = 66836 },
]

[[package]]
name = "shop"
version = "0.1.0"
source = { editable = "." }
`,
    );
    expect(summary(parsed)).toEqual(["idna@3.7 L5 <https://pypi.org/simple>"]);
    expect(parsed.dependencies[0]!.integrity).toBe("sha256:028f sha256:82fe");
  });
});

describe("requirements: editable installs and direct URLs get real names", () => {
  it("skips the project itself, names local directories by path and wheels by their distribution", () => {
    const parsed = parseAs(
      "requirements-dev.txt",
      [
        "-e .",
        "-e .[test]",
        ".[docs]",
        "-e ./libs/core[dev]",
        "../shared-utils",
        "file:///tmp/x.whl",
        "https://files.example.com/wheels/Fancy.Pkg-2.1.0-py3-none-any.whl#sha256=abc",
        "./dist/my_tool-0.3.1.tar.gz",
        "-e git+https://github.com/example/lib.git@v1.2#egg=example_lib",
        "",
      ].join("\n"),
    );
    expect(summary(parsed)).toEqual([
      "./libs/core@ L4 direct dev <./libs/core[dev]>",
      "../shared-utils@ L5 direct dev <../shared-utils>",
      "x@ L6 direct dev <file:///tmp/x.whl>",
      "fancy-pkg@2.1.0 L7 direct dev <https://files.example.com/wheels/Fancy.Pkg-2.1.0-py3-none-any.whl#sha256=abc>",
      "my-tool@0.3.1 L8 direct dev <./dist/my_tool-0.3.1.tar.gz>",
      "example-lib@ L9 direct dev <git+https://github.com/example/lib.git@v1.2#egg=example_lib>",
    ]);
  });
});
