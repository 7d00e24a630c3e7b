import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Loads Node's fetch (undici, which Octokit uses) before the first delivery
 * instead of during it: Node compiles undici on the first request, a single
 * 50–80 ms task that a cold instance's first burst of webhooks measurably
 * waited behind (`npm run bench:app`, `--cpu-prof`). One request to a
 * throwaway server on loopback; a failure only means the first real request
 * pays instead.
 */
export async function warmHttpClient(): Promise<void> {
  const server = createServer((_req, res) => res.end());
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    const { port } = server.address() as AddressInfo;
    await fetch(`http://127.0.0.1:${port}/`).then((r) => r.arrayBuffer());
  } catch {
    // Best effort: nothing depends on it.
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
