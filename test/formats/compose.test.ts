// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose text uses ${VAR}
import { describe, expect, it } from "vitest";
import {
  hasInterpolation,
  isAllInterfaces,
  isHostPathSource,
  isLoopbackAddress,
  parsePortSpec,
  parseVolumeSpec,
} from "../../src/formats/compose.js";

describe("Compose port syntax", () => {
  it.each([
    ["5432", { target: { start: 5432, end: 5432 } }],
    ["5432:5432", { published: { start: 5432, end: 5432 }, target: { start: 5432, end: 5432 } }],
    ["127.0.0.1:5432:5432", { hostIp: "127.0.0.1", published: { start: 5432, end: 5432 } }],
    ["[::1]:5432:5432", { hostIp: "::1" }],
    ["::1:5432:5432", { hostIp: "::1" }],
    ["0.0.0.0:8000-8010:8000-8010", { hostIp: "0.0.0.0", target: { start: 8000, end: 8010 } }],
    ["6060:6060/udp", { protocol: "udp" }],
    ["127.0.0.1::5432", { hostIp: "127.0.0.1", target: { start: 5432, end: 5432 } }],
  ])("%s", (text, expected) => {
    expect(parsePortSpec(text)).toMatchObject(expected);
  });

  it("keeps interpolation whole and marks the parts it decides as unknown", () => {
    expect(parsePortSpec("${BIND:-127.0.0.1}:5432:5432")).toMatchObject({
      hostIp: "${BIND:-127.0.0.1}",
      unknown: { hostIp: true, published: false, target: false },
    });
    expect(parsePortSpec("${PORT:-5432}:5432")?.unknown).toEqual({
      hostIp: false,
      published: true,
      target: false,
    });
    expect(parsePortSpec("5432:${PG_PORT}")?.unknown.target).toBe(true);
  });

  it("refuses what is not a port publication", () => {
    for (const bad of ["", "abc", "70000", "5:4:3:2x", "5010-5000", "a:5432"])
      expect(parsePortSpec(bad)).toBeUndefined();
  });

  it("tells loopback from every interface", () => {
    for (const ip of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "::ffff:127.0.0.1", "localhost"])
      expect(isLoopbackAddress(ip), ip).toBe(true);
    for (const ip of ["0.0.0.0", "::", "10.0.0.5", "128.0.0.1", "127.0.0.256"])
      expect(isLoopbackAddress(ip), ip).toBe(false);
    expect(isAllInterfaces(undefined)).toBe(true);
    expect(isAllInterfaces("0.0.0.0")).toBe(true);
    expect(isAllInterfaces("::")).toBe(true);
    expect(isAllInterfaces("10.0.0.5")).toBe(false);
  });
});

describe("Compose volume syntax", () => {
  it("reads source, target and mode, Windows drives and interpolation", () => {
    expect(parseVolumeSpec("/var/run/docker.sock:/var/run/docker.sock:ro")).toEqual({
      source: "/var/run/docker.sock",
      target: "/var/run/docker.sock",
      mode: "ro",
    });
    expect(parseVolumeSpec("/data")).toEqual({ target: "/data" });
    expect(parseVolumeSpec("C:\\data:/data")).toEqual({ source: "C:\\data", target: "/data" });
    expect(parseVolumeSpec("${HOME:-/root}/.aws:/root/.aws")).toEqual({
      source: "${HOME:-/root}/.aws",
      target: "/root/.aws",
    });
    expect(parseVolumeSpec("a:b:c:d")).toBeUndefined();
  });

  it("tells host paths from named volumes", () => {
    for (const s of ["/etc", "./data", "../x", ".", "~/.ssh", "C:\\x", "\\\\server\\share", "${PWD}/x"])
      expect(isHostPathSource(s), s).toBe(true);
    for (const s of ["data", "db-data", "my_volume"]) expect(isHostPathSource(s), s).toBe(false);
  });

  it("recognises interpolation but not the $$ escape", () => {
    expect(hasInterpolation("${A}")).toBe(true);
    expect(hasInterpolation("$A")).toBe(true);
    expect(hasInterpolation("a$$b")).toBe(false);
    expect(hasInterpolation("cost: 5$")).toBe(false);
  });
});
