import { performance } from "node:perf_hooks";
import { checks } from "../src/checks/ci/checks.generated.js";
import type { CheckContext } from "../src/checks/types.js";
import { ParseError } from "../src/checks/types.js";
import { parseYamlSource } from "../src/formats/yaml.js";
import { configSchema } from "../src/review/config.js";
import { TextVersion } from "../src/review/content.js";
import { loadRuleCatalog } from "../src/review/rules.js";
import type { BenchLine } from "./types.js";

/**
 * The ci/ family on realistic files — 100 Jenkinsfiles (declarative and
 * scripted, GStrings, triple-quoted scripts, withCredentials blocks) and 50
 * GitLab pipelines (templates, includes, services, multi-line scripts) —
 * against issue 15's floors: the Groovy reader within 3× of reading the files
 * and running 30 regexes per line; the YAML pipelines within 1.2× of parsing
 * the same files with the project's YAML parser. Then 1 MB of unterminated
 * GString, `${` and slashy string, which must stay linear (under 1 s).
 */

const YAML_RATIO = 1.2;
const LINE_RATIO = 3;
const TARGET_HOSTILE_MS = 1_000;

function jenkinsfile(n: number): string {
  const stages = Array.from({ length: 8 }, (_, s) => {
    const k = n * 8 + s;
    return `    stage('Step ${k}') {
      when { branch 'main' }
      steps {
        sh 'make build-${k} VERSION="$BUILD_NUMBER"'
        sh """
          set -eux
          ./gradlew test --tests 'com.example.T${k}' -Pbuild=\${env.BUILD_NUMBER}
          echo "done ${k}" | tee -a build.log${k % 29 === 0 ? "\n          git checkout ${env.CHANGE_BRANCH}" : ""}
        """
        withCredentials([usernamePassword(credentialsId: 'repo-${k}', usernameVariable: 'U', passwordVariable: 'P')]) {
          sh '''
            curl -fsS -u "$U:$P" -o artifact-${k}.jar https://repo.example.com/artifact-${k}.jar
          '''${k % 31 === 0 ? '\n          sh "curl -u $U:$P https://repo.example.com/upload"' : ""}
        }
        script {
          def out = sh(returnStdout: true, script: "git rev-parse HEAD").trim()
          echo "commit \${out} for ${k}" // a comment with "quotes" and \${braces}
        }
      }
    }`;
  });
  return `#!/usr/bin/env groovy
@Library('shared@v1.2.3') _
/* Build pipeline ${n}: see https://wiki.example.com/ci */
pipeline {
  agent { docker { image 'maven:3.9.6-eclipse-temurin-21' } }
  options { timestamps(); timeout(time: 30, unit: 'MINUTES') }
  parameters { string(name: 'TARGET', defaultValue: 'staging', description: 'where') }
  environment {
    REGISTRY = credentials('registry-${n}')
    PATTERN = /v\\d+\\.\\d+/
  }
  stages {
${stages.join("\n")}
  }
  post { always { junit 'build/test-results/**/*.xml' } }
}
`;
}

function gitlab(n: number): string {
  const jobs = Array.from({ length: 12 }, (_, j) => {
    const k = n * 12 + j;
    return `test-${k}:
  extends: .node
  stage: test
  image: node:20.${k % 12}-bookworm
  services:
    - postgres:16.${k % 3}
  variables:
    PGHOST: postgres
    SUITE: "suite-${k}"
  script:
    - npm ci --prefer-offline
    - |
      set -euo pipefail
      npm run test -- --shard=${k % 4}/4 | tee test-${k}.log
      curl -fsS --retry 3 -o coverage-${k}.json https://cov.example.com/upload${k % 37 === 0 ? "\n      curl -fsSL https://get.example.com/install.sh | bash" : ""}
  artifacts:
    reports:
      junit: junit-${k}.xml
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
`;
  });
  return `include:
  - local: /ci/templates.yml
  - project: platform/ci
    ref: 0123456789abcdef0123456789abcdef01234567
    file: /node.yml
stages: [build, test, deploy]
variables:
  NODE_ENV: test${n % 17 === 0 ? '\n  CI_DEBUG_TRACE: "true"' : ""}
.node:
  before_script:
    - corepack enable
  cache:
    key: $CI_COMMIT_REF_SLUG
    paths: [node_modules/]
${jobs.join("\n")}`;
}

const FLOOR_REGEXES = Array.from(
  { length: 30 },
  (_, i) => new RegExp(`\\b(?:word${i}|sh|bat)\\s*\\(?\\s*['"]([^'"]*)\\$\\{?(?:env|params)\\.`),
);

function floor(files: readonly string[]): number {
  let hits = 0;
  for (const f of files)
    for (const line of f.split("\n")) for (const r of FLOOR_REGEXES) if (r.test(line)) hits++;
  return hits;
}

function runChecks(path: string, text: string, ctx: CheckContext): number {
  const file = new TextVersion(path, text);
  let n = 0;
  for (const check of checks) {
    if (check.kind !== "snapshot") continue;
    try {
      n += check.run(file, ctx).length;
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      n++;
    }
  }
  return n;
}

function best(fn: () => unknown, runs = 7): number {
  fn();
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    min = Math.min(min, performance.now() - start);
  }
  return min;
}

function ratioLine(name: string, ours: number, base: number, target: number): BenchLine {
  const ratio = ours / base;
  return {
    name: `${name} (${ours.toFixed(1)} ms vs ${base.toFixed(1)} ms)`,
    value: Math.round(ratio * 100) / 100,
    unit: "count",
    target: `≤ ${target}×`,
    ok: ratio <= target,
  };
}

export async function bench(): Promise<BenchLine[]> {
  const ctx: CheckContext = {
    config: configSchema.parse({}),
    catalog: await loadRuleCatalog(),
    mode: "diff",
    services: {},
    note: () => {},
    dependencyChange: () => {},
  };
  const jenkins = Array.from({ length: 100 }, (_, i) => jenkinsfile(i));
  const pipelines = Array.from({ length: 50 }, (_, i) => gitlab(i));
  let found = 0;
  const groovyMs = best(() => {
    for (const [i, f] of jenkins.entries()) found += runChecks(`j${i}/Jenkinsfile`, f, ctx);
  });
  const floorMs = best(() => floor(jenkins));
  const gitlabMs = best(() => {
    for (const [i, f] of pipelines.entries()) found += runChecks(`g${i}/.gitlab-ci.yml`, f, ctx);
  });
  const yamlMs = best(() => {
    for (const f of pipelines) parseYamlSource(f);
  });

  const mb = 1_000_000;
  const hostile = [
    { name: "ci: 1 MB unterminated GString", text: `node {\n  sh """${'echo ${x} $y \\" '.repeat(mb / 16)}` },
    { name: "ci: 1 MB of unterminated ${", text: `node {\n  sh "${"${ {".repeat(mb / 4)}` },
    { name: "ci: 1 MB unterminated slashy string", text: `def r = /${"a$b ".repeat(mb / 4)}` },
  ].map(({ name, text }) => {
    const start = performance.now();
    runChecks("hostile/Jenkinsfile", text, ctx);
    const ms = performance.now() - start;
    return {
      name,
      value: Math.round(ms),
      unit: "ms" as const,
      target: `≤ ${TARGET_HOSTILE_MS} ms`,
      ok: ms <= TARGET_HOSTILE_MS,
    };
  });

  return [
    ratioLine("ci: 100 Jenkinsfiles, all ci/ rules vs 30 regexes per line", groovyMs, floorMs, LINE_RATIO),
    ratioLine("ci: 50 GitLab pipelines, all ci/ rules vs yaml parse", gitlabMs, yamlMs, YAML_RATIO),
    ...hostile,
    { name: "ci: findings on the realistic files (sanity)", value: found, unit: "count" },
  ];
}
