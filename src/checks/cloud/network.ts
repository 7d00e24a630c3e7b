import { type CloudValue, knownInteger, knownString } from "./value.js";

/**
 * Network exposure shared by the cloud families: which sources mean "the whole
 * internet", and which port ranges reach administration or database services.
 */

/** `0.0.0.0/0`, `::/0` and any other prefix of length 0 (`10.0.0.0/0` is the whole internet too). */
export function isOpenCidr(value: CloudValue | undefined): boolean {
  const text = knownString(value)?.trim();
  if (text === undefined) return false;
  const m = /^([0-9a-fA-F:.]+)\/0+$/.exec(text);
  if (!m) return false;
  const address = m[1] ?? "";
  return (
    /^\d{1,3}(\.\d{1,3}){3}$/.test(address) || (address.includes(":") && /^[0-9a-fA-F:.]+$/.test(address))
  );
}

/** Ports that serve remote administration or a database, by the service a reviewer will recognise. */
export const ADMIN_PORTS: ReadonlyMap<number, string> = new Map([
  [22, "SSH"],
  [23, "Telnet"],
  [445, "SMB"],
  [1433, "SQL Server"],
  [1521, "Oracle"],
  [2375, "Docker API"],
  [2376, "Docker API"],
  [3306, "MySQL"],
  [3389, "RDP"],
  [5432, "PostgreSQL"],
  [5601, "Kibana"],
  [5900, "VNC"],
  [5984, "CouchDB"],
  [6379, "Redis"],
  [9042, "Cassandra"],
  [9200, "Elasticsearch"],
  [9300, "Elasticsearch"],
  [11211, "Memcached"],
  [27017, "MongoDB"],
]);

const ADMIN_PORT_LIST = [...ADMIN_PORTS].map(([port, service]) => ({ port, service }));

export interface PortRange {
  from: number;
  to: number;
}

export interface PortExposure {
  /** Every port (protocol `-1`/`all`, or 0–65535). */
  allPorts: boolean;
  /** The administration and database ports in the range, lowest first. */
  ports: ReadonlyArray<{ port: number; service: string }>;
}

type Protocol = "all" | "ports" | "other";

function protocolKind(protocol: CloudValue | undefined): Protocol | undefined {
  if (protocol === undefined) return "ports";
  const text = knownString(protocol)?.trim().toLowerCase();
  if (text === undefined) return undefined;
  if (text === "-1" || text === "all" || text === "*" || text === "any" || text === "asterisk") return "all";
  if (text === "tcp" || text === "udp" || text === "6" || text === "17") return "ports";
  return "other";
}

/** `"22"`, `"8000-9000"`, `"*"` (Azure, GCP): the range, or `undefined` when it is not one. */
export function parsePortRange(text: string): PortRange | undefined {
  const t = text.trim();
  if (t === "*") return { from: 0, to: 65535 };
  const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(t);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  return from <= to && to <= 65535 ? { from, to } : undefined;
}

/** What a port range exposes: all ports, or the admin/database ports inside it. */
export function rangeExposure(range: PortRange): PortExposure {
  const from = Math.max(range.from, 0);
  const to = Math.min(range.to, 65535);
  if (from <= 1 && to >= 65535) return { allPorts: true, ports: [] };
  const ports = ADMIN_PORT_LIST.filter(({ port }) => port >= from && port <= to);
  return { allPorts: false, ports };
}

/**
 * What several port ranges written as text (`["22", "8000-9000"]`, Azure's
 * `destination_port_ranges`, GCP's `ports`) expose together; `undefined` when
 * none is sensitive or one is unknown or unreadable.
 */
export function rangesExposure(ranges: readonly CloudValue[]): PortExposure | undefined {
  const ports = new Map<number, string>();
  for (const value of ranges) {
    const text = knownString(value);
    const range = text === undefined ? undefined : parsePortRange(text);
    if (!range) return undefined;
    const exposure = rangeExposure(range);
    if (exposure.allPorts) return exposure;
    for (const p of exposure.ports) ports.set(p.port, p.service);
  }
  if (ports.size === 0) return undefined;
  return {
    allPorts: false,
    ports: [...ports].sort((a, b) => a[0] - b[0]).map(([port, service]) => ({ port, service })),
  };
}

/**
 * What an ingress rule (protocol, from port, to port) exposes; `undefined`
 * when nothing sensitive is, or when a value is unknown. With protocol `-1`
 * the ports do not matter; ICMP and other protocols expose no port.
 */
export function exposedPorts(
  protocol: CloudValue | undefined,
  fromPort: CloudValue | undefined,
  toPort: CloudValue | undefined,
): PortExposure | undefined {
  const kind = protocolKind(protocol);
  if (kind === "all") return { allPorts: true, ports: [] };
  if (kind !== "ports") return undefined;
  const from = knownInteger(fromPort);
  const to = knownInteger(toPort ?? fromPort);
  if (from === undefined || to === undefined) return undefined;
  const exposure = from === -1 && to === -1 ? { allPorts: true, ports: [] } : rangeExposure({ from, to });
  return exposure.allPorts || exposure.ports.length > 0 ? exposure : undefined;
}

/** "all ports", "port 22 (SSH)", "ports 22 (SSH), 3389 (RDP)". */
export function describeExposure(exposure: PortExposure): string {
  if (exposure.allPorts) return "all ports";
  const list = exposure.ports.map((p) => `${p.port} (${p.service})`);
  return `${list.length === 1 ? "port" : "ports"} ${list.join(", ")}`;
}
