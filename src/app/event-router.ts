import type { Context, Probot } from "probot";

/**
 * Where the handlers register (`app.on`), so that the webhook only queues a
 * delivery and the worker runs the handlers later, in whichever instance
 * takes the job. It matches as Probot does: `pull_request` takes every
 * action, `pull_request.opened` one.
 */

export type EventSource = Pick<Probot, "on">;
type Handler = (context: Context) => Promise<void> | void;

export class EventRouter {
  private readonly handlers = new Map<string, Handler[]>();

  readonly on = ((names: string | string[], handler: Handler) => {
    for (const name of Array.isArray(names) ? names : [names]) {
      const list = this.handlers.get(name) ?? [];
      list.push(handler);
      this.handlers.set(name, list);
    }
  }) as unknown as Probot["on"];

  /** Every `event` or `event.action` some handler listens to: what the webhook must accept. */
  events(): string[] {
    return [...this.handlers.keys()];
  }

  /** Whether any handler takes this delivery (deliveries nobody handles are not queued). */
  handles(name: string, action: string | undefined): boolean {
    return this.matching(name, action).length > 0;
  }

  /** Runs the handlers of the event one after another; the first error fails the job. */
  async dispatch(context: Context): Promise<void> {
    const action = (context.payload as { action?: string }).action;
    for (const handler of this.matching(context.name, action)) await handler(context);
  }

  private matching(name: string, action: string | undefined): Handler[] {
    return [
      ...(this.handlers.get(name) ?? []),
      ...(action !== undefined ? (this.handlers.get(`${name}.${action}`) ?? []) : []),
    ];
  }
}
