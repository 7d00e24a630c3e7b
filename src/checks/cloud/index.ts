/**
 * Provider-neutral analyses shared by the cloud families (`cfn/`, `tf/`): IAM
 * policy documents, network exposure and literal secrets, on plain values in
 * which what cannot be known statically is an `Unknown`. This directory
 * declares no check; the families call it and map the returned paths back to
 * their own source positions.
 */

export * from "./actions.js";
export * from "./iam.js";
export * from "./network.js";
export * from "./policy.js";
export * from "./principals.js";
export * from "./secrets.js";
export * from "./value.js";
