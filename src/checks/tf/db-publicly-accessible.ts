import { defineCheck } from "../define.js";
import { isTrue } from "./model.js";
import { onModules, tfFinding } from "./module-check.js";

const TYPES = [
  "aws_db_instance",
  "aws_rds_cluster_instance",
  "aws_redshift_cluster",
  "aws_dms_replication_instance",
];

/** Databases and replication instances given a public address (`publicly_accessible = true`). */
export const awsDbPubliclyAccessible = defineCheck({
  kind: "review",
  name: "tf/aws-db-publicly-accessible",
  families: ["tf"],
  rules: ["tf/aws-db-publicly-accessible"],
  run: onModules((mod) =>
    mod.resourcesOf(...TYPES).flatMap((r) => {
      const a = r.attr("publicly_accessible");
      if (!a || !isTrue(a)) return [];
      return [
        tfFinding(
          "tf/aws-db-publicly-accessible",
          a.loc,
          `${r.address}:publicly_accessible`,
          `${r.address} is publicly accessible: it gets an address reachable from the internet.`,
        ),
      ];
    }),
  ),
});
