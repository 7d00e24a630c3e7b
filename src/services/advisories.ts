/**
 * The advisory source the engine is handed (a port: `osv.ts` is the adapter
 * that talks HTTP). Defined here, below `checks/`, so that the client does
 * not import from the checks that use it; `checks/types.ts` re-exports these.
 */

export interface AdvisoryQuery {
  ecosystem: string;
  name: string;
  version: string;
}

export interface Advisory {
  id: string;
  aliases: string[];
  summary: string;
  /** Normalised from the record's severity data; undefined when the record has none. */
  severity?: "critical" | "high" | "medium" | "low";
  /** First fixed version for the queried package, when the record names one. */
  fixed?: string;
  malicious: boolean;
  url?: string;
}

export interface AdvisorySource {
  /** Advisories per query, same order as the input. Throws AdvisoryUnavailable when the source cannot answer. */
  lookup(queries: AdvisoryQuery[]): Promise<Advisory[][]>;
}

export class AdvisoryUnavailable extends Error {}
