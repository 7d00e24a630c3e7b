import type { Check } from "../types.js";
import { dependencyChanges } from "./dependency-changes.js";
import { dependencyConfusion } from "./dependency-confusion.js";
import { goReplaceDirective } from "./go-replace-directive.js";
import { insecureRepository } from "./insecure-repository.js";
import { installScript } from "./install-script.js";
import { licensePolicy } from "./license.js";
import { lockfileIntegrityChanged } from "./lockfile-integrity-changed.js";
import { nonRegistrySource } from "./non-registry-source.js";
import { typosquat } from "./typosquat.js";
import { unpinnedVersion } from "./unpinned-version.js";
import { versionDowngrade } from "./version-downgrade.js";
import { vulnerabilities } from "./vulnerabilities.js";

/** The deps/ family's checks. */
export const checks: Check[] = [
  dependencyChanges,
  installScript,
  nonRegistrySource,
  lockfileIntegrityChanged,
  dependencyConfusion,
  insecureRepository,
  unpinnedVersion,
  versionDowngrade,
  goReplaceDirective,
  typosquat,
  vulnerabilities,
  licensePolicy,
];
