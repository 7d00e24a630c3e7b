/** One measured figure of `npm run bench`. */
export interface BenchLine {
  /** What was measured, e.g. "secrets: added lines". */
  name: string;
  value: number;
  unit: "ms" | "MB/s" | "files/s" | "MB" | "lines/s" | "count";
  /** The target the issue sets, for the report (e.g. "≥ 25 MB/s"). */
  target?: string;
  /** Whether the figure meets the target. */
  ok?: boolean;
}
