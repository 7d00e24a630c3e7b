import type { ShellInvocation, ShellReading } from "./reading.js";

/**
 * A download over plain `http://` can be replaced by anyone on the network
 * path. Addresses that do not leave the machine or the job's own network
 * (`localhost`, loopback, a service container named by one label such as
 * `http://postgres:5432`, private ranges) are not downloads from the Internet
 * and are left alone: CI scripts probe them all the time.
 */

const DOWNLOADERS = /^(curl|wget|aria2c|http|fetch|Invoke-WebRequest|iwr|Invoke-RestMethod|irm)$/i;
const URL = /^(?:["']?)http:\/\/([^/:?#\s"'@]*@)?(\[[^\]]*\]|[^/:?#\s"']+)/i;
const LOCAL =
  /^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1?\]|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|169\.254\.\d+\.\d+|host\.docker\.internal)$/i;

export interface PlainHttpDownload<X extends object = object> {
  invocation: ShellInvocation<X>;
  url: string;
  host: string;
  line: number;
  column: number;
}

/** The host of a plain-HTTP URL that leaves the local network, or undefined. */
export function remotePlainHttpHost(word: string): string | undefined {
  const m = URL.exec(word);
  if (!m) return undefined;
  const host = m[2]!.toLowerCase();
  // `${HOST}`, `$(…)`: an unknown host is not a finding.
  if (host.includes("$") || host.includes("{") || LOCAL.test(host) || !host.includes(".")) return undefined;
  if (host.endsWith(".local") || host.endsWith(".localhost") || host.endsWith(".internal")) return undefined;
  return host;
}

/** Every download command of the reading whose URL is plain `http://` to a host off the local network. */
export function plainHttpDownloads<X extends object>(
  reading: Pick<ShellReading<X>, "invocations">,
): Array<PlainHttpDownload<X>> {
  const out: Array<PlainHttpDownload<X>> = [];
  for (const inv of reading.invocations) {
    if (!DOWNLOADERS.test(inv.program)) continue;
    for (const a of inv.args) {
      const host = remotePlainHttpHost(a.value);
      if (!host) continue;
      out.push({
        invocation: inv,
        url: a.value.replace(/^["']/, ""),
        host,
        ...inv.site.source.position(a.start),
      });
      break;
    }
  }
  return out;
}
