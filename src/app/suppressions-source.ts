import type { Config } from "../review/config.js";
import type { ExternalSuppression } from "../review/types.js";
import type { Log, Octokit } from "./types.js";

/**
 * Where a review gets the suppressions people asked for in the pull request
 * thread (`/tollgate ignore …`). Owned by the slash-commands work (issue 4):
 * it lists the PR's comments and re-checks each author's permission. The
 * review flow calls it once per review and passes the result to the engine.
 */
export interface SuppressionsRequest {
  octokit: Octokit;
  owner: string;
  repo: string;
  pullNumber: number;
  prAuthor: string;
  config: Config;
  log: Log;
}

export async function loadCommandSuppressions(_req: SuppressionsRequest): Promise<ExternalSuppression[]> {
  return [];
}
