// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Puppet and HCL text use ${x}
import fc from "fast-check";
import { describe, it } from "vitest";
import { ParseError } from "../../src/formats/errors.js";
import { worldWritableMode } from "../../src/formats/file-mode.js";
import { readHclAttributes } from "../../src/formats/hcl-lines.js";
import { readPuppet } from "../../src/formats/puppet.js";
import { readRuby } from "../../src/formats/ruby.js";
import { saltToYaml } from "../../src/formats/salt.js";
import { parseYamlSource } from "../../src/formats/yaml.js";
import { expectLinear, HOSTILE, onlyDeclaredErrors, PROPERTY_RUNS, tokenSoup } from "./support.js";

/**
 * The readers behind the ansible and config-mgmt families: Ruby blocks (Chef,
 * Vagrant), Puppet resources, HCL attributes (Packer), Salt's Jinja masking.
 * None may throw, and none may go quadratic on unterminated strings,
 * heredocs or blocks a pull request can write.
 */

const RUBY = [
  ...HOSTILE,
  "remote_file '/x' do\n",
  "end\n",
  "  mode '0777'\n",
  "code <<-EOH\n",
  "EOH\n",
  "<<~'X'\n",
  '"#{',
  "}",
  "%w[",
  "%q(",
  "=begin\n",
  "=end\n",
  "# c\n",
  "do |x|\n",
  "if x\n",
  "default['a']['b'] = ",
  "'",
  '"',
  ",\n",
  ".\n",
];

const PUPPET = [
  ...HOSTILE,
  "file { '/x':\n",
  "  mode => '0777',\n",
  "}\n",
  "exec { 'e': command => \"",
  '@("EOT")\n',
  "| EOT\n",
  "$x = ",
  "${y}",
  "/*",
  "*/",
  "[",
  "]",
  ";",
  ":",
  "File { ",
];

const HCL = [
  ...HOSTILE,
  'source "a" "b" {\n',
  "}\n",
  "x = ",
  "<<EOF\n",
  "EOF\n",
  "[\n",
  "]\n",
  '"',
  "${",
  "/*",
  "*/",
  "#",
  "//",
];

const SALT = [
  ...HOSTILE,
  "{{",
  "}}",
  "{%",
  "%}",
  "{#",
  "#}",
  "a:\n",
  "  file.managed:\n",
  "    - mode: 777\n",
  "\n",
];

describe("config-mgmt readers (property)", () => {
  it("never throw, whatever the input", () => {
    fc.assert(
      fc.property(tokenSoup(RUBY, 80), (text) => {
        readRuby(text);
      }),
      PROPERTY_RUNS,
    );
    fc.assert(
      fc.property(tokenSoup(PUPPET, 80), (text) => {
        readPuppet(text);
      }),
      PROPERTY_RUNS,
    );
    fc.assert(
      fc.property(tokenSoup(HCL, 80), (text) => {
        readHclAttributes(text);
      }),
      PROPERTY_RUNS,
    );
    fc.assert(
      fc.property(tokenSoup(SALT, 80), (text) => {
        onlyDeclaredErrors(() => parseYamlSource(saltToYaml(text)), ParseError);
        worldWritableMode(text, true);
      }),
      PROPERTY_RUNS,
    );
  });

  it("the Ruby reader takes linear time on unterminated strings, heredocs and blocks", () => {
    expectLinear(
      {
        "unterminated string": (n) => `x = '${"a\n".repeat(n)}`,
        "unterminated interpolation": (n) => `x = "#{${"a ".repeat(n)}`,
        "unterminated heredoc": (n) => `x = <<~EOS\n${"line\n".repeat(n)}`,
        "many heredocs on one line": (n) => `${"<<A ".repeat(n)}\n`,
        "unclosed blocks": (n) => "r 'x' do\n".repeat(n),
        "many resources": (n) => "remote_file '/x' do\n  mode '0777'\nend\n".repeat(n),
        "long continued statement": (n) => `x = [\n${"'a',\n".repeat(n)}`,
        "blank lines after a comma": (n) => `x = 1,${"\n".repeat(n)}`,
        "=begin without =end": (n) => `=begin\n${"x\n".repeat(n)}`,
      },
      (text) => readRuby(text),
      400,
    );
  });

  it("the Puppet reader takes linear time on unterminated strings, heredocs and bodies", () => {
    expectLinear(
      {
        "unterminated string": (n) => `$x = "${"a\n".repeat(n)}`,
        "unterminated heredoc": (n) => `$x = @("EOT")\n${"line\n".repeat(n)}`,
        "unclosed resource bodies": (n) => "file { '/x':\n  mode => '0777',\n".repeat(n),
        "many resources": (n) => "file { '/x': mode => '0777', owner => 'root' }\n".repeat(n),
        "long title arrays": (n) => `file { [${"'a', ".repeat(n)}]: mode => '0777' }\n`,
        "unclosed title array": (n) => `file { [${"'a', ".repeat(n)}`,
        "unclosed comment": (n) => `/*${" x".repeat(n)}`,
      },
      (text) => readPuppet(text),
      400,
    );
  });

  it("the HCL and Salt readers take linear time", () => {
    expectLinear(
      {
        "unterminated heredoc": (n) => `x = <<EOF\n${"line\n".repeat(n)}`,
        "unclosed list": (n) => `x = [\n${'"a",\n'.repeat(n)}`,
        "unclosed block comment": (n) => `/*\n${"x = 1\n".repeat(n)}`,
        "many blocks": (n) => 'source "a" "b" {\n  x = "y"\n}\n'.repeat(n),
      },
      (text) => readHclAttributes(text),
      400,
    );
    expectLinear(
      {
        "unclosed Jinja statement": (n) => `{% if x\n${"a: b\n".repeat(n)}`,
        "many expressions on a line": (n) => `a: ${"{{ x }}".repeat(n)}\n`,
        "unclosed expressions": (n) => `${"a: {{ x\n".repeat(n)}`,
      },
      (text) => saltToYaml(text),
      400,
    );
  });
});
