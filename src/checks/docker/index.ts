import type { Check } from "../types.js";
import { addRemoteUrl } from "./add-remote.js";
import { baseImage } from "./base-image.js";
import { exposeSsh } from "./expose.js";
import { missingHealthcheck } from "./healthcheck.js";
import { packageSignatureBypass, unpinnedOsPackages } from "./package-managers.js";
import { hardcodedPasswordChange } from "./passwords.js";
import { worldWritable } from "./permissions.js";
import { remoteScript } from "./remote-script.js";
import { secretInBuild } from "./secrets.js";
import { sudoInRun } from "./sudo.js";
import { dockerSyntax } from "./syntax.js";
import { tlsVerificationDisabled } from "./tls.js";
import { runsAsRoot } from "./user.js";

/** The docker/ family's checks: Dockerfile, Containerfile, *.dockerfile. */
export const checks: Check[] = [
  dockerSyntax,
  baseImage,
  runsAsRoot,
  secretInBuild,
  tlsVerificationDisabled,
  packageSignatureBypass,
  remoteScript,
  addRemoteUrl,
  sudoInRun,
  hardcodedPasswordChange,
  exposeSsh,
  worldWritable,
  unpinnedOsPackages,
  missingHealthcheck,
];
