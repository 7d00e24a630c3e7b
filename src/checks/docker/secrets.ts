import { argProperties, type DockerInstruction, dockerfileOf } from "../../formats/dockerfile.js";
import { redactSecret } from "../../review/redact.js";
import type { RawFinding } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { isPlaceholderValue, isSecretAssignment, isSecretName } from "../secrets/detector.js";
import { anchor, atInstruction, digestOf, onePerDockerInstruction } from "./findings.js";

/**
 * Whatever a build receives through ARG, ENV or COPY stays readable in the
 * image: `docker history` shows build arguments, `docker inspect` shows the
 * environment, and every layer keeps the files it added even when a later
 * layer deletes them. Build secrets belong in `RUN --mount=type=secret`.
 */

const RULE = "docker/secret-in-build";
const SECRET_MOUNT = "`RUN --mount=type=secret,id=<name>` (`docker build --secret id=<name>,src=…`)";

export const secretInBuild = defineCheck({
  kind: "snapshot",
  name: "docker/secrets",
  families: ["docker"],
  rules: [RULE],
  merge: onePerDockerInstruction,
  run(file) {
    const model = dockerfileOf(file);
    const out: RawFinding[] = [];
    for (const instruction of model.instructions) {
      const stageKey = model.stageKey(instruction.stage);
      if (instruction.keyword === "ARG") out.push(...argFindings(instruction, stageKey));
      else if (instruction.keyword === "ENV") out.push(...envFindings(instruction, stageKey));
      else if (instruction.keyword === "COPY" || instruction.keyword === "ADD")
        out.push(...copyFindings(instruction, stageKey));
    }
    return out;
  },
});

function argFindings(instruction: DockerInstruction, stageKey: string): RawFinding[] {
  const out: RawFinding[] = [];
  for (const { name, value, line, column } of argProperties(instruction)) {
    if (!isSecretName(name)) continue;
    if (isSecretAssignment(name, value)) {
      out.push(
        atInstruction(
          RULE,
          instruction,
          `\`ARG ${name}\` has a literal secret as its default, which is stored in the Dockerfile and in the image history; remove the default and pass the secret with ${SECRET_MOUNT}.`,
          anchor(stageKey, "ARG", name, digestOf(value!)),
          { line, column, evidence: `${name}=${redactSecret(value!)}` },
        ),
      );
    } else {
      out.push(
        atInstruction(
          RULE,
          instruction,
          `\`ARG ${name}\` passes a secret as a build argument, and build arguments are recorded in the image history (\`docker history\`); use ${SECRET_MOUNT} instead.`,
          anchor(stageKey, "ARG", name),
          { line, column },
        ),
      );
    }
  }
  return out;
}

function envFindings(instruction: DockerInstruction, stageKey: string): RawFinding[] {
  const out: RawFinding[] = [];
  for (const { name, value, line, column } of argProperties(instruction)) {
    if (isSecretAssignment(name, value)) {
      out.push(
        atInstruction(
          RULE,
          instruction,
          `\`ENV ${name}\` bakes a literal secret into the image, readable by anyone who can pull it (\`docker inspect\`); pass it at run time (an orchestrator secret) or, for the build only, with ${SECRET_MOUNT}.`,
          anchor(stageKey, "ENV", name, digestOf(value!)),
          { line, column, evidence: `${name}=${redactSecret(value!)}` },
        ),
      );
    } else if (isSecretName(name) && value && isVariableReference(value)) {
      out.push(
        atInstruction(
          RULE,
          instruction,
          `\`ENV ${name}=${value.trim()}\` copies a build-time secret into the image's environment, where every container and \`docker inspect\` can read it; use ${SECRET_MOUNT} in the RUN steps that need it.`,
          anchor(stageKey, "ENV", name, value.trim()),
          { line, column },
        ),
      );
    }
  }
  return out;
}

function isVariableReference(value: string): boolean {
  const v = value.trim().replace(/^["']|["']$/g, "");
  return /^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/.test(v) && isPlaceholderValue(v);
}

function copyFindings(instruction: DockerInstruction, stageKey: string): RawFinding[] {
  const sources = copySources(instruction);
  const out: RawFinding[] = [];
  for (const source of sources) {
    const kind = secretFileKind(source);
    if (!kind) continue;
    out.push(
      atInstruction(
        RULE,
        instruction,
        `\`${instruction.keyword} ${source}\` puts ${kind} into an image layer, where it stays even if a later step deletes it; mount it only for the step that needs it with ${SECRET_MOUNT}.`,
        anchor(stageKey, instruction.keyword, source),
      ),
    );
  }
  return out;
}

/** The source operands of COPY/ADD (everything but the destination); heredoc sources are inline text. */
function copySources(instruction: DockerInstruction): string[] {
  const words = instruction.json ?? instruction.words.filter((w) => !/^<<-?/.test(w));
  if (instruction.words.some((w) => /^<<-?/.test(w))) return [];
  return words.slice(0, -1);
}

const KEY_FILES = new Set(["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"]);
const CREDENTIAL_FILES = new Set([".npmrc", ".pypirc", ".netrc", "_netrc", ".git-credentials", ".dockercfg"]);
const SECRET_DIRS = new Set([".ssh", ".aws", ".gnupg", ".kube"]);
const KEY_EXTENSIONS = /\.(pem|key|p12|pfx|jks|keystore|ppk)$/i;
/** Certificates and public keys share `.pem`; these names are not private keys. */
const PUBLIC_MATERIAL =
  /(^|[-_.])(ca|cacerts?|certs?|certificates?|chain|fullchain|bundle|public|pub|trust|truststore)([-_.]|$)/i;
const ENV_TEMPLATE = /^\.env\.(example|sample|template|dist|defaults?|schema)$/i;

/** What kind of secret a copied path is, for the message; undefined when it is not one. */
export function secretFileKind(path: string): string | undefined {
  const clean = path.replace(/^["']|["']$/g, "").replace(/\/+$/, "");
  const segments = clean.split("/");
  const name = segments[segments.length - 1] ?? "";
  const parent = segments[segments.length - 2] ?? "";
  if (KEY_FILES.has(name)) return "an SSH private key";
  if (SECRET_DIRS.has(name)) return `a \`${name}\` directory of credentials`;
  if (name === "credentials" && parent === ".aws") return "AWS credentials";
  if (name === "config.json" && parent === ".docker") return "registry credentials";
  if (CREDENTIAL_FILES.has(name)) return `a \`${name}\` credentials file`;
  if (name === ".env" || (name.startsWith(".env.") && !ENV_TEMPLATE.test(name)))
    return "an environment file of secrets";
  if (KEY_EXTENSIONS.test(name)) {
    const stem = name.replace(KEY_EXTENSIONS, "");
    if (/\.pem$/i.test(name) && PUBLIC_MATERIAL.test(stem)) return undefined;
    if (/(^|[-_.])(public|pub)([-_.]|$)/i.test(stem)) return undefined;
    return "a private key or keystore";
  }
  return undefined;
}
