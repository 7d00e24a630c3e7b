import type { Advisory, AdvisoryQuery, AdvisorySource, ReviewServices } from "../../src/checks/types.js";
import { type OsvRecord, toAdvisory } from "../../src/services/osv-mapping.js";
import { STANDARD_RECORDS } from "./osv-server.js";

/**
 * Services for rule examples: offline stand-ins (e.g. a fixed advisory source),
 * so examples never touch the network.
 */
export function exampleServices(): ReviewServices {
  return { advisories: fixtureAdvisories() };
}

/**
 * An in-memory advisory source over real-shaped OSV records (lodash 4.17.20 →
 * GHSA-35jh-r3h4-6jhm fixed in 4.17.21, `expresss` → MAL-2024-1234, requests
 * 2.28.1 → GHSA-j8r2-6x86-q33q), turned into advisories by the same code the
 * OSV client uses. It records every call so tests can count look-ups.
 */
export function fixtureAdvisories(
  records: ReadonlyArray<{ record: OsvRecord; affects: string[] }> = STANDARD_RECORDS,
): AdvisorySource & { calls: AdvisoryQuery[][] } {
  const calls: AdvisoryQuery[][] = [];
  return {
    calls,
    async lookup(queries: AdvisoryQuery[]): Promise<Advisory[][]> {
      calls.push(queries);
      return queries.map((q) =>
        records
          .filter((r) => r.affects.includes(`${q.ecosystem}/${q.name}@${q.version}`))
          .map((r) => toAdvisory(r.record.id, r.record, q)),
      );
    },
  };
}
