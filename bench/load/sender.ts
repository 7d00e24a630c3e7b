import { createHmac } from "node:crypto";
import { Agent, request } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Delivery } from "./processes.js";

/**
 * The webhook sender of `npm run bench:app`, in a process of its own (the
 * GitHub stand-in answers the instances from the bench's process): what it
 * measures must not include another job's work on its event loop. It uses
 * node:http with kept-alive connections, as GitHub's sender does, rather
 * than fetch: measured, fetch cost the sender 2.1 ms of CPU per delivery,
 * more than the instance answering it (1.3 ms), so 16 deliveries in flight
 * measured mostly the sender.
 */

export interface SendOrder {
  targets: string[];
  deliveries: Delivery[];
  inFlight: number;
  secret: string;
}

export interface SendResult {
  acks: Array<{ status: number; ms: number; at: number }>;
  loopP99Ms: number;
  loopMaxMs: number;
}

interface Prepared {
  url: URL;
  body: Buffer;
  headers: Record<string, string>;
}

function prepare(order: SendOrder): Prepared[] {
  return order.deliveries.map((d, i) => {
    const body = Buffer.from(JSON.stringify(d.payload));
    // A load balancer: round-robin, so a redelivery usually reaches the other instance.
    const url = new URL("/api/github/webhooks", order.targets[i % order.targets.length]);
    return {
      url,
      body,
      headers: {
        "content-type": "application/json",
        "content-length": String(body.length),
        "x-github-event": d.name,
        "x-github-delivery": d.id,
        "x-hub-signature-256": `sha256=${createHmac("sha256", order.secret).update(body).digest("hex")}`,
      },
    };
  });
}

function post(agent: Agent, p: Prepared): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(p.url, { method: "POST", agent, headers: p.headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(p.body);
  });
}

export async function send(order: SendOrder): Promise<SendResult> {
  const prepared = prepare(order);
  const agent = new Agent({ keepAlive: true, maxSockets: order.inFlight });
  const acks: SendResult["acks"] = [];
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < prepared.length) {
      const p = prepared[next++]!;
      const at = performance.now();
      const status = await post(agent, p).catch(() => 0);
      acks.push({ status, ms: status ? performance.now() - at : Number.NaN, at: at - t0 });
    }
  };
  await Promise.all(Array.from({ length: order.inFlight }, worker));
  loop.disable();
  agent.destroy();
  return { acks, loopP99Ms: loop.percentile(99) / 1e6, loopMaxMs: loop.max / 1e6 };
}

// Run as a child of the bench (processes.ts `startSender`): one order in, one result out.
if (process.send) {
  process.once("message", (order: SendOrder) => {
    send(order).then(
      (result) => process.send!(result, () => process.exit(0)),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  });
}
