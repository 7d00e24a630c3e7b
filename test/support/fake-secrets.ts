/**
 * Rule examples and fixtures must not contain realistic secrets (the project
 * itself would trip secret scanners and push protection). Examples write
 * placeholders that are expanded here, at test time, by concatenation.
 *
 * `{{fake:<kind>}}` expands to a format-valid fake credential of that kind.
 */
const fakes: Record<string, () => string> = {};

export function registerFake(kind: string, make: () => string): void {
  fakes[kind] = make;
}

export function expandFakes(text: string): string {
  return text.replace(/\{\{fake:([a-z0-9-]+)\}\}/g, (whole, kind: string) => {
    const make = fakes[kind];
    if (!make) throw new Error(`unknown fake secret kind "${kind}" in ${whole}`);
    return make();
  });
}
