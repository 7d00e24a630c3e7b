import { type Config, defaultConfig } from "../review/config.js";
import { type RuleCatalog, ruleCatalog } from "../review/rules.js";
import type { Role } from "../slash-commands/authorize.js";
import { type OwnCommentTest, ownComments } from "../slash-commands/own-comments.js";
import { type LoadedConfig, loadRepoConfig } from "./config-loader.js";
import type { ReviewDeps } from "./deps.js";
import type { ExistingReview, GitHubPort, Listed, PullComment, PullSummary } from "./github/port.js";
import { loadSuppressionLedger, type SuppressionLedger } from "./suppressions-source.js";
import type { Log } from "./types.js";

/**
 * Everything one webhook event knows about one pull request, each piece read
 * at most once and only when a path asks for it: the rule catalogue, the
 * configuration, the pull request, its comments and reviews, the commenters'
 * roles and the suppression ledger. The review and the slash commands of the
 * same event share one context, so a command comment that re-runs the review
 * reads the configuration once and lists the review comments once.
 */
export class PullRequestContext {
  readonly log: Log;
  /** The command comment being answered in this event: its ignores apply as typed. */
  answering: number | undefined;
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly roles = new Map<string, Promise<Role>>();
  private catalogValue: RuleCatalog | undefined;

  constructor(
    readonly github: GitHubPort,
    readonly pullNumber: number,
    readonly deps: ReviewDeps,
    seed: { pull?: PullSummary; prAuthor?: string } = {},
  ) {
    this.log = deps.log.child({ pr: `${github.repo.owner}/${github.repo.repo}#${pullNumber}` });
    if (seed.pull) this.memo.set("pull", Promise.resolve(seed.pull));
    this.prAuthorSeed = seed.prAuthor;
  }

  private readonly prAuthorSeed: string | undefined;

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      this.memo.set(key, p);
    }
    return p;
  }

  /** The rule catalogue (built once per process; throws when the rules are broken). */
  catalog(): RuleCatalog {
    this.catalogValue ??= (this.deps.steps?.ruleCatalog ?? ruleCatalog)();
    return this.catalogValue;
  }

  /** The configuration from the default branch, as loaded (invalid configurations included). */
  loadedConfig(): Promise<LoadedConfig> {
    return this.once("config", () => loadRepoConfig(this.github, this.catalog().ids()));
  }

  /** The configuration for answering commands: the defaults when it cannot be read or used. */
  async commandConfig(): Promise<{ config: Config; configProblem: boolean }> {
    try {
      const loaded = await this.loadedConfig();
      if (loaded.ok) return { config: loaded.config, configProblem: false };
    } catch (e) {
      this.log.warn({ err: e }, "could not read the configuration for a command");
    }
    return { config: defaultConfig, configProblem: true };
  }

  /** The pull request as the event carried it, or read once. */
  pull(): Promise<PullSummary> {
    return this.once("pull", () => this.github.getPull(this.pullNumber));
  }

  /** The pull request as it is now (a fresh read: its head may have moved). */
  async currentPull(): Promise<PullSummary> {
    const pull = await this.github.getPull(this.pullNumber);
    this.memo.set("pull", Promise.resolve(pull));
    return pull;
  }

  async prAuthor(): Promise<string> {
    return this.prAuthorSeed ?? (await this.pull()).user?.login ?? "";
  }

  reviewComments(): Promise<Listed<PullComment>> {
    return this.once("reviewComments", () => this.github.listReviewComments(this.pullNumber));
  }

  issueComments(): Promise<Listed<PullComment>> {
    return this.once("issueComments", () => this.github.listIssueComments(this.pullNumber));
  }

  reviews(): Promise<ExistingReview[]> {
    return this.once("reviews", () => this.github.listReviews(this.pullNumber));
  }

  /**
   * Another review of this pull request ran since the comments were read (this
   * event waited for it): what it posted must be seen, so they are read again.
   */
  forgetComments(): void {
    for (const key of ["reviewComments", "issueComments", "reviews", "ledger"]) this.memo.delete(key);
  }

  /** Recognises Tollgate's own comments (see slash-commands/own-comments.ts). */
  isOwn(): Promise<OwnCommentTest> {
    return this.once("isOwn", async () => {
      let botLogin: string | undefined;
      try {
        botLogin = await this.deps.botLogin?.();
      } catch (e) {
        this.log.warn(
          { err: e },
          "could not learn the app's bot login; trusting only comments GitHub marks as this app's",
        );
      }
      return ownComments({
        ...(botLogin ? { botLogin } : {}),
        ...(this.deps.appId !== undefined ? { appId: this.deps.appId } : {}),
      });
    });
  }

  /** A user's role on the repository now, looked up once per event. Failures are not remembered. */
  role(login: string): Promise<Role> {
    const key = login.toLowerCase();
    let role = this.roles.get(key);
    if (!role) {
      role = this.github.getRole(login);
      this.roles.set(key, role);
      role.catch(() => this.roles.delete(key));
    }
    return role;
  }

  /** Records a role this event settled on without GitHub's answer (a failed lookup counts as no access). */
  rememberRole(login: string, role: Role): void {
    this.roles.set(login.toLowerCase(), Promise.resolve(role));
  }

  /** Whether the suppression ledger was read in this event (by a slash command). */
  hasLedger(): boolean {
    return this.memo.has("ledger");
  }

  /** What the pull request's `/tollgate` commands add up to, read from its comments. */
  ledger(config: Config): Promise<SuppressionLedger> {
    return this.once("ledger", () => loadSuppressionLedger(this, config));
  }
}
