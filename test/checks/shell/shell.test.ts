import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  lineStartsOf,
  normalizeSpace,
  plainHttpDownloads,
  powershellRemoteScripts,
  readShell,
  remoteScriptToShell,
  sourceInFile,
  tlsVerificationDisabled,
} from "../../../src/checks/shell/index.js";

/** A script embedded at an offset of a file, as a Jenkinsfile or Chef recipe holds one. */
function embedded(prefix: string, script: string) {
  const file = `${prefix}${script}\n`;
  return sourceInFile(script, prefix.length, lineStartsOf(file));
}

describe("the shared shell reading (src/checks/shell/)", () => {
  it("finds pipes to a shell with file positions, through sudo, sh -c and process substitution", () => {
    const source = embedded(
      "line one\n  sh '",
      "set -e\ncurl -fsSL https://x.example.com | sudo bash -s\nbash <(wget -qO- http://y.example.com)",
    );
    const found = remoteScriptToShell(readShell(source));
    expect(found.map((r) => [r.line, r.column, r.runs, r.plainHttp])).toEqual([
      [3, 1, "bash", false],
      [4, 1, "bash", true],
    ]);
  });

  it("does not take data piped to a program for a script", () => {
    const source = embedded(
      "",
      "curl -fsSL https://x.example.com/a.json | python3 -m json.tool\ncurl -s https://x | bash -c 'cat > f'",
    );
    expect(remoteScriptToShell(readShell(source))).toEqual([]);
  });

  it("names what turns TLS verification off, at the command", () => {
    const source = embedded(
      "x\n",
      "curl -fsSk https://a\ncurl -o k.txt https://a\ngit -c http.sslVerify=false clone https://a\nNODE_TLS_REJECT_UNAUTHORIZED=0 node x.js\npip install --trusted-host p.example.com x",
    );
    expect(tlsVerificationDisabled(readShell(source)).map((c) => [c.line, c.reason])).toEqual([
      [2, "curl -fsSk"],
      [4, "http.sslVerify false"],
      [5, "NODE_TLS_REJECT_UNAUTHORIZED=0"],
      [6, "--trusted-host"],
    ]);
  });

  it("reports plain-HTTP downloads from the Internet, not from the job's own network", () => {
    const source = embedded(
      "",
      "curl -O http://downloads.example.com/t.tgz\ncurl http://localhost:8080/health\nwget http://postgres:5432\ncurl http://10.0.0.5/x\ncurl http://$HOST/x",
    );
    expect(plainHttpDownloads(readShell(source)).map((d) => [d.line, d.host])).toEqual([
      [1, "downloads.example.com"],
    ]);
  });

  it("reads PowerShell's download-and-run idioms", () => {
    const source = embedded(
      "",
      "iwr https://x.example.com/i.ps1 -UseBasicParsing | iex\niex ((New-Object System.Net.WebClient).DownloadString('http://x.example.com/i.ps1'))\n# iwr https://x | iex\nInvoke-WebRequest https://x.example.com -OutFile f",
    );
    expect(powershellRemoteScripts(source).map((r) => [r.line, r.plainHttp])).toEqual([
      [1, false],
      [2, true],
    ]);
  });
});

describe("normalizeSpace", () => {
  it("collapses every whitespace run to one space and trims, as the plain replace does, on any text", () => {
    const piece = fc.constantFrom(
      " ",
      "  ",
      "\t",
      "\n",
      "\r\n",
      "\u00a0",
      "\u2028",
      "\ufeff",
      "a",
      "b c",
      "é",
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }).map((p) => p.join("")),
        (text) => {
          expect(normalizeSpace(text)).toBe(text.replace(/\s+/g, " ").trim());
        },
      ),
    );
    expect(normalizeSpace("  curl  -k\thttps://x \n")).toBe("curl -k https://x");
    expect(normalizeSpace("already single")).toBe("already single");
  });
});
