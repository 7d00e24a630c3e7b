import { isMap, isScalar, type Node } from "yaml";
import {
  hasInterpolation,
  isAllInterfaces,
  type PortRange,
  type PortSpec,
  parsePortRange,
  parsePortSpec,
} from "../../formats/compose.js";
import { mapGet, scalarText, seqItems } from "../../formats/yaml.js";
import type { RawFinding, Severity } from "../../review/types.js";
import { defineCheck } from "../define.js";
import { finding, onServices, type ServiceInput } from "./common.js";
import { fieldLayers, inherited, serviceAnchor } from "./model.js";

/**
 * Container ports of databases, caches, brokers and administration APIs:
 * services that hold data or run commands and that often listen without a
 * password in development images. docs/compose.md lists the same ports;
 * a test keeps the two equal. Web ports (80, 443, 8080, …) are meant to be
 * published and are not here.
 */
export const DATABASE_PORTS: ReadonlyMap<number, string> = new Map([
  [1433, "SQL Server"],
  [1521, "Oracle Database"],
  [2181, "ZooKeeper"],
  [2375, "the Docker Engine API without TLS"],
  [2379, "etcd (client API)"],
  [2380, "etcd (peer API)"],
  [3050, "Firebird"],
  [3306, "MySQL / MariaDB"],
  [4222, "NATS"],
  [5432, "PostgreSQL"],
  [5672, "RabbitMQ (AMQP)"],
  [5984, "CouchDB"],
  [6379, "Redis / Valkey"],
  [7474, "Neo4j (HTTP)"],
  [7687, "Neo4j (Bolt)"],
  [8086, "InfluxDB"],
  [8091, "Couchbase"],
  [8123, "ClickHouse (HTTP)"],
  [8500, "Consul (HTTP API)"],
  [8529, "ArangoDB"],
  [9042, "Cassandra / ScyllaDB (CQL)"],
  [9092, "Kafka"],
  [9200, "Elasticsearch / OpenSearch (HTTP)"],
  [9300, "Elasticsearch (transport)"],
  [10250, "the kubelet API"],
  [11211, "Memcached"],
  [15672, "RabbitMQ (management UI)"],
  [26257, "CockroachDB"],
  [26379, "Redis Sentinel"],
  [27017, "MongoDB"],
  [27018, "MongoDB (shard)"],
  [27019, "MongoDB (config server)"],
  [28015, "RethinkDB"],
  [50000, "Db2"],
]);

/** The Docker Engine API without TLS is root on the host for whoever reaches it. */
const SEVERITY: ReadonlyMap<number, Severity> = new Map([[2375, "critical"]]);

interface Publication {
  node: Node;
  target: PortRange;
  /** Undefined: a random host port; null: written as a variable. */
  published: PortRange | undefined | null;
  hostIp?: string;
}

/** A database or administration port published on every interface of the host. */
export const exposedDatabasePort = defineCheck({
  kind: "snapshot",
  name: "compose/exposed-database-port",
  families: ["compose"],
  rules: ["compose/exposed-database-port"],
  run: onServices((input) => {
    const { service } = input;
    const out: RawFinding[] = [];
    const seen = new Set<number>();
    // The service's own ports first: its line is the one to show when a base publishes the same port.
    for (const layer of fieldLayers(service, "ports").reverse()) {
      for (const item of seqItems(service.doc, layer.value)) {
        const p = publicationOf(input, item);
        if (!p || !isAllInterfaces(p.hostIp)) continue;
        const port = knownPortIn(p.target);
        if (port === undefined || seen.has(port)) continue;
        seen.add(port);
        out.push(report(input, p, port, inherited(service, layer.from)));
      }
    }
    return out;
  }),
});

function report(input: ServiceInput, p: Publication, port: number, from: string): RawFinding {
  const name = DATABASE_PORTS.get(port)!;
  const host =
    p.published === undefined
      ? "a random host port"
      : p.published === null
        ? "a host port set by a variable"
        : p.published.start === p.published.end
          ? `host port ${p.published.start}`
          : `host ports ${p.published.start}-${p.published.end}`;
  const where = p.hostIp === undefined ? "every interface of the host" : `\`${p.hostIp}\` (every interface)`;
  const severity = SEVERITY.get(port);
  return finding(input, {
    ruleId: "compose/exposed-database-port",
    node: p.node,
    message: `Service \`${input.service.name}\` publishes container port ${port} (${name}) on ${host} on ${where}${from}: anyone who can reach the machine reaches it, and Docker's published ports bypass host firewalls such as ufw.`,
    anchor: `${serviceAnchor(input.service)}/ports/${port}`,
    fix: `Bind it to the host's loopback (\`"127.0.0.1:${p.published && p.published.start === p.published.end ? p.published.start : port}:${port}"\`), or drop \`ports:\` and reach it over the Compose network.`,
    ...(severity ? { severity } : {}),
  });
}

function knownPortIn(range: PortRange): number | undefined {
  if (range.start === range.end) return DATABASE_PORTS.has(range.start) ? range.start : undefined;
  for (const port of DATABASE_PORTS.keys()) if (port >= range.start && port <= range.end) return port;
  return undefined;
}

/** One `ports:` item in the short (`"127.0.0.1:5432:5432"`, `5432`) or the long syntax. */
function publicationOf(input: ServiceInput, item: Node): Publication | undefined {
  const doc = input.service.doc;
  if (isScalar(item)) {
    const text = scalarText(item);
    const spec: PortSpec | undefined = text === undefined ? undefined : parsePortSpec(text);
    if (!spec || spec.unknown.target || spec.unknown.hostIp) return undefined;
    const out: Publication = {
      node: item,
      target: spec.target,
      published: spec.unknown.published ? null : spec.published,
    };
    if (spec.hostIp !== undefined) out.hostIp = spec.hostIp;
    return out;
  }
  if (!isMap(item)) return undefined;
  const targetText = scalarText(mapGet(doc, item, "target"));
  if (targetText === undefined || hasInterpolation(targetText)) return undefined;
  const target = parsePortRange(targetText);
  if (!target) return undefined;
  const ip = scalarText(mapGet(doc, item, "host_ip"));
  if (ip !== undefined && hasInterpolation(ip)) return undefined;
  const publishedText = scalarText(mapGet(doc, item, "published"));
  const published =
    publishedText === undefined
      ? undefined
      : hasInterpolation(publishedText)
        ? null
        : parsePortRange(publishedText);
  const targetNode = mapGet(doc, item, "published") ?? mapGet(doc, item, "target") ?? item;
  const out: Publication = { node: targetNode, target, published };
  if (ip !== undefined) out.hostIp = ip;
  return out;
}
