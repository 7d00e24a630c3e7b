/**
 * Which pull request `tollgate pr` reviews: `OWNER/REPO#N`, or the URL of the
 * pull request on github.com or a GitHub Enterprise Server, whose REST API
 * is then `https://HOST/api/v3` unless `--api-url` or `GITHUB_API_URL` says otherwise.
 */

export interface PullTarget {
  owner: string;
  repo: string;
  pullNumber: number;
  /** The API of the host a URL named (GHES); undefined for github.com and for OWNER/REPO#N. */
  apiUrl?: string;
}

export const GITHUB_API = "https://api.github.com";

const NAME = "[A-Za-z0-9_.-]+";
const SHORT = new RegExp(`^(${NAME})/(${NAME})#([1-9][0-9]{0,9})$`);
const PATH = new RegExp(`^/(${NAME})/(${NAME})/pull/([1-9][0-9]{0,9})(?:/.*)?$`);

export class TargetError extends Error {}

export function parseTarget(text: string): PullTarget {
  const short = SHORT.exec(text);
  if (short) return { owner: short[1]!, repo: short[2]!, pullNumber: Number(short[3]) };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetError(
      `"${text.slice(0, 200)}" is not a pull request: write OWNER/REPO#NUMBER or its URL (https://github.com/OWNER/REPO/pull/NUMBER)`,
    );
  }
  const path = PATH.exec(url.pathname);
  if (!path || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new TargetError(
      `${url.origin}${url.pathname.slice(0, 200)} is not a pull request URL: expected https://HOST/OWNER/REPO/pull/NUMBER`,
    );
  }
  const target: PullTarget = { owner: path[1]!, repo: path[2]!, pullNumber: Number(path[3]) };
  if (url.hostname !== "github.com" && url.hostname !== "www.github.com") {
    target.apiUrl = `${url.protocol}//${url.host}/api/v3`;
  }
  return target;
}
