import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

/**
 * Validates a request against GitHub's OpenAPI description for api.github.com
 * (`@octokit/openapi`, the whole published description, not a copy): the
 * method and path must exist, every query parameter must be declared and
 * valid, and a JSON body must match the request schema. A request the real
 * API would reject fails the test.
 */

interface Operation {
  parameters?: Array<{ $ref?: string; name?: string; in?: string; schema?: unknown }>;
  requestBody?: { content?: Record<string, { schema: unknown }> };
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters?: Record<string, { name: string; in: string; schema: unknown }> };
}

const spec = JSON.parse(
  readFileSync(
    createRequire(import.meta.url).resolve("@octokit/openapi/generated/api.github.com.json"),
    "utf8",
  ),
) as Spec;

const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
ajv.addSchema(spec, "gh");

const templates = Object.keys(spec.paths).map((template) => {
  const params = (template.match(/\{[^}]+\}/g) ?? []).length;
  const pattern = new RegExp(
    `^${template
      .split(/\{[^}]+\}/)
      .map((s) => s.replace(/[.*+?^$()|[\]\\]/g, "\\$&"))
      .join(template.endsWith("{path}") ? "(.+)" : "([^/]+)")}$`,
  );
  return { template, params, pattern };
});

/** The OpenAPI path template a concrete path matches (fewest parameters wins). */
export function matchTemplate(pathname: string): string | undefined {
  // `{path}` of the contents API may contain slashes; other parameters may not.
  const candidates = templates.filter((t) => {
    if (t.template.endsWith("{path}")) {
      const prefix = t.template.slice(0, -"{path}".length).replace(/\{[^}]+\}/g, "[^/]+");
      return new RegExp(`^${prefix}.+$`).test(pathname);
    }
    return t.pattern.test(pathname);
  });
  return candidates.sort((a, b) => a.params - b.params)[0]?.template;
}

const compiled = new Map<string, ValidateFunction>();
function validator(ref: string, schema: unknown): ValidateFunction {
  let v = compiled.get(ref);
  if (!v) {
    v = schema === undefined ? ajv.compile({ $ref: ref }) : ajv.compile(schema as object);
    compiled.set(ref, v);
  }
  return v;
}

const escapePointer = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

export function contractErrors(
  method: string,
  pathname: string,
  query: URLSearchParams,
  body: unknown,
): string[] {
  const m = method.toLowerCase();
  const template = matchTemplate(decodeURIComponent(pathname));
  if (!template) return [`${method} ${pathname}: no such path in GitHub's API description`];
  const op = spec.paths[template]![m];
  if (!op) return [`${method} ${template}: no such operation in GitHub's API description`];
  const errors: string[] = [];

  const declared = new Map<string, unknown>();
  for (const p of op.parameters ?? []) {
    const param = p.$ref ? spec.components.parameters?.[p.$ref.split("/").pop()!] : p;
    if (param && param.in === "query") declared.set(param.name!, param.schema);
  }
  for (const [name, raw] of query) {
    if (!declared.has(name)) {
      errors.push(`${method} ${template}: undeclared query parameter ${name}`);
      continue;
    }
    const schema = declared.get(name) as { type?: string } | undefined;
    const value = schema?.type === "integer" || schema?.type === "number" ? Number(raw) : raw;
    const v = validator(`query:${template}:${name}`, schema ?? {});
    if (!v(value)) errors.push(`${method} ${template}: query ${name}=${raw}: ${ajv.errorsText(v.errors)}`);
  }

  const hasBody = body !== undefined && body !== null && !(typeof body === "string" && body === "");
  const json = op.requestBody?.content?.["application/json"];
  if (hasBody && !json) errors.push(`${method} ${template}: takes no JSON body`);
  if (json) {
    const ref = `gh#/paths/${escapePointer(template)}/${m}/requestBody/content/application~1json/schema`;
    const v = validator(ref, undefined);
    const parsed = typeof body === "string" ? JSON.parse(body) : (body ?? {});
    if (!v(parsed))
      errors.push(`${method} ${template}: body: ${ajv.errorsText(v.errors, { dataVar: "body" })}`);
  }
  return errors;
}
