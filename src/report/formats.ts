import { ruleCatalog } from "../review/rules.js";
import type { Review } from "../review/types.js";
import { TOLLGATE_VERSION } from "../version.js";
import { renderCodeQuality } from "./codequality.js";
import { renderJson } from "./json.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import { renderSarif } from "./sarif.js";
import { renderText } from "./text.js";

/**
 * Every `--format` the command line offers, in one place, so `tollgate review`
 * and `tollgate pr` (and the GitHub Action) print a review the same way.
 */

export const FORMATS = ["text", "json", "sarif", "markdown", "codequality", "junit"] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

export interface FormatOptions {
  color?: boolean;
  docsBaseUrl?: string;
}

export function renderFormat(format: Format, review: Review, options: FormatOptions = {}): string {
  switch (format) {
    case "json":
      return renderJson(review);
    case "sarif":
      return renderSarif(review, {
        catalog: ruleCatalog(),
        toolVersion: TOLLGATE_VERSION,
        ...(options.docsBaseUrl ? { docsBaseUrl: options.docsBaseUrl } : {}),
      });
    case "markdown":
      return `${renderMarkdown(review, options.docsBaseUrl ? { docsBaseUrl: options.docsBaseUrl } : {})}\n`;
    case "codequality":
      return renderCodeQuality(review);
    case "junit":
      return renderJunit(review);
    default:
      return renderText(review, { color: options.color ?? false });
  }
}
