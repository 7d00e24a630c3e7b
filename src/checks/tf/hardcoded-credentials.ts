import { redactSecret } from "../../review/redact.js";
import type { RawFinding } from "../../review/types.js";
import { isCloudObject, knownString } from "../cloud/value.js";
import { defineCheck } from "../define.js";
import { scanLine } from "../secrets/scanner.js";
import type { Attr, TfBlockView, TfModule } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

/**
 * AWS access keys written into the configuration: the provider's
 * `access_key`/`secret_key`, a Lambda function's or ECS task's environment,
 * an instance's `user_data`. Any value the secrets family recognises as an
 * AWS credential counts; evidence is redacted.
 */
export const awsHardcodedCredentials = defineCheck({
  kind: "review",
  name: "tf/aws-hardcoded-credentials",
  families: ["tf"],
  rules: ["tf/aws-hardcoded-credentials"],
  run: onModules((mod) => [
    ...mod.providers.filter((p) => p.block.labels[0] === "aws").flatMap((p) => providerKeys(p)),
    ...mod
      .resourcesOf("aws_lambda_function")
      .flatMap((r) =>
        r.blocks("environment").flatMap((e) => inValue(mod, `${r.address}:environment`, e.attr("variables"))),
      ),
    ...mod
      .resourcesOf("aws_instance", "aws_launch_template", "aws_launch_configuration")
      .flatMap((r) => inValue(mod, `${r.address}:user_data`, r.attr("user_data"))),
  ]),
});

function providerKeys(p: TfBlockView): RawFinding[] {
  return ["access_key", "secret_key"].flatMap((name) => {
    const a = p.attr(name);
    const text = a ? knownString(a.value) : undefined;
    if (!a || !text || text.includes("${")) return [];
    const evidence = awsSecret(`aws_${name} = "${text}"`);
    if (!evidence) return [];
    return [
      tfFinding(
        "tf/aws-hardcoded-credentials",
        a.loc,
        `provider.aws:${name}:${evidence}`,
        `The aws provider's ${name} is written in the configuration.`,
        evidence,
      ),
    ];
  });
}

/** AWS credentials inside a string or an object of strings (environment variables). */
function inValue(mod: TfModule, anchor: string, a: Attr | undefined): RawFinding[] {
  if (!a) return [];
  const entries: Array<[string[], unknown]> = isCloudObject(a.value)
    ? Object.entries(a.value).map(([k, v]) => [[k], v])
    : [[[], a.value]];
  const out: RawFinding[] = [];
  for (const [path, v] of entries) {
    const text = knownString(v as never);
    if (!text) continue;
    const evidence = awsSecret(path.length ? `${path[0]} = "${text}"` : text);
    if (!evidence) continue;
    const loc = mod.evaluator.locate(a.value, path, a.loc);
    out.push(
      tfFinding(
        "tf/aws-hardcoded-credentials",
        loc,
        `${anchor}:${path.join(".")}:${evidence}`,
        `An AWS credential is written into ${anchor.replace(/:/g, " ")}${path.length ? ` (${path[0]})` : ""}.`,
        evidence,
      ),
    );
  }
  return out;
}

/** The redacted AWS credential in a text, by the secrets family's detectors (never the value itself). */
function awsSecret(text: string): string | undefined {
  for (const line of text.split("\n").slice(0, 5000)) {
    const hit = scanLine(line).find((s) => s.ruleId.startsWith("secrets/aws"));
    if (hit) return `${hit.label} ${redactSecret(hit.secret)}`;
  }
  return undefined;
}
