import { checks as actions } from "./actions/index.js";
import { checks as deps } from "./deps/index.js";
import { checks as docker } from "./docker/index.js";
import { checks as meta } from "./meta/index.js";
import { checks as secrets } from "./secrets/index.js";
import type { Check } from "./types.js";

/** Every check Tollgate runs. A family adds itself here once. */
export const allChecks: readonly Check[] = [...docker, ...actions, ...deps, ...secrets, ...meta];
