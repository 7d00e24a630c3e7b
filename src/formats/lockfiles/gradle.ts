import { assertNoConflictMarkers, stripCredentials } from "./text.js";
import { emptyManifest, type ParsedManifest } from "./types.js";

/**
 * Gradle build scripts (Groovy and Kotlin DSL) read line by line: dependency
 * declarations in `group:artifact:version` notation and `maven { url … }`
 * repositories with `allowInsecureProtocol`. Scripts are programs; what is
 * computed at run time cannot be seen, and is not guessed at.
 */

const CONFIG =
  /^\s*(implementation|api|compileOnly|runtimeOnly|compile|runtime|classpath|kapt|ksp|annotationProcessor|testImplementation|testCompileOnly|testRuntimeOnly|androidTestImplementation|debugImplementation|testCompile|integrationTestImplementation)\b\s*\(?\s*(?:platform\s*\(\s*)?["']([^"'$]+|[^"']*\$[^"']*)["']/;

export function parseGradle(_text: string, lines: readonly string[], fileName: string): ParsedManifest {
  assertNoConflictMarkers(lines);
  const out = emptyManifest("manifest", fileName, "Maven");
  const seen = new Map<string, number>();
  let inMaven = 0;
  for (let i = 0; i < lines.length; i++) {
    const code = lines[i]!.replace(/(^|\s)\/\/.*$/, "");
    const line = i + 1;
    const dep = CONFIG.exec(code);
    if (dep) {
      const [group, artifact, version] = dep[2]!.split(":");
      if (group && artifact) {
        const name = `${group}:${artifact}`;
        const n = (seen.get(name) ?? 0) + 1;
        seen.set(name, n);
        const range = version?.replace(/@.*$/, "");
        out.dependencies.push({
          ecosystem: "Maven",
          name,
          version: range && /^[\w.-]+$/.test(range) && !/\+$|^latest\./.test(range) ? range : undefined,
          range,
          direct: true,
          dev: /^\s*(test|androidTest|integrationTest)/.test(code),
          line,
          key: n === 1 ? name : `${name}#${n}`,
        });
      }
      continue;
    }
    if (/\bmaven\s*\{/.test(code) || /\bmaven\s*\(/.test(code)) inMaven = 1;
    const url =
      /\bmaven\s*\(\s*(?:url\s*=\s*)?(?:uri\s*\()?\s*["']([^"']+)["']/.exec(code) ??
      (inMaven ? /\burl\s*(?:=\s*)?(?:uri\s*\()?\s*\(?\s*["']([^"']+)["']/.exec(code) : null);
    if (url) out.registries.push({ kind: "repository", value: stripCredentials(url[1]!), line });
    if (
      /\ballowInsecureProtocol\s*(=\s*)?(true|\(\s*true\s*\))/.test(code) ||
      /isAllowInsecureProtocol\s*=\s*true/.test(code)
    ) {
      out.registries.push({ kind: "insecure-option", value: "allowInsecureProtocol = true", line });
    }
    if (inMaven && code.includes("}")) inMaven = 0;
  }
  return out;
}

/** gradle.lockfile: `group:artifact:version=configuration,…`. */
export function parseGradleLockfile(_text: string, lines: readonly string[]): ParsedManifest {
  assertNoConflictMarkers(lines);
  const out = emptyManifest("lockfile", "gradle.lockfile", "Maven");
  lines.forEach((l, i) => {
    const m = /^([^#:\s]+):([^:\s]+):([^=\s]+)=(.*)$/.exec(l.trim());
    if (!m) return;
    const configs = m[4]!;
    out.dependencies.push({
      ecosystem: "Maven",
      name: `${m[1]}:${m[2]}`,
      version: m[3],
      direct: false,
      dev: configs.split(",").every((c) => /^test/i.test(c)),
      line: i + 1,
      key: `${m[1]}:${m[2]}`,
    });
  });
  return out;
}
