import { describe, expect, it } from "vitest";
import {
  describeExposure,
  exposedPorts,
  isOpenCidr,
  parsePortRange,
  rangeExposure,
  UNKNOWN,
} from "../../../src/checks/cloud/index.js";

describe("open CIDRs", () => {
  it("knows the whole internet in both families", () => {
    for (const v of ["0.0.0.0/0", "::/0", "0::/0", " 0.0.0.0/0 ", "10.0.0.0/0"])
      expect(isOpenCidr(v)).toBe(true);
    for (const v of ["10.0.0.0/8", "0.0.0.0/1", "0.0.0.0", "::/128", "*", UNKNOWN, undefined])
      expect(isOpenCidr(v)).toBe(false);
  });
});

describe("exposed ports", () => {
  it("protocol -1 / all exposes every port whatever the range", () => {
    expect(exposedPorts("-1", UNKNOWN, UNKNOWN)).toEqual({ allPorts: true, ports: [] });
    expect(exposedPorts(-1, 0, 0)).toEqual({ allPorts: true, ports: [] });
    expect(exposedPorts("all", undefined, undefined)).toEqual({ allPorts: true, ports: [] });
  });

  it("finds admin and database ports in a range", () => {
    expect(exposedPorts("tcp", 22, 22)).toEqual({ allPorts: false, ports: [{ port: 22, service: "SSH" }] });
    expect(describeExposure(exposedPorts("tcp", "3300", "3400")!)).toBe("ports 3306 (MySQL), 3389 (RDP)");
    expect(exposedPorts("tcp", 0, 65535)?.allPorts).toBe(true);
    expect(exposedPorts("6", 1, 65535)?.allPorts).toBe(true);
    expect(exposedPorts("tcp", -1, -1)?.allPorts).toBe(true);
  });

  it("is silent on web ports, ICMP and unknown ports", () => {
    expect(exposedPorts("tcp", 443, 443)).toBeUndefined();
    expect(exposedPorts("tcp", 80, 80)).toBeUndefined();
    expect(exposedPorts("icmp", -1, -1)).toBeUndefined();
    expect(exposedPorts("tcp", UNKNOWN, 22)).toBeUndefined();
    expect(exposedPorts(UNKNOWN, 22, 22)).toBeUndefined();
  });

  it("parses Azure and GCP port ranges", () => {
    expect(parsePortRange("22")).toEqual({ from: 22, to: 22 });
    expect(parsePortRange("1000 - 2000")).toEqual({ from: 1000, to: 2000 });
    expect(parsePortRange("*")).toEqual({ from: 0, to: 65535 });
    expect(parsePortRange("70000")).toBeUndefined();
    expect(parsePortRange("abc")).toBeUndefined();
    expect(rangeExposure({ from: 5000, to: 7000 }).ports.map((p) => p.port)).toEqual([
      5432, 5601, 5900, 5984, 6379,
    ]);
  });
});
