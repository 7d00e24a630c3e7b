import { parentPort } from "node:worker_threads";

// A stand-in job thread for test/app/job-thread.test.ts: what it does with a job is named by the
// job's delivery id, so the test can make it succeed, fail like GitHub, or die mid-job.
const send = (m) => parentPort.postMessage(m);
// A thread that cannot start (a bad private key, say).
if (process.env.FAIL_AT_START) process.exit(1);
parentPort.on("message", (m) => {
  if (m.kind === "metrics") return send({ kind: "done", id: m.id, value: [] });
  if (m.kind === "close") return send({ kind: "done", id: m.id });
  if (m.kind === "conclude") return send({ kind: "done", id: m.id });
  const what = m.job.id;
  if (what === "ok") return send({ kind: "done", id: m.id });
  if (what === "rate-limited")
    return send({
      kind: "failed",
      id: m.id,
      error: {
        name: "HttpError",
        message: "You have exceeded a secondary rate limit",
        status: 403,
        url: "https://api.github.com/repos/o/r/check-runs",
        headers: { "retry-after": "37", "x-github-request-id": "ABCD:1234" },
      },
    });
  if (what === "crash") process.exit(7);
});
send({ kind: "ready" });
