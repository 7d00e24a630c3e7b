/**
 * The string syntaxes of a Compose file that YAML leaves as one scalar: port
 * publications (`"127.0.0.1:5432:5432"`, `"5000-5010:5000-5010/udp"`),
 * short-syntax volumes (`/var/run/docker.sock:/var/run/docker.sock:ro`) and
 * `${VAR}` interpolation. Each reader is one left-to-right pass; what it
 * cannot read is `undefined`, never a guess, because Compose itself would
 * refuse the file or decide the value only at run time.
 */

/** Longest scalar read; a port or volume longer than this is not one a person wrote. */
const MAX_SPEC = 4_096;

/**
 * `$VAR`, `${VAR}`, `${VAR:-default}`, … make the value unknowable from the
 * file (`$$` is a literal `$`). Compose reads the environment and `.env` at
 * run time; Tollgate never does.
 */
export function hasInterpolation(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== "$") continue;
    const next = value[i + 1];
    if (next === "$") {
      i++;
      continue;
    }
    if (next === "{" || (next !== undefined && /[A-Za-z_]/.test(next))) return true;
  }
  return false;
}

/**
 * Splits on `:` outside `${…}` (whose defaults contain colons: `${IP:-127.0.0.1}`)
 * and outside `[…]` (an IPv6 address). Braces nest; an unclosed one swallows the rest.
 */
function splitColons(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let bracket = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "$" && value[i + 1] === "{") {
      depth++;
      i++;
    } else if (c === "}" && depth > 0) depth--;
    else if (c === "[" && depth === 0) bracket = true;
    else if (c === "]" && depth === 0) bracket = false;
    else if (c === ":" && depth === 0 && !bracket) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}

export interface PortRange {
  start: number;
  end: number;
}

export interface PortSpec {
  /** The host address, brackets removed; `undefined` when none is written (every interface). */
  hostIp?: string;
  /** `undefined`: a random host port. */
  published?: PortRange;
  target: PortRange;
  protocol: string;
  /** Some part is `${…}`: the parts that are interpolated are `unknown`. */
  unknown: { hostIp: boolean; published: boolean; target: boolean };
}

/** `5432`, `5000-5010`; `undefined` for anything else. */
export function parsePortRange(text: string): PortRange | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start > 65_535 || end > 65_535 || end < start) return undefined;
  return { start, end };
}

/**
 * Reads the short port syntax, `[[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL]`, as
 * Docker's `nat.ParsePortSpec` splits it: the last part is the container
 * port, the one before it the host port, everything before that the host
 * address (so `::1:5432:5432` and `[::1]:5432:5432` both bind `::1`).
 */
export function parsePortSpec(raw: string): PortSpec | undefined {
  const text = raw.trim();
  if (text.length === 0 || text.length > MAX_SPEC) return undefined;
  let body = text;
  let protocol = "tcp";
  const slash = text.lastIndexOf("/");
  if (slash !== -1 && !hasInterpolation(text.slice(slash))) {
    protocol = text.slice(slash + 1).toLowerCase();
    body = text.slice(0, slash);
  }
  const parts = splitColons(body);
  const targetText = parts[parts.length - 1]!;
  const publishedText = parts.length >= 2 ? parts[parts.length - 2]! : undefined;
  const ipText = parts.length >= 3 ? parts.slice(0, -2).join(":") : undefined;
  const unknown = {
    hostIp: ipText !== undefined && hasInterpolation(ipText),
    published: publishedText !== undefined && hasInterpolation(publishedText),
    target: hasInterpolation(targetText),
  };
  const target = unknown.target ? { start: 0, end: 0 } : parsePortRange(targetText);
  if (!target) return undefined;
  let published: PortRange | undefined;
  if (publishedText !== undefined && publishedText !== "" && !unknown.published) {
    published = parsePortRange(publishedText);
    if (!published) return undefined;
  }
  const spec: PortSpec = { target, protocol, unknown };
  if (published) spec.published = published;
  if (ipText !== undefined && ipText !== "") spec.hostIp = ipText.replace(/^\[(.*)\]$/, "$1");
  return spec;
}

/**
 * Whether a host address keeps a published port on the machine itself:
 * 127.0.0.0/8, `::1`, and the IPv4-mapped form of a loopback address.
 */
export function isLoopbackAddress(ip: string): boolean {
  const a = ip
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
  if (a === "::1" || a === "0:0:0:0:0:0:0:1" || a === "localhost") return true;
  const v4 = a.replace(/^::ffff:/, "");
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v4);
  return m !== null && m[1] === "127" && m.slice(2).every((x) => Number(x) <= 255);
}

/** `0.0.0.0`, `::` and no address at all: every interface of the host. */
export function isAllInterfaces(ip: string | undefined): boolean {
  if (ip === undefined) return true;
  const a = ip.trim().toLowerCase();
  return a === "" || a === "0.0.0.0" || a === "::" || a === "0:0:0:0:0:0:0:0";
}

export interface VolumeSpec {
  /** Host path or named volume; `undefined` for an anonymous volume (`- /data`). */
  source?: string;
  target: string;
  /** `ro`, `rw,z`, …: the third part. */
  mode?: string;
}

/**
 * Reads the short volume syntax `[SOURCE:]TARGET[:MODE]`, keeping a Windows
 * drive (`C:\data:/data`) and `${…}` defaults in one part.
 */
export function parseVolumeSpec(raw: string): VolumeSpec | undefined {
  const text = raw.trim();
  if (text.length === 0 || text.length > MAX_SPEC) return undefined;
  const parts = splitColons(text);
  const joined: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const next = parts[i + 1];
    // `C` followed by `\…` or `/…` is a drive letter, not a separator.
    if (/^[A-Za-z]$/.test(p) && next !== undefined && /^[\\/]/.test(next)) {
      joined.push(`${p}:${next}`);
      i++;
    } else joined.push(p);
  }
  if (joined.length === 1) return { target: joined[0]! };
  if (joined.length === 2) return { source: joined[0]!, target: joined[1]! };
  if (joined.length === 3) return { source: joined[0]!, target: joined[1]!, mode: joined[2]! };
  return undefined;
}

/**
 * Whether a volume source is a path on the host (a bind mount) rather than a
 * named volume: absolute, relative (`./`, `../`, `.`), home (`~`), a Windows
 * drive or UNC path, or a variable (`${HOME}/…`), which Compose only accepts
 * as a path.
 */
export function isHostPathSource(source: string): boolean {
  return /^(\/|\.{1,2}(\/|\\|$)|~|[A-Za-z]:[\\/]|\\\\|\$)/.test(source.trim());
}
