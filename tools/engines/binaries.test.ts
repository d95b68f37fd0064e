import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { atLeast, EngineError, engineBinary, PINNED, pinnedPlatform, sha256 } from "./binaries.ts";
import { readFileSync } from "node:fs";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A shell script standing in for a binary that prints a given version (a too-old Helm, say). */
function fakeBinary(name: string, script: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-engine-"));
  dirs.push(dir);
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return file;
}

function withEnv<T>(env: Record<string, string | undefined>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe("pinned binaries", () => {
  test.runIf(pinnedPlatform())("GIVEN linux-amd64 WHEN resolved THEN the unpacked binaries match the recorded digests and report their versions", () => {
    const helm = withEnv({ GITOPS_HELM: undefined, PATH: "" }, () => engineBinary("helm"));
    const kubectl = withEnv({ GITOPS_KUBECTL: undefined, PATH: "" }, () => engineBinary("kubectl"));
    expect(helm).toMatchObject({ from: "pinned", version: "v4.1.4" });
    expect(kubectl).toMatchObject({ from: "pinned", version: "v1.35.2", kustomize: "v5.7.1" });
    expect(sha256(readFileSync(helm.path))).toBe(PINNED.helm.sha256);
    expect(sha256(readFileSync(kubectl.path))).toBe(PINNED.kubectl.sha256);
    // They run without anything on the PATH.
    const r = spawnSync(kubectl.path, ["version", "--client", "-o", "json"], { encoding: "utf8", env: { PATH: "" } });
    expect(JSON.parse(r.stdout)).toMatchObject({ clientVersion: { gitVersion: "v1.35.2" }, kustomizeVersion: "v5.7.1" });
    const h = spawnSync(helm.path, ["version", "--template", "{{.Version}}"], { encoding: "utf8", env: { PATH: "", HOME: os.tmpdir() } });
    expect(h.stdout).toBe("v4.1.4");
  });
});

describe("the pinned package's peer dependencies", () => {
  test("aws-cdk-lib and constructs stay out of the install (.npmrc legacy-peer-deps)", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    expect(readFileSync(path.join(root, ".npmrc"), "utf8")).toContain("legacy-peer-deps=true");
    const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
    expect(Object.keys(lock.packages).filter((p) => /node_modules\/(aws-cdk-lib|constructs)$/.test(p))).toEqual([]);
    expect(Object.keys(lock.packages)).toContain(`node_modules/${PINNED.package}`);
  });
});

describe("GITOPS_HELM and GITOPS_KUBECTL", () => {
  test("a binary that does not exist is named", () => {
    expect(() => withEnv({ GITOPS_HELM: "/nonexistent/helm" }, () => engineBinary("helm"))).toThrow(new EngineError("GITOPS_HELM=/nonexistent/helm: no such file"));
  });

  test("a Helm older than the minimum is refused with its version", () => {
    const old = fakeBinary("helm", 'echo "v3.10.2"');
    expect(() => withEnv({ GITOPS_HELM: old }, () => engineBinary("helm"))).toThrow(
      new EngineError(`GITOPS_HELM=${old} is Helm v3.10.2: too old, this toolchain needs Helm 3.14.0 or later`),
    );
  });

  test("a kubectl older than the minimum is refused", () => {
    const old = fakeBinary("kubectl", `echo '{"clientVersion":{"gitVersion":"v1.24.0"},"kustomizeVersion":"v4.5.4"}'`);
    expect(() => withEnv({ GITOPS_KUBECTL: old }, () => engineBinary("kubectl"))).toThrow(
      new EngineError(`GITOPS_KUBECTL=${old} is kubectl v1.24.0: too old, this toolchain needs kubectl 1.27.0 or later`),
    );
  });

  test("a binary that is not Helm is named", () => {
    const broken = fakeBinary("helm", "exit 3");
    expect(() => withEnv({ GITOPS_HELM: broken }, () => engineBinary("helm"))).toThrow(new EngineError(`GITOPS_HELM=${broken}: \`helm version\` failed: is it Helm?`));
  });

  test("a recent enough override is used", () => {
    const ok = fakeBinary("helm", 'echo "v3.19.0"');
    expect(withEnv({ GITOPS_HELM: ok }, () => engineBinary("helm"))).toMatchObject({ path: ok, version: "v3.19.0", from: "env" });
  });
});

describe("versions", () => {
  test.each([
    ["v3.14.0", "3.14.0", true],
    ["v3.13.9", "3.14.0", false],
    ["v4.1.4", "3.14.0", true],
    ["v1.35.2", "1.27.0", true],
    ["v1.26.15", "1.27.0", false],
    ["", "1.27.0", false],
  ])("%s ≥ %s: %s", (version, minimum, expected) => {
    expect(atLeast(version, minimum)).toBe(expected);
  });
});
