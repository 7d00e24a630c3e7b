import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Metrics } from "./metrics.js";

/**
 * Times every webhook answer on the server side, from the request's headers
 * being parsed to the last byte of the answer handed to the socket
 * (`tollgate_webhook_response_seconds`). Node's HTTP diagnostics channels
 * are the only place that sees both ends without wrapping Probot's server,
 * whose HTTP listener it keeps to itself. What a busy event loop adds before
 * a request is even read shows in `nodejs_eventloop_lag_*` beside it.
 */

interface RequestMessage {
  request: IncomingMessage;
  response: ServerResponse;
  server: Server;
}

export function timeWebhookResponses(metrics: Metrics, port: number, path: string): () => void {
  const started = new WeakMap<IncomingMessage, number>();
  const ours = new WeakMap<Server, boolean>();
  const isOurs = (server: Server) => {
    let known = ours.get(server);
    if (known === undefined) {
      const address = server.address();
      known = typeof address === "object" && address !== null && address.port === port;
      ours.set(server, known);
    }
    return known;
  };
  const onStart = (message: unknown) => {
    const { request, server } = message as RequestMessage;
    if ((request.url ?? "").split("?")[0] === path && isOurs(server)) started.set(request, performance.now());
  };
  const onFinish = (message: unknown) => {
    const { request, response } = message as RequestMessage;
    const t0 = started.get(request);
    if (t0 === undefined) return;
    started.delete(request);
    metrics.webhookResponse.observe({ status: String(response.statusCode) }, (performance.now() - t0) / 1000);
  };
  subscribe("http.server.request.start", onStart);
  subscribe("http.server.response.finish", onFinish);
  return () => {
    unsubscribe("http.server.request.start", onStart);
    unsubscribe("http.server.response.finish", onFinish);
  };
}
