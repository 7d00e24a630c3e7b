/**
 * Evidence never repeats a secret: at most its first 4 characters and its length.
 * Every output (comments, check runs, JSON, SARIF, logs) shows only this form.
 */
export function redactSecret(secret: string): string {
  const chars = [...secret];
  const prefix = chars.length > 8 ? chars.slice(0, 4).join("") : "";
  return `${prefix}…(${chars.length} chars)`;
}
