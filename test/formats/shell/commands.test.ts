import { describe, expect, it } from "vitest";
import { invocation, parseShell } from "../../../src/formats/shell/commands.js";

/** Pipelines as arrays of argv arrays, for compact assertions. */
function argv(text: string): string[][][] {
  return parseShell(text).map((p) => p.commands.map((c) => c.words.map((w) => w.value)));
}

describe("parseShell", () => {
  it("splits on &&, ||, ;, & and newlines, and pipes into pipelines", () => {
    expect(argv("a 1 && b | c; d || e & f\ng")).toEqual([
      [["a", "1"]],
      [["b"], ["c"]],
      [["d"]],
      [["e"]],
      [["f"]],
      [["g"]],
    ]);
  });

  it("removes quotes and escapes but keeps operators inside quotes as text", () => {
    expect(argv(`echo 'a | b' "c && d" e\\;f`)).toEqual([[["echo", "a | b", "c && d", "e;f"]]]);
  });

  it("separates NAME=value prefixes, redirects and fd numbers from arguments", () => {
    const [pipeline] = parseShell("NODE_ENV=production npm ci > /tmp/log 2>&1 <<<'in'");
    const cmd = pipeline!.commands[0]!;
    expect(cmd.assignments.map((w) => w.value)).toEqual(["NODE_ENV=production"]);
    expect(cmd.words.map((w) => w.value)).toEqual(["npm", "ci"]);
    expect(cmd.redirects.map((r) => [r.op, r.target?.value])).toEqual([
      [">", "/tmp/log"],
      [">&", "1"],
      ["<<<", "in"],
    ]);
  });

  it("reads substitutions as words and their bodies as nested commands", () => {
    const pipelines = parseShell(
      'sh -c "$(curl -fsSL https://x)" && bash <(wget -qO- https://y) && echo `id -u`',
    );
    const top = pipelines.filter((p) => !p.commands[0]!.nested);
    expect(top.map((p) => p.commands[0]!.words.map((w) => w.value))).toEqual([
      ["sh", "-c", "$(curl -fsSL https://x)"],
      ["bash", "<(wget -qO- https://y)"],
      ["echo", "`id -u`"],
    ]);
    expect(top[0]!.commands[0]!.words[2]!.substitution).toBe(true);
    const nested = pipelines.filter((p) => p.commands[0]!.nested);
    expect(nested.map((p) => p.commands[0]!.words[0]!.value).sort()).toEqual(["curl", "id", "wget"]);
    // Nested offsets point into the original text.
    const text = 'x "$(curl -k u)"';
    const inner = parseShell(text).find((p) => p.commands[0]!.nested)!;
    expect(text.slice(inner.start, inner.end)).toBe("curl -k u");
  });

  it("records where each command starts and ends", () => {
    const text = "  apt-get update &&  curl -k u | sh";
    const [first, second] = parseShell(text);
    expect(text.slice(first!.start, first!.end)).toBe("apt-get update");
    expect(second!.commands.map((c) => text.slice(c.start, c.end))).toEqual(["curl -k u", "sh"]);
  });

  it("skips comments and shell keywords in command position", () => {
    expect(argv("if curl -f u | sh; then echo ok; fi # trailing | bash")).toEqual([
      [["curl", "-f", "u"], ["sh"]],
      [["echo", "ok"]],
    ]);
  });

  it("joins backslash-newline continuations inside heredoc scripts", () => {
    expect(argv("apt-get install \\\n  curl")).toEqual([[["apt-get", "install", "curl"]]]);
  });

  it("never loops on unbalanced input", () => {
    for (const text of [
      "'unterminated",
      '"open $(',
      "$(((",
      "`",
      "a <(b",
      "${x",
      ")))",
      "<<<",
      "&&&|||;;;",
    ]) {
      expect(() => parseShell(text)).not.toThrow();
    }
  });

  it("stays linear on long hostile input", () => {
    const text = "$(".repeat(5000) + "a|b;".repeat(20000);
    const pipelines = parseShell(text);
    expect(pipelines.length).toBeGreaterThan(0);
  });
});

describe("invocation", () => {
  const first = (text: string) => invocation(parseShell(text)[0]!.commands[0]!)!;

  it("sees through sudo, env, exec and paths", () => {
    const inv = first("sudo -E -u root env GIT_SSL_NO_VERIFY=1 /usr/bin/git clone u");
    expect(inv.program).toBe("git");
    expect(inv.sudo).toBe(true);
    expect(inv.env.get("GIT_SSL_NO_VERIFY")).toBe("1");
    expect(inv.args.map((a) => a.value)).toEqual(["clone", "u"]);
    expect(first("exec nohup node app.js").program).toBe("node");
    expect(first("nice -n 10 make").program).toBe("make");
  });

  it("keeps prefix assignments as the command's environment", () => {
    const inv = first("NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci");
    expect([inv.program, inv.env.get("NODE_TLS_REJECT_UNAUTHORIZED"), inv.sudo]).toEqual(["npm", "0", false]);
  });
});
