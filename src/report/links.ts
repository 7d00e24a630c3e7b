/** Where rule documentation lives; every output links a rule id to its page. */
export const DEFAULT_DOCS_BASE_URL = "https://github.com/tollgate-app/tollgate/blob/main/docs/rules/";

export function ruleDocUrl(ruleId: string, baseUrl: string = DEFAULT_DOCS_BASE_URL): string {
  const base = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
  return `${base}${ruleId}.md`;
}
