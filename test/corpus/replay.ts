import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { runReview } from "../../src/review/engine.js";
import { memoryChangeSet } from "../../src/review/memory.js";
import type { Review } from "../../src/review/types.js";

/**
 * Replays the real-change corpus (`shared/corpus/real-changes/`, beside the
 * checkout) through the engine in process, as `shared/corpus/replay.mjs`
 * does through the CLI: each commit is one pull request, reviewed offline
 * with the default configuration. In process, so the whole corpus takes
 * seconds rather than the minute that 260 git repositories and CLI runs take.
 */

export const CORPUS_DIR = resolve(
  process.env.TOLLGATE_CORPUS ?? join(import.meta.dirname, "../../../shared/corpus/real-changes"),
);

/** The corpus writes the npm registry's host as a placeholder, so it holds no mirror's name. */
const REGISTRY_PLACEHOLDER = "@npm-registry-host@";
const REGISTRY_HOST = "registry.npmjs.org";

interface MetaFile {
  status: string;
  path: string;
  from?: string;
}

export interface ReplayCase {
  repo: string;
  sha: string;
  subject: string;
  review: Review;
}

function read(path: string): string | null {
  if (!existsSync(path)) return null;
  return readFileSync(path, "utf8").replaceAll(REGISTRY_PLACEHOLDER, REGISTRY_HOST);
}

export async function replayCorpus(dir = CORPUS_DIR): Promise<ReplayCase[]> {
  const out: ReplayCase[] = [];
  for (const repo of readdirSync(dir).sort()) {
    if (!statSync(join(dir, repo)).isDirectory()) continue;
    for (const sha of readdirSync(join(dir, repo)).sort()) {
      const caseDir = join(dir, repo, sha);
      if (!existsSync(join(caseDir, "meta.json"))) continue;
      const meta = JSON.parse(readFileSync(join(caseDir, "meta.json"), "utf8")) as {
        repo: string;
        sha: string;
        subject: string;
        files: MetaFile[];
      };
      const files = meta.files.map((f) => {
        const basePath = f.from ?? f.path;
        return {
          path: f.path,
          base: f.status === "A" ? null : read(join(caseDir, "base", basePath)),
          head: f.status === "D" ? null : read(join(caseDir, "head", f.path)),
          ...(f.from ? { previousPath: f.from } : {}),
        };
      });
      // The corpus keeps text files only; a changed binary file has neither side.
      const present = files.filter((f) => f.base !== null || f.head !== null);
      const review = await runReview(memoryChangeSet(present));
      out.push({ repo: meta.repo, sha: meta.sha, subject: meta.subject, review });
    }
  }
  return out;
}
