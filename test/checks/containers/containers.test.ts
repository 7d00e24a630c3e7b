import { describe, expect, it } from "vitest";
import {
  dangerousCapability,
  imagePinning,
  literalSecret,
  normalizeHostPath,
  runtimeSocketOf,
  sensitiveHostPath,
} from "../../../src/checks/containers/index.js";

describe("shared container predicates", () => {
  it("names dangerous capabilities however they are spelled", () => {
    expect(dangerousCapability("SYS_ADMIN")).toMatch(/escape/);
    expect(dangerousCapability("cap_sys_admin")).toMatch(/escape/);
    expect(dangerousCapability(" all ")).toBeDefined();
    expect(dangerousCapability("NET_BIND_SERVICE")).toBeUndefined();
    expect(dangerousCapability("CHOWN")).toBeUndefined();
  });

  it("recognises runtime sockets through path tricks", () => {
    expect(runtimeSocketOf("/var/run/docker.sock")).toBe("Docker");
    expect(runtimeSocketOf("//var/run/./docker.sock/")).toBe("Docker");
    expect(runtimeSocketOf("/run/containerd/containerd.sock")).toBe("containerd");
    expect(runtimeSocketOf("/var/run/crio/crio.sock")).toBe("CRI-O");
    expect(runtimeSocketOf("/run/podman/podman.sock")).toBe("Podman");
    expect(runtimeSocketOf("/run/user/1000/podman/podman.sock")).toBe("Podman or rootless Docker");
    expect(runtimeSocketOf("/var/run")).toBeUndefined();
    expect(runtimeSocketOf("/var/run/dockerx.sock")).toBeUndefined();
    expect(normalizeHostPath("/a/b/../c")).toBe("/a/c");
    expect(normalizeHostPath("data")).toBe("data");
  });

  it("knows the sensitive host directories and what lies below them", () => {
    expect(sensitiveHostPath("/")).toMatch(/whole filesystem/);
    expect(sensitiveHostPath("/etc")).toMatch(/configuration/);
    expect(sensitiveHostPath("/etc/kubernetes/pki")).toMatch(/control plane/);
    expect(sensitiveHostPath("/proc/sys/kernel")).toMatch(/process/);
    expect(sensitiveHostPath("/var/lib/kubelet/pods")).toMatch(/kubelet/);
    expect(sensitiveHostPath("/etc/ssl/certs")).toBeUndefined();
    expect(sensitiveHostPath("/data/cache")).toBeUndefined();
    expect(sensitiveHostPath("/tmp")).toBeUndefined();
    expect(sensitiveHostPath("relative")).toBeUndefined();
  });

  it("reads image pinning with the Dockerfile reader", () => {
    expect(imagePinning("nginx").kind).toBe("untagged");
    expect(imagePinning("nginx:latest").kind).toBe("latest");
    expect(imagePinning("localhost:5000/app").kind).toBe("untagged");
    expect(imagePinning("ghcr.io/acme/app:1.2").kind).toBe("tag");
    expect(imagePinning("nginx@sha256:abc").kind).toBe("digest");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell/Compose variable reference in the reviewed value, not a JS template
    expect(imagePinning("${IMAGE}").kind).toBe("unresolved");
    expect(imagePinning("{{ .Values.image }}").kind).toBe("unresolved");
    expect(imagePinning("").kind).toBe("unresolved");
  });

  it("decides literal secrets as the secrets family does, and never echoes them", () => {
    const found = literalSecret("DB_PASSWORD", "s3cr3t-Value-123456");
    expect(found?.evidence).toBe("DB_PASSWORD=s3cr…(19 chars)");
    expect(found?.evidence).not.toContain("Value");
    expect(found?.digest).toMatch(/^[0-9a-f]{16}$/);
    expect(literalSecret("DB_PASSWORD", "changeme")).toBeUndefined();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell/Compose variable reference in the reviewed value, not a JS template
    expect(literalSecret("DB_PASSWORD", "${DB_PASSWORD}")).toBeUndefined();
    expect(literalSecret("LOG_LEVEL", "debug-verbose")).toBeUndefined();
    expect(literalSecret("API_TOKEN", undefined)).toBeUndefined();
  });
});
