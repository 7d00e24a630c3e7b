import { dockerfileOf } from "../../formats/dockerfile.js";
import type { Check, SnapshotCheck } from "../types.js";
import { addRemoteUrl } from "./add-remote.js";
import { baseImage } from "./base-image.js";
import { exposeSsh } from "./expose.js";
import { onePerInstruction } from "./findings.js";
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

/**
 * Every finding carries its rule's one-line fix, as the text and Markdown
 * outputs show it, and one instruction gets at most one finding per rule.
 */
function withRuleFix(check: SnapshotCheck): SnapshotCheck {
  return {
    ...check,
    run(file, ctx) {
      const findings = check.run(file, ctx);
      const merged =
        findings.length > 1 ? onePerInstruction(findings, dockerfileOf(file).instructions) : findings;
      return merged.map((f) => {
        const fix = f.fix ?? ctx.catalog.get(f.ruleId)?.fix;
        return fix ? { ...f, fix } : f;
      });
    },
  };
}

/** The docker/ family's checks: Dockerfile, Containerfile, *.dockerfile. */
export const checks: Check[] = [
  ...[
    dockerSyntax,
    baseImage,
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
  ].map(withRuleFix),
  // Review-level: it follows base images built by other Dockerfiles of the same change. Its findings carry their own fix.
  runsAsRoot,
];
