/**
 * A pure-Node build of the Kustomize subset `gitops generate` writes, identical to `kubectl kustomize`
 * (Kustomize v5.5) for it; anything else is built by real Kustomize (`kubectl kustomize`).
 *
 * Handled natively: a `kustomization.yaml` (or `.yml`, `Kustomization`) with `apiVersion`/`kind`,
 * `resources` (files of one or more documents inside the kustomization's folder, `List` documents, and
 * folders with their own kustomization) and `patches` (a `path` or inline `patch`, with a `target` of
 * group/version/kind/name/namespace) that are JSON6902 operation lists or strategic-merge patches that
 * delete an object (`$patch: delete`). Every other field or patch shape makes the build fall back to
 * `kubectl kustomize` for the folder that was asked for (`usedKubectl: true`).
 *
 * What Kustomize does and this file reproduces (checked against kubectl v1.32 / Kustomize v5.5.0; the
 * tests compare both on every case):
 * - Output order: Kustomize's "legacy" sort (api/internal/builtins/SortOrderTransformer.go). Kinds
 *   Namespace, ResourceQuota, StorageClass, CustomResourceDefinition, ServiceAccount, PodSecurityPolicy,
 *   Role, ClusterRole, RoleBinding, ClusterRoleBinding, ConfigMap, Secret, Endpoints, Service,
 *   LimitRange, PriorityClass, PersistentVolume, PersistentVolumeClaim, Deployment, StatefulSet,
 *   CronJob, PodDisruptionBudget come first in that order; MutatingWebhookConfiguration then
 *   ValidatingWebhookConfiguration come last; every other kind is in between. Equal rank: by the string
 *   "group_version_kind" ("~G"/"~V" for an empty group/version), byte order. Same group, version and kind:
 *   by "namespace|name" ("~X" for no namespace), byte order.
 * - Values: resources are read as go-yaml v3 decodes them and printed through JSON (see yaml-go.ts);
 *   patch files and kustomization.yaml as sigs.k8s.io/yaml (YAML 1.1) reads them, so `value: on` in a
 *   patch is the boolean true and a target `name: y` is an error.
 * - Annotations are printed as strings: a plain scalar as its source text (`0755` → "0755") unless a
 *   JSON patch touched the object, which prints the value through Go's float formatting (→ "493");
 *   an empty or null `annotations` is dropped. During a JSON patch `metadata.annotations` always exists
 *   (Kustomize's internal annotations live there), so `add /metadata/annotations/x` works on any object.
 * - Ids: group, version, kind, name and the effective namespace ("default" for none; nothing for kinds
 *   Kustomize's built-in OpenAPI data knows as cluster-scoped). Two resources with one id are refused.
 * - Patch targets are anchored regular expressions; a target matches the current or the original
 *   (pre-patch) name and namespace. A target that matches nothing is not an error (Kustomize ignores it);
 *   a `$patch: delete` without target must find its object.
 * - A resource file must be inside (or below) its kustomization's folder; folders may be anywhere.
 */
import path from "node:path";
import { diskFiles, NotOnDiskError, type FileSource } from "./file-source.ts";
import type { KubeObject } from "../model/kube-object.ts";
import { applyJsonPatch, JsonPatchError } from "./json6902.ts";
import { KubectlError, kubectlAvailable, kubectlKustomize } from "./kubectl.ts";
import {
  annotationSourceText,
  parseGoYaml,
  setOwn,
  sortedObject,
  UnsupportedYamlError,
  YamlSyntaxError,
  type GoYamlDocument,
  type GoYamlFlavor,
} from "./yaml-go.ts";

export interface BuildOptions {
  /** Parsed files and built folders, reused across calls while the files are unchanged. */
  cache?: Map<string, unknown>;
  /** Build with `kubectl kustomize` what is not handled natively (default true). */
  allowKubectlFallback?: boolean;
  /** Where the files are read. @default the disk */
  files?: FileSource;
}

export interface BuildResult {
  objects: KubeObject[];
  usedKubectl: boolean;
  /** Things Kustomize accepts silently but are likely mistakes (a patch target that matches nothing). */
  warnings: string[];
}

/** A kustomization that Kustomize refuses, or that could not be built; the message names the file and entry. */
export class KustomizeError extends Error {
  constructor(
    message: string,
    /** The error is a YAML syntax error found by js-yaml (go-yaml, which Kustomize uses, may differ). */
    readonly yamlSyntax = false,
  ) {
    super(message);
    this.name = "KustomizeError";
  }
}

/** Internal: the folder uses something only real Kustomize builds. */
class NeedsKubectl extends Error {
  constructor(
    readonly where: string,
    readonly reason: string,
  ) {
    super(`${where}: ${reason}`);
  }
}

export const KUSTOMIZATION_FILE_NAMES = ["kustomization.yaml", "kustomization.yml", "Kustomization"] as const;

const KUSTOMIZE_API_VERSION = "kustomize.config.k8s.io/v1beta1";

/**
 * Group/version/kinds that Kustomize v5.5's built-in OpenAPI data knows as cluster-scoped (probed with
 * kubectl v1.32: two objects of the kind, one with a namespace and one without, count as the same id).
 * Other kinds, custom resources included, are namespaced for Kustomize.
 */
export const KUSTOMIZE_CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  "v1/Namespace",
  "v1/Node",
  "v1/PersistentVolume",
  "v1/ComponentStatus",
  "admissionregistration.k8s.io/v1/MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration",
  "admissionregistration.k8s.io/v1beta1/MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/v1beta1/ValidatingWebhookConfiguration",
  "apiextensions.k8s.io/v1/CustomResourceDefinition",
  "apiextensions.k8s.io/v1beta1/CustomResourceDefinition",
  "apiregistration.k8s.io/v1/APIService",
  "apiregistration.k8s.io/v1beta1/APIService",
  "certificates.k8s.io/v1/CertificateSigningRequest",
  "certificates.k8s.io/v1beta1/CertificateSigningRequest",
  "flowcontrol.apiserver.k8s.io/v1beta1/FlowSchema",
  "flowcontrol.apiserver.k8s.io/v1beta1/PriorityLevelConfiguration",
  "networking.k8s.io/v1/IngressClass",
  "networking.k8s.io/v1beta1/IngressClass",
  "node.k8s.io/v1/RuntimeClass",
  "node.k8s.io/v1beta1/RuntimeClass",
  "policy/v1beta1/PodSecurityPolicy",
  "rbac.authorization.k8s.io/v1/ClusterRole",
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
  "rbac.authorization.k8s.io/v1beta1/ClusterRole",
  "rbac.authorization.k8s.io/v1beta1/ClusterRoleBinding",
  "scheduling.k8s.io/v1/PriorityClass",
  "scheduling.k8s.io/v1beta1/PriorityClass",
  "storage.k8s.io/v1/StorageClass",
  "storage.k8s.io/v1/VolumeAttachment",
  "storage.k8s.io/v1/CSIDriver",
  "storage.k8s.io/v1/CSINode",
  "storage.k8s.io/v1beta1/StorageClass",
  "storage.k8s.io/v1beta1/VolumeAttachment",
  "storage.k8s.io/v1beta1/CSIDriver",
  "storage.k8s.io/v1beta1/CSINode",
]);

const ORDER_FIRST = [
  "Namespace",
  "ResourceQuota",
  "StorageClass",
  "CustomResourceDefinition",
  "ServiceAccount",
  "PodSecurityPolicy",
  "Role",
  "ClusterRole",
  "RoleBinding",
  "ClusterRoleBinding",
  "ConfigMap",
  "Secret",
  "Endpoints",
  "Service",
  "LimitRange",
  "PriorityClass",
  "PersistentVolume",
  "PersistentVolumeClaim",
  "Deployment",
  "StatefulSet",
  "CronJob",
  "PodDisruptionBudget",
];
const ORDER_LAST = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];
const KIND_RANK = new Map<string, number>([
  ...ORDER_FIRST.map((k, i) => [k, i - ORDER_FIRST.length] as [string, number]),
  ...ORDER_LAST.map((k, i) => [k, i + 1] as [string, number]),
]);

// ---------------------------------------------------------------------------------------------------
// Resource ids

interface ResId {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

/** One resource while building: its current object (never mutated) and its id when first loaded. */
interface Res {
  readonly obj: Record<string, unknown>;
  readonly org: ResId;
  /** Absolute path of the file that defined it, and the line of its document. */
  readonly file: string;
  readonly line: number;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf("/");
  return i < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function idOf(obj: Record<string, unknown>): ResId {
  const md = obj.metadata as Record<string, unknown>;
  const { group, version } = splitApiVersion(typeof obj.apiVersion === "string" ? obj.apiVersion : "");
  return {
    group,
    version,
    kind: obj.kind as string,
    name: md.name as string,
    namespace: typeof md.namespace === "string" ? md.namespace : "",
  };
}

function effectiveNamespace(id: ResId): string {
  const gv = id.group ? `${id.group}/${id.version}` : id.version;
  if (KUSTOMIZE_CLUSTER_SCOPED.has(`${gv}/${id.kind}`)) return "_non_namespaceable_";
  return id.namespace === "" || id.namespace === "default" ? "default" : id.namespace;
}

function idKey(id: ResId): string {
  return `${id.group}\u0000${id.version}\u0000${id.kind}\u0000${effectiveNamespace(id)}\u0000${id.name}`;
}

/** Kustomize's spelling of an id in its messages: `Kind.version.group/name.namespace`. */
export function kustomizeIdString(id: ResId): string {
  const gvk = [id.kind || "[noKind]", id.version || "[noVer]", id.group || "[noGrp]"].join(".");
  return `${gvk}/${id.name || "[noName]"}.${id.namespace || "[noNs]"}`;
}

function describeId(id: ResId): string {
  return id.namespace ? `${id.kind} ${id.namespace}/${id.name}` : `${id.kind} ${id.name}`;
}

// ---------------------------------------------------------------------------------------------------
// Legacy order

/** Go string comparison (bytes of UTF-8). */
function goCompare(a: string, b: string): number {
  if (a === b) return 0;
  // UTF-16 order equals UTF-8 byte order unless a surrogate meets a code unit of U+E000..U+FFFF.
  if (!/[\ud800-\udfff]/.test(a) && !/[\ud800-\udfff]/.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function gvkSortString(id: ResId): string {
  return `${id.group || "~G"}_${id.version || "~V"}_${id.kind || "~K"}`;
}

/** Kustomize's legacy resource order (see the file comment). */
export function compareLegacyOrder(a: ResId, b: ResId): number {
  if (a.group !== b.group || a.version !== b.version || a.kind !== b.kind) {
    const ra = KIND_RANK.get(a.kind) ?? 0;
    const rb = KIND_RANK.get(b.kind) ?? 0;
    if (ra !== rb) return ra - rb;
    return goCompare(gvkSortString(a), gvkSortString(b));
  }
  return goCompare(`${a.namespace || "~X"}|${a.name || "~N"}`, `${b.namespace || "~X"}|${b.name || "~N"}`);
}

/** Sorts objects as `kubectl kustomize` prints them. */
export function sortLikeKustomize<T extends { apiVersion?: unknown; kind?: unknown; metadata?: unknown }>(objects: readonly T[]): T[] {
  const withIds = objects.map((o) => ({ o, id: idOf(o as unknown as Record<string, unknown>) }));
  withIds.sort((x, y) => compareLegacyOrder(x.id, y.id));
  return withIds.map((x) => x.o);
}

// ---------------------------------------------------------------------------------------------------
// Files and the cache

interface FileEntry {
  readonly sig: string;
  readonly text: string;
  readonly parsed: Map<GoYamlFlavor, GoYamlDocument[] | Error>;
}

interface BuildEntry {
  /** Every file and folder the build read, with its signature when read. */
  readonly deps: ReadonlyMap<string, string>;
  readonly resources: readonly Res[];
  readonly warnings: readonly string[];
}

const defaultCache = new Map<string, unknown>();

interface Frame {
  readonly absDir: string;
  readonly deps: Map<string, string>;
  readonly warnings: string[];
}

class Builder {
  private readonly stack: Frame[] = [];
  /** Signatures read during this build: a file is stat'ed once per build. */
  private readonly sigs = new Map<string, string | undefined>();
  private readonly reals = new Map<string, string>();
  readonly warnings: string[] = [];

  constructor(
    private readonly cache: Map<string, unknown>,
    private readonly shownRoot: { abs: string; shown: string },
    private readonly files: FileSource = diskFiles,
  ) {}

  sig(p: string): string | undefined {
    if (this.sigs.has(p)) return this.sigs.get(p);
    const sig = this.files.signature(p);
    this.sigs.set(p, sig);
    return sig;
  }

  realpath(p: string): string {
    let real = this.reals.get(p);
    if (real === undefined) {
      real = this.files.realpath(p);
      this.reals.set(p, real);
    }
    return real;
  }

  /** A path as messages show it: below the folder given to buildKustomization, spelled from it. */
  show(abs: string): string {
    const rel = path.relative(this.shownRoot.abs, abs);
    if (rel === "") return this.shownRoot.shown;
    return path.join(this.shownRoot.shown, rel);
  }

  private track(p: string, sig: string): void {
    for (const f of this.stack) f.deps.set(p, sig);
  }

  private warn(message: string): void {
    for (const f of this.stack) f.warnings.push(message);
    if (this.stack.length === 0) this.warnings.push(message);
  }

  readFile(abs: string): FileEntry | undefined {
    const sig = this.sig(abs);
    if (sig === undefined) return undefined;
    this.track(abs, sig);
    const key = `file:${abs}`;
    const hit = this.cache.get(key) as FileEntry | undefined;
    if (hit && hit.sig === sig) return hit;
    const entry: FileEntry = { sig, text: this.files.read(abs), parsed: new Map() };
    this.cache.set(key, entry);
    return entry;
  }

  parsed(entry: FileEntry, abs: string, flavor: GoYamlFlavor): GoYamlDocument[] {
    let docs = entry.parsed.get(flavor);
    if (docs === undefined) {
      try {
        docs = parseGoYaml(entry.text, this.show(abs), flavor);
      } catch (error) {
        if (!(error instanceof YamlSyntaxError || error instanceof UnsupportedYamlError)) throw error;
        docs = error;
      }
      entry.parsed.set(flavor, docs);
    }
    if (docs instanceof UnsupportedYamlError) throw new NeedsKubectl(this.show(abs), docs.reason);
    // Spelled for this build (a cached error may come from a build that showed paths differently).
    if (docs instanceof YamlSyntaxError) throw new YamlSyntaxError(this.show(abs), docs.line, docs.column, docs.reason);
    return docs as GoYamlDocument[];
  }

  /** Builds a folder: its resources in accumulation order, patched. */
  buildDir(absDir: string): Res[] {
    const cacheKey = `build:${absDir}`;
    const hit = this.cache.get(cacheKey) as BuildEntry | undefined;
    if (hit && [...hit.deps].every(([p, sig]) => this.sig(p) === sig)) {
      for (const [p, sig] of hit.deps) this.track(p, sig);
      for (const w of hit.warnings) this.warn(w);
      return [...hit.resources];
    }
    const real = this.realpath(absDir);
    const cycle = this.stack.findIndex((f) => f.absDir === real);
    if (cycle >= 0) {
      const loop = [...this.stack.slice(cycle).map((f) => this.show(f.absDir)), this.show(absDir)].join(" -> ");
      throw new KustomizeError(`cycle detected: ${loop}`);
    }
    const frame: Frame = { absDir: real, deps: new Map(), warnings: [] };
    this.stack.push(frame);
    try {
      const dirSig = this.sig(absDir)!;
      this.track(absDir, dirSig);
      const resources = this.buildKustomizationIn(absDir, real);
      this.cache.set(cacheKey, { deps: frame.deps, resources: [...resources], warnings: frame.warnings } satisfies BuildEntry);
      if (this.stack.length === 1) this.warnings.push(...frame.warnings);
      return resources;
    } finally {
      this.stack.pop();
    }
  }

  private findKustomizationFile(absDir: string): string {
    const present = KUSTOMIZATION_FILE_NAMES.filter((n) => this.sig(path.join(absDir, n))?.startsWith("f:"));
    if (present.length === 0) {
      throw new KustomizeError(
        `${this.show(absDir)}: no kustomization file: the folder has none of ${KUSTOMIZATION_FILE_NAMES.map((n) => `'${n}'`).join(", ")}`,
      );
    }
    if (present.length > 1) {
      throw new KustomizeError(`${this.show(absDir)}: found multiple kustomization files: ${present.join(", ")}`);
    }
    return path.join(absDir, present[0]);
  }

  private buildKustomizationIn(absDir: string, realDir: string): Res[] {
    const kfile = this.findKustomizationFile(absDir);
    const kshown = this.show(kfile);
    const entry = this.readFile(kfile)!;
    let docs: GoYamlDocument[];
    try {
      docs = this.parsed(entry, kfile, "v2");
    } catch (error) {
      if (error instanceof YamlSyntaxError) throw new KustomizeError(error.message, true);
      throw error;
    }
    const k = readKustomization(docs, kshown);

    const list: Res[] = [];
    const byId = new Map<string, Res>();
    const append = (res: Res, where: string): void => {
      const id = idOf(res.obj);
      const key = idKey(id);
      const other = byId.get(key);
      if (other) {
        throw new KustomizeError(
          `${where}: may not add resource with an already registered id: ${kustomizeIdString(id)} ` +
            `(${describeId(id)} at ${this.show(res.file)}:${res.line} is already defined at ${this.show(other.file)}:${other.line})`,
        );
      }
      byId.set(key, res);
      list.push(res);
    };

    k.resources.forEach((entryPath, i) => {
      const where = `${kshown}: resources[${i}] "${entryPath}"`;
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entryPath) || entryPath.startsWith("git@") || entryPath.startsWith("github.com/")) {
        throw new NeedsKubectl(where, "a remote resource");
      }
      const abs = path.resolve(absDir, entryPath);
      const sig = this.sig(abs);
      if (sig === undefined) throw new KustomizeError(`${where}: no such file or directory`);
      if (sig.startsWith("d:")) {
        let built: Res[];
        try {
          built = this.buildDir(abs);
        } catch (error) {
          if (error instanceof KustomizeError) throw new KustomizeError(`${where}: ${error.message}`, error.yamlSyntax);
          throw error;
        }
        for (const res of built) append(res, where);
        return;
      }
      const realFile = this.realpath(abs);
      const rel = path.relative(realDir, realFile);
      if (rel.startsWith("..") || path.isAbsolute(rel)) {
        throw new KustomizeError(
          `${where}: the file is not in or below ${this.show(absDir)} (Kustomize refuses resource files outside the kustomization's folder)`,
        );
      }
      const file = this.readFile(abs)!;
      let fileDocs: GoYamlDocument[];
      try {
        fileDocs = this.parsed(file, abs, "v3");
      } catch (error) {
        if (error instanceof YamlSyntaxError) throw new KustomizeError(`${where}: ${error.message}`, true);
        throw error;
      }
      for (const res of this.resourcesOf(fileDocs, abs, where)) append(res, where);
    });

    let current = list;
    k.patches.forEach((p, i) => {
      current = this.applyPatch(current, p, `${kshown}: patches[${i}]`, absDir, realDir);
    });
    return current;
  }

  /** The resources of a file's documents, `List` documents expanded after the others (as Kustomize does). */
  private resourcesOf(docs: readonly GoYamlDocument[], abs: string, where: string): Res[] {
    const out: Res[] = [];
    const queue: { value: unknown; line: number }[] = docs.map((d) => ({ value: d.value, line: d.line }));
    while (queue.length > 0) {
      const { value, line } = queue.shift()!;
      const at = `${where}: ${this.show(abs)}:${line}`;
      if (isMap(value) && typeof value.kind === "string" && value.kind.endsWith("List")) {
        const items = value.items;
        if (items === undefined || items === null) continue;
        if (!Array.isArray(items)) throw new KustomizeError(`${at}: expected a list in ${value.kind}.items`);
        for (const item of items) queue.push({ value: item, line });
        continue;
      }
      const obj = checkObject(value, at);
      out.push({ obj, org: idOf(obj), file: abs, line });
    }
    return out;
  }

  private patchText(p: PatchSpec, where: string, absDir: string, realDir: string): { text: string; key: string; shown: string } {
    if (p.patch !== undefined) return { text: p.patch.trim(), key: `inline:${p.patch.trim()}`, shown: where };
    const abs = path.resolve(absDir, p.path!);
    const sig = this.sig(abs);
    const at = `${where} "${p.path}"`;
    if (sig === undefined) throw new KustomizeError(`${at}: no such file`);
    if (!sig.startsWith("f:")) throw new KustomizeError(`${at}: not a file`);
    const rel = path.relative(realDir, this.realpath(abs));
    if (rel.startsWith("..") || path.isAbsolute(rel)) {
      throw new KustomizeError(`${at}: the file is not in or below ${this.show(absDir)} (Kustomize refuses patch files outside the kustomization's folder)`);
    }
    const entry = this.readFile(abs)!;
    return { text: entry.text, key: `patchfile:${abs}:${entry.sig}`, shown: this.show(abs) };
  }

  private loadPatch(p: PatchSpec, where: string, absDir: string, realDir: string): LoadedPatch {
    const { text, key, shown } = this.patchText(p, where, absDir, realDir);
    const cacheKey = `patch:${key}`;
    const hit = this.cache.get(cacheKey) as LoadedPatch | undefined;
    if (hit !== undefined) return hit;
    const loaded = classifyPatch(text, shown, where);
    this.cache.set(cacheKey, loaded);
    return loaded;
  }

  private applyPatch(list: Res[], p: PatchSpec, where: string, absDir: string, realDir: string): Res[] {
    const loaded = this.loadPatch(p, where, absDir, realDir);
    if (loaded.type === "json6902") {
      if (!p.target) throw new KustomizeError(`${where}: must specify a target for JSON patch`);
      const selected = new Set(selectResources(list, p.target, where));
      if (selected.size === 0) this.warn(`${where}: the target matches no resource`);
      return list.map((res) => {
        if (!selected.has(res)) return res;
        return this.applyJson6902(res, loaded.ops, where);
      });
    }
    // Strategic-merge patches that delete their target.
    let remaining = list;
    for (const del of loaded.deletes) {
      if (p.target) {
        const selected = new Set(selectResources(remaining, p.target, where));
        if (selected.size === 0 && remaining === list) this.warn(`${where}: the target matches no resource`);
        remaining = remaining.filter((r) => !selected.has(r));
        continue;
      }
      const byOrg = remaining.filter((r) => sameId(r.org, del));
      const byCur = byOrg.length === 1 ? byOrg : remaining.filter((r) => sameId(idOf(r.obj), del));
      if (byCur.length !== 1) {
        throw new KustomizeError(
          `${where}: no resource matches strategic merge patch "${kustomizeIdString(del)}"` +
            (byCur.length > 1 ? ` (it matches ${byCur.length} resources)` : ` (no ${describeId(del)} among the resources)`),
        );
      }
      remaining = remaining.filter((r) => r !== byCur[0]);
    }
    return remaining;
  }

  private applyJson6902(res: Res, ops: readonly unknown[], where: string): Res {
    // Kustomize keeps internal annotations on every object while it builds, so `metadata.annotations`
    // exists for the patch even when the object has none.
    const md = res.obj.metadata as Record<string, unknown>;
    let input = res.obj;
    if (!isMap(md.annotations)) {
      input = { ...res.obj };
      input.metadata = sortedObject([...Object.keys(md).filter((k) => k !== "annotations"), "annotations"], [
        ...Object.keys(md)
          .filter((k) => k !== "annotations")
          .map((k) => md[k]),
        {},
      ]);
    }
    let out: unknown;
    try {
      out = applyJsonPatch(input, ops);
    } catch (error) {
      if (error instanceof JsonPatchError) {
        throw new KustomizeError(`${where}: cannot apply operation ${error.opIndex} to ${describeId(idOf(res.obj))}: ${error.message}`);
      }
      throw error;
    }
    const obj = checkObject(out, `${where}: after the patch, ${describeId(idOf(res.obj))}`);
    return { obj: stringifyAnnotationsAfterPatch(obj), org: res.org, file: res.file, line: res.line };
  }
}

function sameId(a: ResId, b: ResId): boolean {
  return idKey(a) === idKey(b);
}

/** Checks what Kustomize requires of a resource document; returns it as an object. */
function checkObject(value: unknown, at: string): Record<string, unknown> {
  if (!isMap(value) || !isMap(value.metadata)) throw new KustomizeError(`${at}: missing Resource metadata (not a Kubernetes object)`);
  if (value.kind === undefined || value.kind === null || value.kind === "") throw new KustomizeError(`${at}: missing kind`);
  const md = value.metadata;
  if (md.name === undefined || md.name === null || md.name === "") throw new KustomizeError(`${at}: missing metadata.name`);
  if (typeof value.kind !== "string") throw new NeedsKubectl(at, "a kind that is not a string");
  if (value.apiVersion !== undefined && typeof value.apiVersion !== "string") throw new NeedsKubectl(at, "an apiVersion that is not a string");
  if (typeof md.name !== "string") throw new NeedsKubectl(at, "a metadata.name that is not a string");
  if (md.namespace !== undefined && md.namespace !== null && typeof md.namespace !== "string") {
    throw new NeedsKubectl(at, "a metadata.namespace that is not a string");
  }
  if (md.annotations !== undefined && md.annotations !== null && !isMap(md.annotations)) {
    throw new NeedsKubectl(at, "metadata.annotations that is not a mapping");
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------
// Annotations

/** Go's strconv.FormatFloat(f, 'g', -1, 64): how a number in a JSON-patched object's annotation prints. */
export function goFormatFloatG(n: number): string {
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const [mantissa, expText] = n.toExponential().split("e");
  const exp = Number(expText);
  const neg = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${neg ? "-" : ""}${digits[0]}${frac}e${exp < 0 ? "-" : "+"}${e}`;
  }
  // Plain decimal with exactly the significant digits.
  let s: string;
  if (exp >= digits.length - 1) s = digits + "0".repeat(exp - (digits.length - 1));
  else if (exp >= 0) s = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  else s = `0.${"0".repeat(-exp - 1)}${digits}`;
  return (neg ? "-" : "") + s;
}

function annotationText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return goFormatFloatG(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value === null) return "null";
  throw new Error("annotation value that is not a scalar");
}

/** After a JSON patch Kustomize re-sets the annotations: values become strings, an empty map disappears. */
function stringifyAnnotationsAfterPatch(obj: Record<string, unknown>): Record<string, unknown> {
  const md = obj.metadata as Record<string, unknown>;
  const ann = md.annotations;
  if (ann === undefined) return obj;
  const keep = isMap(ann) && Object.keys(ann).length > 0;
  const allStrings = keep && Object.values(ann).every((v) => typeof v === "string");
  if (keep && allStrings) return obj;
  const newMd: Record<string, unknown> = {};
  for (const k of Object.keys(md)) {
    if (k !== "annotations") setOwn(newMd, k, md[k]);
    else if (keep) {
      const a: Record<string, unknown> = {};
      for (const ak of Object.keys(ann)) {
        try {
          setOwn(a, ak, annotationText(ann[ak]));
        } catch {
          throw new NeedsKubectl(`annotation ${ak}`, "an annotation value that is not a scalar");
        }
      }
      newMd[k] = a;
    }
  }
  return { ...obj, metadata: newMd };
}

// ---------------------------------------------------------------------------------------------------
// Kustomization and patches

interface TargetSpec {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

interface PatchSpec {
  path?: string;
  patch?: string;
  target?: TargetSpec;
}

interface KustomizationSpec {
  resources: string[];
  patches: PatchSpec[];
}

type LoadedPatch = { type: "json6902"; ops: readonly unknown[] } | { type: "delete"; deletes: readonly ResId[] };

const YAML11_HINT = "(kustomization.yaml is read as YAML 1.1: quote values such as yes, no, on, off, y, n)";

function readKustomization(docs: readonly GoYamlDocument[], shown: string): KustomizationSpec {
  if (docs.length === 0) throw new KustomizeError(`${shown}: kustomization.yaml is empty`);
  if (docs.length > 1) throw new NeedsKubectl(shown, "a kustomization file with several documents");
  const k = docs[0].value;
  if (!isMap(k)) throw new KustomizeError(`${shown}: not a mapping`);
  for (const key of Object.keys(k)) {
    if (!["apiVersion", "kind", "resources", "patches"].includes(key)) throw new NeedsKubectl(shown, `the field ${key}`);
  }
  if (k.apiVersion !== undefined && k.apiVersion !== KUSTOMIZE_API_VERSION) throw new NeedsKubectl(shown, `apiVersion ${String(k.apiVersion)}`);
  if (k.kind !== undefined && k.kind !== "Kustomization") throw new NeedsKubectl(shown, `kind ${String(k.kind)}`);
  if ((k.resources === undefined || k.resources === null) && (k.patches === undefined || k.patches === null)) {
    throw new KustomizeError(`${shown}: kustomization.yaml is empty`);
  }
  const resources = k.resources ?? [];
  if (!Array.isArray(resources)) throw new KustomizeError(`${shown}: resources must be a list of paths`);
  resources.forEach((r, i) => {
    if (typeof r !== "string") throw new KustomizeError(`${shown}: resources[${i}] must be a string, not ${JSON.stringify(r)} ${YAML11_HINT}`);
  });
  const patchesRaw = k.patches ?? [];
  if (!Array.isArray(patchesRaw)) throw new KustomizeError(`${shown}: patches must be a list`);
  const patches = patchesRaw.map((p, i): PatchSpec => {
    const where = `${shown}: patches[${i}]`;
    if (!isMap(p)) throw new KustomizeError(`${where}: must be a mapping with path or patch`);
    for (const key of Object.keys(p)) {
      if (!["path", "patch", "target"].includes(key)) throw new NeedsKubectl(where, `the field ${key}`);
    }
    const spec: PatchSpec = {};
    for (const field of ["path", "patch"] as const) {
      const v = p[field];
      if (v === undefined || v === null) continue;
      if (typeof v !== "string") throw new KustomizeError(`${where}: ${field} must be a string, not ${JSON.stringify(v)} ${YAML11_HINT}`);
      if (v !== "") spec[field] = v;
    }
    if (spec.patch !== undefined && spec.patch.trim() === "") delete spec.patch;
    if (spec.path !== undefined && spec.patch !== undefined) throw new KustomizeError(`${where}: patch and path can't be set at the same time`);
    if (spec.path === undefined && spec.patch === undefined) throw new KustomizeError(`${where}: must specify one of patch and path`);
    if (p.target !== undefined && p.target !== null) {
      if (!isMap(p.target)) throw new KustomizeError(`${where}: target must be a mapping`);
      const target: TargetSpec = {};
      for (const [key, v] of Object.entries(p.target)) {
        if (!["group", "version", "kind", "name", "namespace"].includes(key)) throw new NeedsKubectl(where, `the target field ${key}`);
        if (v === null || v === undefined) continue;
        if (typeof v !== "string") throw new KustomizeError(`${where}: target.${key} must be a string, not ${JSON.stringify(v)} ${YAML11_HINT}`);
        target[key as keyof TargetSpec] = v;
      }
      spec.target = target;
    }
    return spec;
  });
  return { resources: resources as string[], patches };
}

/** Sorts object keys (JSON.parse'd patches) in output order, deeply. */
function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (!isMap(v)) return v;
  const keys = Object.keys(v);
  return sortedObject(
    keys,
    keys.map((k) => sortDeep(v[k])),
  );
}

function classifyPatch(text: string, shown: string, where: string): LoadedPatch {
  if (text.trim() === "") throw new KustomizeError(`${where}: empty patch`);
  if (text.startsWith("[")) {
    let ops: unknown;
    try {
      ops = JSON.parse(text);
    } catch {
      throw new KustomizeError(`${where}: unable to parse SM or JSON patch from ${shown}: it starts with '[' but is not JSON`);
    }
    if (!Array.isArray(ops) || ops.some((o) => !isMap(o))) throw new KustomizeError(`${where}: a JSON patch must be a list of operations`);
    return { type: "json6902", ops: sortDeep(ops) as unknown[] };
  }
  let v2: GoYamlDocument[];
  try {
    v2 = parseGoYaml(text, shown, "v2");
  } catch (error) {
    if (error instanceof YamlSyntaxError) throw new KustomizeError(`${where}: ${error.message}`, true);
    if (error instanceof UnsupportedYamlError) throw new NeedsKubectl(where, error.reason);
    throw error;
  }
  if (v2.length === 0) throw new KustomizeError(`${where}: empty patch`);
  if (Array.isArray(v2[0].value)) {
    if (v2.length > 1) throw new NeedsKubectl(where, "a JSON patch file with several documents");
    const ops = v2[0].value as unknown[];
    if (ops.some((o) => !isMap(o))) throw new KustomizeError(`${where}: a JSON patch must be a list of operations (mappings with op and path)`);
    return { type: "json6902", ops };
  }
  // Strategic-merge patches are read as resources (go-yaml v3).
  let v3: GoYamlDocument[];
  try {
    v3 = parseGoYaml(text, shown, "v3");
  } catch (error) {
    if (error instanceof YamlSyntaxError) throw new KustomizeError(`${where}: ${error.message}`, true);
    if (error instanceof UnsupportedYamlError) throw new NeedsKubectl(where, error.reason);
    throw error;
  }
  const deletes = v3.map((d) => {
    const p = d.value;
    if (!isMap(p) || !isMap(p.metadata)) throw new KustomizeError(`${where}: unable to parse SM or JSON patch from ${shown}`);
    const onlyDelete =
      p.$patch === "delete" &&
      Object.keys(p).every((k) => ["$patch", "apiVersion", "kind", "metadata"].includes(k)) &&
      Object.keys(p.metadata).every((k) => ["name", "namespace"].includes(k)) &&
      typeof p.kind === "string" &&
      typeof p.metadata.name === "string" &&
      (p.apiVersion === undefined || typeof p.apiVersion === "string") &&
      (p.metadata.namespace === undefined || typeof p.metadata.namespace === "string");
    if (!onlyDelete) throw new NeedsKubectl(where, "a strategic-merge patch that merges (only `$patch: delete` is built natively)");
    return idOf(p);
  });
  return { type: "delete", deletes };
}

const SIMPLE_PATTERN = /^[A-Za-z0-9._\-|()*+?^$[\]\\]*$/;
const regexCache = new Map<string, RegExp>();

function anchored(pattern: string, where: string): RegExp {
  let re = regexCache.get(pattern);
  if (re) return re;
  if (!SIMPLE_PATTERN.test(pattern)) throw new NeedsKubectl(where, `the target pattern ${JSON.stringify(pattern)}`);
  try {
    re = new RegExp(`^(?:${pattern})$`);
  } catch (error) {
    throw new KustomizeError(`${where}: target pattern ${JSON.stringify(pattern)} is not a regular expression: ${(error as Error).message}`);
  }
  regexCache.set(pattern, re);
  return re;
}

/** Kustomize's `ResMap.Select`: resources whose current gvk, and current or original name and namespace, match. */
function selectResources(list: readonly Res[], t: TargetSpec, where: string): Res[] {
  const group = t.group ? anchored(t.group, where) : undefined;
  const version = t.version ? anchored(t.version, where) : undefined;
  const kind = t.kind ? anchored(t.kind, where) : undefined;
  const name = t.name ? anchored(t.name, where) : undefined;
  const namespace = t.namespace ? anchored(t.namespace, where) : undefined;
  return list.filter((res) => {
    const cur = idOf(res.obj);
    if (namespace && !namespace.test(effectiveNamespace(res.org)) && !namespace.test(effectiveNamespace(cur))) return false;
    if (name && !name.test(res.org.name) && !name.test(cur.name)) return false;
    if (group && !group.test(cur.group)) return false;
    if (version && !version.test(cur.version)) return false;
    if (kind && !kind.test(cur.kind)) return false;
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------
// Output

/** A deep copy of a built object as Kustomize prints it (annotations as strings, empty ones dropped). */
function finalObject(res: Res): KubeObject {
  const source = annotationSourceText(res.obj);
  const copy = (v: unknown): unknown => {
    if (v === null || typeof v !== "object") return v === 0 ? 0 : v; // -0 prints as 0
    if (Array.isArray(v)) return v.map(copy);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const value = (v as Record<string, unknown>)[k];
      if (k === "__proto__") Object.defineProperty(out, k, { value: copy(value), enumerable: true, writable: true, configurable: true });
      else out[k] = copy(value);
    }
    return out;
  };
  const out = copy(res.obj) as KubeObject;
  const md = out.metadata as Record<string, unknown>;
  if ("annotations" in md) {
    const ann = md.annotations;
    if (!isMap(ann) || Object.keys(ann).length === 0) delete md.annotations;
    else {
      for (const k of Object.keys(ann)) {
        const text = source?.[k];
        if (text !== undefined) ann[k] = text;
        else if (typeof ann[k] !== "string") ann[k] = annotationText(ann[k]);
      }
    }
  }
  return out;
}

/**
 * Builds the kustomization in `dir` like `kubectl kustomize dir`: the same objects, in the same order.
 * Throws KustomizeError when Kustomize would fail (the message names the kustomization file and entry).
 */
export function buildKustomization(dir: string, options: BuildOptions = {}): BuildResult {
  const cache = options.cache ?? defaultCache;
  const absDir = path.resolve(dir);
  const files = options.files ?? diskFiles;
  const builder = new Builder(cache, { abs: absDir, shown: dir }, files);
  try {
    const sig = builder.sig(absDir);
    if (sig === undefined) throw new KustomizeError(`${dir}: no such directory`);
    if (!sig.startsWith("d:")) throw new KustomizeError(`${dir}: not a directory`);
    const resources = builder.buildDir(absDir);
    const sorted = resources.map((r) => ({ r, id: idOf(r.obj) })).sort((a, b) => compareLegacyOrder(a.id, b.id));
    return { objects: sorted.map((x) => finalObject(x.r)), usedKubectl: false, warnings: builder.warnings };
  } catch (error) {
    if (!files.onDisk && (error instanceof NeedsKubectl || (error instanceof KustomizeError && error.yamlSyntax))) throw new NotOnDiskError(dir);
    if (error instanceof KustomizeError && error.yamlSyntax && options.allowKubectlFallback !== false && kubectlAvailable()) {
      // js-yaml and go-yaml disagree on a few corner cases of YAML syntax: what Kustomize accepts, it builds.
      try {
        return { objects: kubectlKustomize(dir), usedKubectl: true, warnings: [] };
      } catch {
        throw error;
      }
    }
    if (!(error instanceof NeedsKubectl)) throw error;
    if (options.allowKubectlFallback === false) {
      throw new KustomizeError(`${error.where}: ${error.reason} is not built natively, and the kubectl fallback is off`);
    }
    try {
      return { objects: kubectlKustomize(dir), usedKubectl: true, warnings: [] };
    } catch (kubectlError) {
      if (kubectlError instanceof KubectlError) {
        throw new KustomizeError(
          kubectlError.missing
            ? `${error.where}: ${error.reason} needs real Kustomize, and ${kubectlError.message}`
            : `${path.join(dir, "kustomization.yaml")}: ${kubectlError.message}`,
        );
      }
      throw kubectlError;
    }
  }
}
