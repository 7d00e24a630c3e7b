import type { Config } from "../review/config.js";
import type { Severity } from "../review/types.js";
import type { Command } from "./parse.js";

/**
 * Who may do what. Decided from the commenter's repository role as GitHub
 * reports it now, never from `author_association` (which says how someone is
 * related to the repository, not what they may change in it).
 */

export const ROLES = ["none", "read", "triage", "write", "maintain", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** The body of `GET /repos/{owner}/{repo}/collaborators/{username}/permission`. */
export interface PermissionResponse {
  permission?: string | null;
  role_name?: string | null;
}

/**
 * `permission` folds maintain into write and triage into read; `role_name`
 * keeps them apart but may also be a custom role's name, which says nothing we
 * can rank, so then the folded `permission` decides.
 */
export function roleFrom(response: PermissionResponse | null | undefined): Role {
  const named = response?.role_name?.toLowerCase();
  if (named && isRole(named) && named !== "none") return named;
  const permission = response?.permission?.toLowerCase();
  if (permission && isRole(permission)) return permission;
  return "none";
}

function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

export function atLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export interface Actor {
  login: string;
  role: Role;
  /** The actor opened the pull request. */
  isAuthor: boolean;
}

export type Decision =
  | {
      allowed: true;
      /** For an author's own ignore under four eyes: only findings below this severity are suppressed. */
      onlyBelow?: Severity;
    }
  | { allowed: false; why: string };

/** Whether an actor may run a command, and with what limit. Pure: the caller looks the role up. */
export function authorize(command: Command, actor: Actor, config: Config): Decision {
  switch (command.kind) {
    case "help":
    case "explain":
    case "invalid":
      return { allowed: true };
    case "recheck":
      if (actor.isAuthor || atLeast(actor.role, "write")) return { allowed: true };
      return {
        allowed: false,
        why: `@${actor.login} has ${describeRole(actor.role)} on this repository; \`recheck\` is for the pull request's author and people with write access.`,
      };
    case "ignore":
    case "unignore": {
      const needed = config.commands["ignore-permission"];
      if (!atLeast(actor.role, needed)) {
        return {
          allowed: false,
          why: `@${actor.login} has ${describeRole(actor.role)} on this repository; \`${command.kind}\` needs ${needed} access or higher.`,
        };
      }
      if (command.kind === "ignore" && fourEyesApplies(actor, config)) {
        return { allowed: true, onlyBelow: config["fail-on"] };
      }
      return { allowed: true };
    }
  }
}

/** The author of a pull request may not wave through their own blocking findings. */
export function fourEyesApplies(actor: Actor, config: Config): boolean {
  if (!actor.isAuthor) return false;
  switch (config.commands["author-ignore-blocking"]) {
    case "allowed":
      return false;
    case "never":
      return true;
    case "admin":
      return actor.role !== "admin";
  }
}

export function describeRole(role: Role): string {
  return role === "none" ? "no access" : `${role} access`;
}
