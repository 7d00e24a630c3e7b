import { type FileVersion, ParseError } from "../types.js";
import { readAzure } from "./azure.js";
import { readBitbucket } from "./bitbucket.js";
import { readCircleci } from "./circleci.js";
import { type CiFacts, flavorOf } from "./facts.js";
import { readGitlab } from "./gitlab.js";
import { type JenkinsModel, readJenkinsfile } from "./jenkins.js";

interface Loaded {
  facts?: CiFacts;
  error?: ParseError;
}

/** The facts of one ci/ file version, read once and shared by every ci/ check; undefined when it does not parse. */
export function ciFacts(file: FileVersion): CiFacts | undefined {
  return load(file).facts;
}

/** Why a YAML pipeline does not parse (a Jenkinsfile always reads: see ci/parse for its unterminated strings). */
export function ciParseError(file: FileVersion): ParseError | undefined {
  return load(file).error;
}

export function jenkinsModel(file: FileVersion): JenkinsModel {
  return file.memo("ci/jenkins", () => readJenkinsfile(file.text));
}

/**
 * The Jenkinsfile model, for a Jenkinsfile only: the YAML pipelines hold no Groovy (reading a GitLab
 * pipeline as Groovy cost 1.5% of reviewing it, and could only find steps that are not there).
 */
export function jenkinsModelOf(file: FileVersion): JenkinsModel | undefined {
  return flavorOf(file.path, file.text) === "jenkins" ? jenkinsModel(file) : undefined;
}

function load(file: FileVersion): Loaded {
  return file.memo("ci/facts", (): Loaded => {
    const flavor = flavorOf(file.path, file.text);
    if (flavor === "jenkins") {
      const m = jenkinsModel(file);
      return {
        facts: { flavor, scripts: m.scripts, images: m.images, variables: [], includes: [], orbs: [] },
      };
    }
    try {
      const read = { gitlab: readGitlab, circleci: readCircleci, azure: readAzure, bitbucket: readBitbucket }[
        flavor
      ];
      return { facts: read(file.text) };
    } catch (e) {
      if (e instanceof ParseError) return { error: e };
      throw e;
    }
  });
}
