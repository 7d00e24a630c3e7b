import { configSchema } from "../src/review/config.js";
import type { Role } from "../src/slash-commands/authorize.js";
import { rebuildSuppressions } from "../src/slash-commands/history.js";
import { buildLedger, type GitHubComment, ownComments } from "../src/slash-commands/ledger.js";
import { bindingMarker, commandKey } from "../src/slash-commands/markers.js";
import { parseCommands } from "../src/slash-commands/parse.js";
import type { BenchLine } from "./types.js";

/**
 * Slash commands run on every review: the suppression ledger is rebuilt from
 * all of a pull request's comments. Measured on the largest listing Tollgate
 * reads (3,000 conversation comments, a third of them commands, with
 * Tollgate's binding replies), and on the largest comment it parses.
 */

const RULES = [
  "docker/runs-as-root",
  "docker/unpinned-base-image",
  "actions/unpinned-action",
  "deps/typosquat",
];

function syntheticComments(n: number): GitHubComment[] {
  const out: GitHubComment[] = [];
  for (let i = 0; i < n; i++) {
    const at = new Date(Date.UTC(2026, 10, 28, 10, 0, i)).toISOString().replace(".000", "");
    const user = { login: `user${i % 40}`, type: "User" };
    let body = `Some review prose number ${i}, with a quote:\n> /tollgate ignore x/y -- quoted\n`;
    const ignore = `/tollgate ignore ${RULES[i % RULES.length]} src/file${i}.tf:${i % 90} -- reason ${i}`;
    if (i % 3 === 0) body += ignore;
    if (i % 50 === 0) body += `\n/tollgate unignore ${RULES[(i / 50) % RULES.length]}`;
    out.push({ id: i + 1, body, user, created_at: at, updated_at: at, html_url: `https://x/${i}` });
    if (i % 3 === 0) {
      out.push({
        id: 100_000 + i,
        body: `Suppressed.\n${bindingMarker({ kind: "issue", commentId: i + 1, command: commandKey(ignore), fingerprints: ["0123456789abcdef"] })}`,
        user: { login: "tollgate[bot]", type: "Bot" },
        created_at: at,
        updated_at: at,
        html_url: `https://x/r${i}`,
      });
    }
  }
  return out;
}

/** Median and best of `runs`: on a busy machine the best run is the honest cost of the code. */
async function timed(
  fn: () => Promise<unknown> | unknown,
  runs: number,
): Promise<{ median: number; best: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, best: times[0]! };
}

const round = (x: number) => Math.round(x * 100) / 100;

export async function bench(): Promise<BenchLine[]> {
  const comments = syntheticComments(3000);
  const config = configSchema.parse({});
  const resolveRuleId = (id: string) => (RULES.includes(id) ? id : undefined);
  const roleOf = async (login: string): Promise<Role> =>
    Number(login.slice(4)) % 2 === 0 ? "write" : "read";
  let active = 0;
  const rebuild = await timed(async () => {
    const ledger = buildLedger(comments, [], resolveRuleId, ownComments({ botLogin: "tollgate[bot]" }));
    active = (
      await rebuildSuppressions({ comments: ledger, prAuthor: "user0", config, roleOf, resolveRuleId })
    ).suppressions.length;
  }, 9);

  const huge = `${"/tollgate ignore docker/runs-as-root -- ".repeat(1)}${"x".repeat(65_000)}\n${"- prose line\n".repeat(5000)}`;
  const parse = await timed(() => parseCommands(huge), 21);

  return [
    {
      name: "commands: rebuild suppressions from 3,000 comments (median of 9)",
      value: round(rebuild.median),
      unit: "ms",
      target: "< 100 ms",
      ok: rebuild.median < 100,
    },
    { name: "commands: same, best of 9", value: round(rebuild.best), unit: "ms" },
    { name: "commands: active suppressions after that replay", value: active, unit: "count" },
    {
      name: "commands: parse a 64 KiB comment (median of 21)",
      value: round(parse.median),
      unit: "ms",
      target: "< 10 ms",
      ok: parse.median < 10,
    },
  ];
}
