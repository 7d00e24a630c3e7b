/** GitHub's request id of a failed call, for the check run and the logs. */
export function requestIdOf(error: unknown): string | undefined {
  const headers = (error as { response?: { headers?: Record<string, string> } })?.response?.headers;
  return headers?.["x-github-request-id"];
}

/** The HTTP status GitHub answered a failed call with, when it answered. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === "number" ? status : undefined;
}
