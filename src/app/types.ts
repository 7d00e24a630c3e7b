import type { Context, ProbotOctokit } from "probot";

/** The Octokit instance Probot hands each webhook (installation-authenticated). */
export type Octokit = ProbotOctokit;

/** Probot's logger (pino). */
export type Log = Context["log"];
