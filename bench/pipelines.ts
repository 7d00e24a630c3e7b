import { checks as ciChecks } from "../src/checks/ci/checks.generated.js";
import { defaultConfig } from "../src/review/defaults.js";
import { loadRuleCatalog } from "../src/review/rules.js";
import {
  addedFilesReview,
  boundLine,
  interleavedRatio,
  LINE_RATIO,
  overParseLine,
  productYamlParse,
  ratioLine,
  regexFloor,
  runSnapshotChecks,
  type Slice,
  YAML_RATIO,
  yamlFloor,
} from "./support.js";
import type { BenchLine } from "./types.js";

/**
 * The ci/ family on realistic files — 100 Jenkinsfiles (declarative and
 * scripted, GStrings, triple-quoted scripts, withCredentials blocks), 50
 * GitLab pipelines (templates, includes, services, multi-line scripts), 50
 * CircleCI configs (orbs, executors, commands, workflows), 50 Azure Pipelines
 * (stages, jobs, script/bash/pwsh steps, Bash@3 and AzureCLI@2 tasks,
 * container resources) and 50 Bitbucket Pipelines (definitions, parallel
 * steps, branches, pull requests) — reviewed by the engine as a change that
 * adds them (every rule a user gets, secrets and meta included), against
 * issue 15's floors: the Groovy reader within 3× of reading the files and
 * running 30 regexes per line; the YAML pipelines within 1.2× of parsing the
 * same files with the YAML library, with positions (`yamlFloor`, support.ts:
 * `yaml`'s `parseAllDocuments` and the duplicate-key check). Both sides run
 * interleaved (support.ts). Then 1 MB of unterminated GString, `${` and
 * slashy string, which must stay linear (under 1 s).
 */

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

function circleci(n: number): string {
  const jobs = Array.from({ length: 8 }, (_, j) => {
    const k = n * 8 + j;
    return `  test-${k}:
    executor: node
    parallelism: 4
    environment:
      SUITE: suite-${k}
    steps:
      - checkout
      - restore_cache:
          keys:
            - deps-{{ checksum "package-lock.json" }}
      - run: npm ci --prefer-offline
      - run:
          name: Test ${k}
          command: |
            set -euo pipefail
            npx jest --shard=$((CIRCLE_NODE_INDEX + 1))/$CIRCLE_NODE_TOTAL | tee test-${k}.log
            curl -fsS --retry 3 -o coverage-${k}.json https://cov.example.com/upload${k % 37 === 0 ? "\n            curl -fsSL https://get.example.com/install.sh | bash" : ""}
      - save_cache:
          key: deps-{{ checksum "package-lock.json" }}
          paths: [node_modules]
      - store_test_results:
          path: reports/${k}
`;
  });
  return `version: 2.1
orbs:
  node: circleci/node@5.2.0
  aws-cli: circleci/aws-cli@${n % 13 === 0 ? "4" : "4.1.3"}
executors:
  node:
    docker:
      - image: cimg/node:20.${n % 12}.0
      - image: cimg/postgres:16.${n % 3}
        environment:
          POSTGRES_USER: app
    resource_class: medium
commands:
  install:
    steps:
      - run:
          name: Install
          command: npm ci && npm run build
jobs:
${jobs.join("")}  deploy:
    docker:
      - image: cimg/base:2024.${String((n % 12) + 1).padStart(2, "0")}
    steps:
      - checkout
      - aws-cli/setup
      - run:
          name: Deploy
          shell: /bin/bash -eo pipefail
          command: ./scripts/deploy.sh "$CIRCLE_SHA1"
workflows:
  build:
    jobs:
${Array.from({ length: 8 }, (_, j) => `      - test-${n * 8 + j}`).join("\n")}
      - deploy:
          requires: [${Array.from({ length: 8 }, (_, j) => `test-${n * 8 + j}`).join(", ")}]
          filters:
            branches:
              only: main
`;
}

function azure(n: number): string {
  const jobs = Array.from({ length: 6 }, (_, j) => {
    const k = n * 6 + j;
    return `      - job: Test_${k}
        displayName: Test ${k}
        pool:
          vmImage: ubuntu-22.04
        container: build
        variables:
          SUITE: suite-${k}
        steps:
          - checkout: self
            fetchDepth: 1
          - task: NodeTool@0
            inputs:
              versionSpec: 20.x
          - script: |
              set -euo pipefail
              npm ci
              npm test -- --shard=${k % 4}/4 | tee test-${k}.log
            displayName: Test
          - bash: |
              curl -fsS --retry 3 -o coverage-${k}.json https://cov.example.com/upload${k % 37 === 0 ? "\n              curl -fsSL https://get.example.com/install.sh | bash" : ""}
            displayName: Upload coverage
          - task: Bash@3
            inputs:
              targetType: inline
              script: ./scripts/report.sh "$(Build.BuildId)" ${k}
          - pwsh: Write-Host "done ${k}"
          - task: PublishTestResults@2
            inputs:
              testResultsFiles: "**/junit-${k}.xml"
`;
  });
  return `trigger:
  branches:
    include: [main]
pr: [main]
resources:
  containers:
    - container: build
      image: mcr.microsoft.com/devcontainers/typescript-node:20-bookworm
variables:
  - group: shared-${n}
  - name: NODE_ENV
    value: test
stages:
  - stage: Test
    jobs:
${jobs.join("")}  - stage: Deploy
    dependsOn: Test
    jobs:
      - deployment: Deploy
        environment: production
        strategy:
          runOnce:
            deploy:
              steps:
                - task: AzureCLI@2
                  inputs:
                    azureSubscription: prod-${n}
                    scriptType: bash
                    scriptLocation: inlineScript
                    inlineScript: |
                      az webapp deploy --name app-${n} --src-path dist.zip${n % 11 === 0 ? "\n                      curl -k https://internal.example.com/notify" : ""}
`;
}

function bitbucket(n: number): string {
  const steps = Array.from({ length: 6 }, (_, j) => {
    const k = n * 6 + j;
    return `          - step:
              name: Test ${k}
              image: node:20.${k % 12}-bookworm
              caches: [node]
              services: [postgres]
              script:
                - npm ci
                - npm test -- --shard=${k % 4}/4 | tee test-${k}.log
                - >-
                  curl -fsS --retry 3 -o coverage-${k}.json
                  https://cov.example.com/upload${k % 37 === 0 ? "\n                - curl -fsSL https://get.example.com/install.sh | bash" : ""}
              after-script:
                - echo "exit $BITBUCKET_EXIT_CODE for ${k}"
              artifacts:
                - reports/${k}/**
`;
  });
  return `image: node:20.${n % 12}-bookworm
definitions:
  caches:
    npm: ~/.npm
  services:
    postgres:
      image: postgres:16.${n % 3}
      variables:
        POSTGRES_PASSWORD: $POSTGRES_PASSWORD
  steps:
    - step: &build
        name: Build
        script:
          - npm ci
          - npm run build
        artifacts: [dist/**]
pipelines:
  default:
    - step: *build
    - parallel:
        steps:
${steps.join("")}  branches:
    main:
      - step: *build
      - step:
          name: Deploy ${n}
          deployment: production
          image: atlassian/default-image:${n % 7 === 0 ? "latest" : "4"}
          script:
            - pipe: atlassian/aws-s3-deploy:1.6.0
              variables:
                S3_BUCKET: app-${n}
                LOCAL_PATH: dist
            - ./scripts/notify.sh "$BITBUCKET_COMMIT"
  pull-requests:
    "**":
      - step: *build
`;
}

/** The floor for the line-oriented reader: read every line and run 30 regexes on it. */
const FLOOR_REGEXES = Array.from(
  { length: 30 },
  (_, i) => new RegExp(`\\b(?:word${i}|sh|bat)\\s*\\(?\\s*['"]([^'"]*)\\$\\{?(?:env|params)\\.`),
);

export function slices(): Slice[] {
  const yaml = (name: string, count: number, path: (i: number) => string, gen: (i: number) => string) => {
    const files = Array.from({ length: count }, (_, i) => ({ path: path(i), text: gen(i) }));
    const texts = files.map((f) => f.text);
    return {
      name,
      files,
      floor: () => yamlFloor(texts, { maxDocuments: 20 }),
      productParse: () => productYamlParse(texts, { maxDocuments: 20 }),
      target: YAML_RATIO,
      floorName: "YAML parse",
    };
  };
  const jenkins = Array.from({ length: 100 }, (_, i) => ({
    path: `j${i}/Jenkinsfile`,
    text: jenkinsfile(i),
  }));
  const jenkinsTexts = jenkins.map((f) => f.text);
  return [
    {
      name: "100 Jenkinsfiles",
      files: jenkins,
      floor: () => regexFloor(jenkinsTexts, FLOOR_REGEXES),
      target: LINE_RATIO,
      floorName: "30 regexes per line",
    },
    yaml("50 GitLab pipelines", 50, (i) => `g${i}/.gitlab-ci.yml`, gitlab),
    { ...yaml("50 CircleCI configs", 50, () => ".circleci/config.yml", circleci), onePerFile: true },
    yaml("50 Azure Pipelines", 50, (i) => `a${i}/azure-pipelines.yml`, azure),
    yaml("50 Bitbucket Pipelines", 50, (i) => `b${i}/bitbucket-pipelines.yml`, bitbucket),
  ];
}

export async function bench(): Promise<BenchLine[]> {
  const catalog = await loadRuleCatalog();
  const lines: BenchLine[] = [];
  const findings: string[] = [];
  for (const slice of slices()) {
    const review = addedFilesReview(slice.files, catalog, { onePerFile: slice.onePerFile ?? false });
    findings.push(`${await review()}`);
    const r = await interleavedRatio(review, slice.floor);
    lines.push(ratioLine(`ci: ${slice.name}, engine with every rule ÷ ${slice.floorName}`, r, slice.target));
    if (slice.productParse)
      lines.push(overParseLine(`ci: ${slice.name}`, await interleavedRatio(review, slice.productParse)));
  }

  // The issue bounds the reader on hostile input: the family's checks alone, as before.
  const ctx = {
    config: defaultConfig,
    catalog,
    mode: "diff" as const,
    services: {},
    note() {},
    dependencyChange() {},
  };
  const mb = 1_000_000;
  for (const { name, text } of [
    { name: "ci: 1 MB unterminated GString", text: `node {\n  sh """${'echo ${x} $y \\" '.repeat(mb / 16)}` },
    { name: "ci: 1 MB of unterminated ${", text: `node {\n  sh "${"${ {".repeat(mb / 4)}` },
    { name: "ci: 1 MB unterminated slashy string", text: `def r = /${"a$b ".repeat(mb / 4)}` },
  ]) {
    const start = performance.now();
    runSnapshotChecks(ciChecks, "hostile/Jenkinsfile", text, ctx);
    const ms = performance.now() - start;
    lines.push(boundLine(`${name}, all ci/ rules`, ms, TARGET_HOSTILE_MS));
  }
  lines.push({
    name: `ci: findings on the realistic files (sanity: ${findings.join(" / ")})`,
    value: findings.reduce((n, f) => n + Number(f), 0),
    unit: "count",
  });
  return lines;
}
