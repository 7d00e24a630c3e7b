import { checks } from "../src/checks/actions/checks.generated.js";
import type { CheckContext, SnapshotCheck } from "../src/checks/types.js";
import { defaultConfig } from "../src/review/config.js";
import { TextVersion } from "../src/review/content.js";
import { loadRuleCatalog } from "../src/review/rules.js";
import { boundLine, libraryYamlParse, timeIt } from "./support.js";
import type { BenchLine } from "./types.js";

/**
 * Workflow checks on synthetic input: a few hundred realistic workflows (jobs,
 * steps, env at every level, outputs, a few injections), then hostile shapes —
 * a 1 MB `run:` block full of expressions and a job with thousands of steps
 * chaining outputs — which must stay fast, not just correct.
 */

/**
 * The `yaml` library composes about 1 MB/s of workflow text (measured: most of
 * the time below is its parse), so the target is set from a pull request's
 * point of view: 50 five-kilobyte workflows a second keeps any real PR far
 * under a second.
 */
const TARGET_FILES_PER_S = 50;
const TARGET_HOSTILE_MS = 2_000;

function workflow(n: number): string {
  const jobs: string[] = [];
  for (let j = 0; j < 5; j++) {
    const steps: string[] = [];
    for (let s = 0; s < 10; s++) {
      const k = (n + j + s) % 7;
      if (k === 0)
        steps.push(`      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2`);
      else if (k === 1)
        steps.push(
          `      - id: s${s}\n        run: echo "v=\${{ github.event.pull_request.head.sha }}" >> "$GITHUB_OUTPUT"`,
        );
      else if (k === 2)
        steps.push(
          `      - name: Build ${s}\n        env:\n          TITLE: \${{ github.event.pull_request.title }}\n        run: |\n          npm ci\n          npm run build -- --title "$TITLE"\n          echo done`,
        );
      else if (k === 3) steps.push(`      - uses: some-org/tool-${s}@v${s}`);
      else if (k === 4)
        steps.push(`      - run: echo "\${{ steps.s1.outputs.v }} \${{ env.JOB_ENV }} \${{ matrix.node }}"`);
      else if (k === 5)
        steps.push(
          `      - if: github.event_name == 'push' && contains(github.ref, 'release')\n        run: make release-${s}`,
        );
      else steps.push(`      - run: echo "\${{ github.head_ref }}"`);
    }
    jobs.push(
      `  job${j}:\n    runs-on: ubuntu-latest\n    env:\n      JOB_ENV: \${{ github.event.pull_request.number }}\n    steps:\n${steps.join("\n")}`,
    );
  }
  return `name: wf ${n}\non:\n  pull_request:\n  push:\n    branches: [main]\npermissions:\n  contents: read\nenv:\n  GLOBAL: x\njobs:\n${jobs.join("\n")}\n`;
}

function hugeRunBlock(): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < 1_000_000; i++) {
    const line = `          echo "${i}: \${{ github.event.pull_request.head.sha }} \${{ format('{0}', github.run_id) }}"`;
    lines.push(line);
    size += line.length + 1;
  }
  return `on: pull_request_target\npermissions: {}\njobs:\n  big:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n${lines.join("\n")}\n`;
}

function manySteps(count: number): string {
  const steps: string[] = [];
  for (let i = 0; i < count; i++) {
    const prev = i === 0 ? "github.head_ref" : `steps.s${i - 1}.outputs.v`;
    steps.push(
      `      - id: s${i}\n        env:\n          V: \${{ ${prev} }}\n        run: echo "v=$V" >> "$GITHUB_OUTPUT"`,
    );
  }
  return `on: issues\npermissions: {}\njobs:\n  chain:\n    runs-on: ubuntu-latest\n    steps:\n${steps.join("\n")}\n`;
}

function runAll(path: string, text: string, ctx: CheckContext): number {
  const file = new TextVersion(path, text);
  let n = 0;
  for (const check of checks as SnapshotCheck[]) n += check.run(file, ctx).length;
  return n;
}

export async function bench(): Promise<BenchLine[]> {
  const ctx: CheckContext = {
    config: defaultConfig,
    catalog: await loadRuleCatalog(),
    mode: "diff",
    services: {},
    note: () => {},
    dependencyChange: () => {},
  };
  const files = Array.from({ length: 300 }, (_, i) => workflow(i));
  const bytes = files.reduce((n, f) => n + f.length, 0);
  for (let i = 0; i < 30; i++) runAll(`.github/workflows/warm${i}.yml`, files[i]!, ctx);
  const parseOnly = timeIt(() => {
    for (const f of files) libraryYamlParse(f);
  });
  const typical = timeIt(() =>
    files.reduce((n, f, i) => n + runAll(`.github/workflows/w${i}.yml`, f, ctx), 0),
  );
  const rate = files.length / (typical.ms / 1000);

  const huge = hugeRunBlock();
  const hugeRun = timeIt(() => runAll(".github/workflows/huge.yml", huge, ctx));
  const chain = manySteps(2_000);
  const chainRun = timeIt(() => runAll(".github/workflows/chain.yml", chain, ctx));

  return [
    {
      name: "actions: realistic workflows checked (50 steps each, all 14 rules)",
      value: Math.round(rate),
      unit: "files/s",
      target: `≥ ${TARGET_FILES_PER_S} files/s`,
      ok: rate >= TARGET_FILES_PER_S,
    },
    {
      name: "actions: realistic workflow throughput",
      value: round(bytes / 1048576 / (typical.ms / 1000)),
      unit: "MB/s",
    },
    {
      name: "actions: of which YAML parsing alone",
      value: round(bytes / 1048576 / (parseOnly.ms / 1000)),
      unit: "MB/s",
    },
    { name: "actions: findings on the realistic workflows", value: typical.result, unit: "count" },
    boundLine("actions: 1 MB run: block with ~24k expressions", hugeRun.ms, TARGET_HOSTILE_MS),
    boundLine("actions: 2,000 steps chaining tainted outputs", chainRun.ms, TARGET_HOSTILE_MS),
  ];
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
