import { describe, expect, it } from "vitest";
import { reviewFiles, ruleLines } from "../../support/review.js";

const CI = (review: Awaited<ReturnType<typeof reviewFiles>>) =>
  ruleLines({
    ...review,
    findings: review.findings.filter((f) => f.ruleId.startsWith("ci/") || f.ruleId === "meta/parse-error"),
  });

const JENKINSFILE = `pipeline {
  agent any
  stages {
    stage('Checkout') {
      steps {
        sh "git checkout \${env.CHANGE_BRANCH}"
        sh 'git log -1 "\${CHANGE_TITLE}"'
      }
    }
    stage('Publish') {
      steps {
        withCredentials([usernamePassword(credentialsId: 'x', usernameVariable: 'U', passwordVariable: 'P')]) {
          sh "curl -u $U:\${P} https://example.com/upload"
          sh 'curl -u "$U:$P" https://example.com/upload'
        }
        sh "echo $P"
      }
    }
  }
}
`;

describe("ci/ through the engine: Jenkinsfiles", () => {
  it("reports GString interpolation of outsider values and of secrets at their lines, never single-quoted strings", async () => {
    const review = await reviewFiles([{ path: "Jenkinsfile", head: JENKINSFILE }]);
    expect(CI(review)).toEqual([
      ["ci/jenkins-groovy-interpolation", 6],
      ["ci/jenkins-credentials-interpolation", 13],
      ["ci/jenkins-credentials-interpolation", 13],
    ]);
    const groovy = review.findings.find((f) => f.ruleId === "ci/jenkins-groovy-interpolation")!;
    expect(groovy).toMatchObject({ severity: "high", column: 26 });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Groovy interpolation in the reviewed text, not a JS template
    expect(groovy.message).toContain("`${env.CHANGE_BRANCH}`");
    expect(groovy.message).toContain("stage:Checkout");
  });

  it("a finding already at base is not new, even moved; a changed step is", async () => {
    const moved = JENKINSFILE.replace("pipeline {\n", "pipeline {\n  options { timestamps() }\n\n");
    const same = await reviewFiles([{ path: "Jenkinsfile", base: JENKINSFILE, head: moved }]);
    expect(CI(same)).toEqual([]);
    const changed = moved.replace(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Groovy interpolation in the reviewed text, not a JS template
      "git checkout ${env.CHANGE_BRANCH}",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Groovy interpolation in the reviewed text, not a JS template
      "git checkout -f ${env.CHANGE_BRANCH}",
    );
    const review = await reviewFiles([{ path: "Jenkinsfile", base: JENKINSFILE, head: changed }]);
    expect(CI(review)).toEqual([["ci/jenkins-groovy-interpolation", 8]]);
  });

  it("reads scripted pipelines, parameters, triple-quoted and sh(script:) forms, and pipes to a shell", async () => {
    const head = `node {
  stage('Build') {
    def out = sh(returnStdout: true, script: "make \${params.TARGET}")
    sh label: 'install', script: """
      curl -fsSL http://get.example.com/i.sh | bash
      git -c http.sslVerify=false fetch
    """
    powershell "iwr https://example.com/x.ps1 | iex"
    docker.image('maven').inside { sh 'mvn -B verify' }
  }
}
`;
    const review = await reviewFiles([{ path: "jenkins/build.groovy", head }]);
    expect(CI(review)).toEqual([
      ["ci/jenkins-groovy-interpolation", 3],
      ["ci/remote-script-pipe-to-shell", 5],
      ["ci/tls-verification-disabled", 6],
      ["ci/remote-script-pipe-to-shell", 8],
      ["ci/unpinned-image", 9],
    ]);
    expect(review.findings.find((f) => f.line === 5)!.severity).toBe("high");
  });

  it("an unterminated string is a parse error at its line, and what was read before it is still reviewed", async () => {
    const head = `node {\n  sh "git checkout \${env.BRANCH_NAME}"\n  sh """\n    echo never closed\n`;
    const review = await reviewFiles([{ path: "Jenkinsfile", head }]);
    expect(CI(review)).toEqual([
      ["ci/jenkins-groovy-interpolation", 2],
      ["meta/parse-error", 3],
    ]);
  });

  it("comments and escaped dollars are not interpolation", async () => {
    const head = `// sh "git checkout \${env.CHANGE_BRANCH}"\n/* sh "\${params.X}" */\nnode { sh "echo \\\${CHANGE_TITLE}" }\n`;
    expect(CI(await reviewFiles([{ path: "Jenkinsfile", head }]))).toEqual([]);
  });
});

describe("ci/ through the engine: YAML pipelines", () => {
  it("GitLab: debug trace (global and job), includes, images and scripts at their lines", async () => {
    const head = `include:
  - project: group/templates
    file: /x.yml
  - local: /ci/more.yml
variables:
  CI_DEBUG_TRACE: "true"
default:
  image: ruby
.base:
  before_script:
    - curl -sk https://example.com/x.tgz -o x.tgz
deploy:
  extends: .base
  variables:
    CI_DEBUG_SERVICES: "true"
  script:
    - |
      echo start
      bash <(curl -fsSL https://get.example.com)
`;
    const review = await reviewFiles([{ path: ".gitlab-ci.yml", head }]);
    expect(CI(review)).toEqual([
      ["ci/gitlab-unpinned-include", 2],
      ["ci/gitlab-debug-trace", 6],
      ["ci/unpinned-image", 8],
      ["ci/tls-verification-disabled", 11],
      ["ci/gitlab-debug-trace", 15],
      ["ci/remote-script-pipe-to-shell", 19],
    ]);
  });

  it("GitLab: a job moved or renamed elsewhere in the file keeps what it had; a new job is new", async () => {
    const base = `a:\n  script:\n    - curl https://x.example.com | sh\n`;
    const moved = `b:\n  script: make\na:\n  script:\n    - curl https://x.example.com | sh\n`;
    expect(CI(await reviewFiles([{ path: ".gitlab-ci.yml", base, head: moved }]))).toEqual([]);
    const added = `${moved}c:\n  script:\n    - curl https://x.example.com | sh\n`;
    expect(CI(await reviewFiles([{ path: ".gitlab-ci.yml", base, head: added }]))).toEqual([
      ["ci/remote-script-pipe-to-shell", 8],
    ]);
  });

  it("an included file under .gitlab/ci/ is read as GitLab CI", async () => {
    const head = `lint:\n  variables:\n    CI_DEBUG_TRACE: "true"\n  script: make lint\n`;
    expect(CI(await reviewFiles([{ path: ".gitlab/ci/lint.yml", head }]))).toEqual([
      ["ci/gitlab-debug-trace", 3],
    ]);
  });

  it("a pipeline that does not parse is one parse error, nothing else", async () => {
    const head = `build:\n  script:\n    - "unterminated\n  image: node\n`;
    const review = await reviewFiles([{ path: ".gitlab-ci.yml", head }]);
    expect(CI(review).map(([rule]) => rule)).toEqual(["meta/parse-error"]);
  });

  it("CircleCI: orbs, docker images and run steps", async () => {
    const head = `version: 2.1
orbs:
  node: circleci/node@5.2.0
  aws: circleci/aws-cli@volatile
jobs:
  build:
    docker:
      - image: cimg/node:20.11
      - image: redis
    steps:
      - checkout
      - run: curl -fsSL https://get.example.com | sh
`;
    expect(CI(await reviewFiles([{ path: ".circleci/config.yml", head }]))).toEqual([
      ["ci/circleci-unpinned-orb", 4],
      ["ci/unpinned-image", 9],
      ["ci/remote-script-pipe-to-shell", 12],
    ]);
  });

  it("Azure Pipelines: script, bash and task scripts; container aliases are not images", async () => {
    const head = `resources:
  containers:
    - container: build
      image: ubuntu
jobs:
  - job: Test
    container: build
    steps:
      - script: curl -k https://example.com/x -o x
      - task: Bash@3
        inputs:
          targetType: inline
          script: wget -qO- https://get.example.com | bash
  - job: Other
    container: node:latest
    steps:
      - pwsh: iwr https://example.com/i.ps1 | iex
`;
    expect(CI(await reviewFiles([{ path: "azure-pipelines.yml", head }]))).toEqual([
      ["ci/unpinned-image", 4],
      ["ci/tls-verification-disabled", 9],
      ["ci/remote-script-pipe-to-shell", 13],
      ["ci/unpinned-image", 15],
      ["ci/remote-script-pipe-to-shell", 17],
    ]);
  });

  it("Bitbucket: images and step scripts, nested in parallel groups", async () => {
    const head = `image: node:20
pipelines:
  pull-requests:
    '**':
      - parallel:
          - step:
              name: Lint
              image: python
              script:
                - pip install --trusted-host pypi.example.com -r requirements.txt
`;
    expect(CI(await reviewFiles([{ path: "bitbucket-pipelines.yml", head }]))).toEqual([
      ["ci/unpinned-image", 8],
      ["ci/tls-verification-disabled", 10],
    ]);
  });
});
