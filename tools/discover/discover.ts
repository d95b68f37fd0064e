/**
 * The applied units of any folder, each built as its engine builds it: kustomize roots, chart folders,
 * Argo CD Applications and ApplicationSets, Flux Kustomizations and HelmReleases, and plain manifests.
 * What comes out is objects in memory, each located in the file (and line) it came from, grouped by the
 * unit that applies them together: duplicates and references are checked within a unit, never across
 * unrelated apps or clusters.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Finding } from "../findings/finding.ts";
import { isClusterScoped, type KubeObject } from "../model/kube-object.ts";
import type { CheckItem } from "../pipeline/checks.ts";
import { toYamlDocument } from "../render/serialize.ts";
import { buildKustomization, KUSTOMIZATION_FILE_NAMES, KustomizeError } from "../render/kustomize.ts";
import { getPath, isRecord, type Record_ } from "../validate/objects.ts";
import { locatePath, parseDocumentsTolerant, type LoadedDocument } from "../workspace/documents.ts";
import { inflateHelmCharts } from "./kustomize-helm.ts";
import { mergeValues, templateChart, type ChartRequest } from "./helm.ts";
import { substituteObject, type Substitution } from "./substitute.ts";
import { decodeUtf8, findFiles, readBytes, type FoundFile } from "./walk.ts";

/** What applies a set of objects together. */
export type UnitKind = "files" | "rendered" | "kustomize" | "chart" | "argocd-application" | "flux-kustomization" | "flux-helmrelease";

export interface AppliedUnit {
  readonly kind: UnitKind;
  /** How findings and `--verbose` name it: `kustomize root overlays/prod`, `Application argocd/guestbook`. */
  readonly name: string;
  /** The unit that led to this one (an app-of-apps root, a Flux root): cross-unit duplicates are checked within it. */
  readonly cluster: string;
  readonly items: CheckItem[];
  readonly findings: Finding[];
}

export interface Skipped {
  readonly file: string;
  readonly reason: string;
}

export interface Discovery {
  readonly units: AppliedUnit[];
  readonly skipped: Skipped[];
  /** Files read. */
  readonly files: number;
}

interface SourceFile {
  readonly found: FoundFile;
  readonly docs: LoadedDocument[];
}

const KUSTOMIZATION_NAMES: ReadonlySet<string> = new Set(KUSTOMIZATION_FILE_NAMES);
const isKustomizationFile = (abs: string) => KUSTOMIZATION_NAMES.has(path.basename(abs));

/** A document that is meant as a Kubernetes object (has a type or metadata), as opposed to config or values. */
export function looksLikeObject(value: unknown): boolean {
  if (Array.isArray(value)) return true;
  if (!isRecord(value)) return false;
  return "apiVersion" in value || "kind" in value || "metadata" in value;
}

/** Whether a build inflates `helmCharts`: "enabled", or why the engine does not (for the message). */
type HelmSupport = "enabled" | string;
const NO_HELM = "which this build does not pass";
const ARGO_NO_HELM = "which Argo CD passes only where argocd-cm sets kustomize.buildOptions: --enable-helm";
const FLUX_NO_HELM = "which Flux's kustomize-controller never passes (use a HelmRelease)";

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const groupOf = (o: Record_) => (str(o.apiVersion)?.includes("/") ? str(o.apiVersion)!.split("/")[0] : "");
const nameOf = (o: Record_) => str(getPath(o, ["metadata", "name"])) ?? "";
const namespaceOf = (o: Record_) => str(getPath(o, ["metadata", "namespace"]));
const isArgoApplication = (o: Record_) => groupOf(o) === "argoproj.io" && o.kind === "Application";
const isArgoApplicationSet = (o: Record_) => groupOf(o) === "argoproj.io" && o.kind === "ApplicationSet";
const isFluxKustomization = (o: Record_) => groupOf(o) === "kustomize.toolkit.fluxcd.io" && o.kind === "Kustomization";
const isHelmRelease = (o: Record_) => groupOf(o) === "helm.toolkit.fluxcd.io" && o.kind === "HelmRelease";
const isEngineObject = (o: Record_) => isArgoApplication(o) || isArgoApplicationSet(o) || isFluxKustomization(o) || isHelmRelease(o);

function showObject(o: Record_): string {
  const ns = namespaceOf(o);
  return `${String(o.kind)} ${ns ? `${ns}/` : ""}${nameOf(o)}`;
}

/** A shell-style glob (`*`, `**`, `?`) as an anchored regular expression over `/`-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      re += ".*";
      i++;
      if (glob[i + 1] === "/") i++;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "{") {
      const end = glob.indexOf("}", i);
      if (end > i) {
        re += `(?:${glob.slice(i + 1, end).split(",").map((p) => p.replace(/[.+^$()|[\]\\]/g, "\\$&")).join("|")})`;
        i = end;
      } else re += "\\{";
    } else re += c.replace(/[.+^$()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

class Discoverer {
  private readonly sources = new Map<string, SourceFile>();
  private readonly kustomizeDirs = new Set<string>();
  private readonly chartDirs = new Set<string>();
  private readonly units: AppliedUnit[] = [];
  private readonly skipped: Skipped[] = [];
  private readonly followed = new Set<string>();
  /** Kustomize roots built on their own; replaced by the Application or Kustomization that applies them. */
  private readonly standaloneRoots = new Map<string, AppliedUnit>();
  /** Objects seen anywhere (ConfigMaps and Secrets for substituteFrom, Helm sources for HelmReleases). */
  private readonly known: Record_[] = [];
  private readonly buildCache = new Map<string, unknown>();
  private readonly sourceIndex = new Map<string, { file: SourceFile; doc: LoadedDocument }[]>();
  private readonly sourcesOfKind = new Map<string, { file: SourceFile; doc: LoadedDocument }[]>();
  private readonly repoRoots: string[];
  private readonly cwd = process.cwd();

  constructor(private readonly input: string) {
    const abs = path.resolve(input);
    const roots = [statSync(abs).isDirectory() ? abs : path.dirname(abs)];
    for (let dir = roots[0]; ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, ".git"))) {
        if (dir !== roots[0]) roots.push(dir);
        break;
      }
      if (path.dirname(dir) === dir) break;
    }
    this.repoRoots = roots;
    this.inputRoot = roots[0];
  }

  private readonly inputRoot: string;

  /** A path as findings show it: relative to the working folder. */
  private show(abs: string): string {
    return path.relative(this.cwd, abs).split(path.sep).join("/") || ".";
  }

  /** Messages of real Kustomize name absolute paths: shown relative to the working folder. */
  private relativeMessage(message: string): string {
    return message.split(`${this.cwd}${path.sep}`).join("").split(this.cwd).join(".");
  }

  run(): Discovery {
    const files = findFiles(this.input);
    for (const found of files) this.read(found);
    for (const f of files) {
      const name = path.basename(f.abs);
      if (KUSTOMIZATION_NAMES.has(name)) this.kustomizeDirs.add(path.dirname(f.abs));
      if (name === "Chart.yaml") this.chartDirs.add(path.dirname(f.abs));
    }
    const referenced = this.referencedDirs();
    const plain: SourceFile[] = [];
    for (const f of files) {
      const source = this.sources.get(f.abs);
      if (!source) continue;
      const chart = this.ownerChart(f.abs);
      if (chart) {
        this.skipped.push({ file: f.display, reason: `part of chart ${this.show(chart)}` });
        continue;
      }
      const owner = this.ownerKustomization(f.abs);
      if (owner) {
        if (!isKustomizationFile(f.abs) && !source.docs.some((d) => looksLikeObject(d.value))) {
          this.skipped.push({ file: f.display, reason: `not a Kubernetes object (read by the kustomization in ${this.show(owner)})` });
        }
        continue;
      }
      if (path.basename(f.abs) === "index.json" && this.renderIndexOf(source)) continue;
      plain.push(source);
    }
    this.plainUnits(plain);
    for (const dir of [...this.kustomizeDirs].sort()) {
      if (referenced.has(dir) || this.ownerChart(dir)) continue;
      const unit = this.kustomizeUnit(dir, `kustomize root ${this.show(dir)}`);
      this.standaloneRoots.set(dir, unit);
      this.units.push(unit);
    }
    // Charts in a kustomization's chartHome are inflated by that kustomization's helmCharts, not applied alone.
    const chartHomes = [...this.kustomizeDirs].flatMap((d) => {
      const k = this.kustomizationOf(d)?.value;
      if (!k || !Array.isArray(k.helmCharts) || k.helmCharts.length === 0) return [];
      const globals = isRecord(k.helmGlobals) ? k.helmGlobals : {};
      return [path.resolve(d, str(globals.chartHome) ?? "charts") + path.sep];
    });
    for (const dir of [...this.chartDirs].sort()) {
      if (this.ownerChart(path.dirname(dir))) continue;
      if (chartHomes.some((home) => dir.startsWith(home))) continue;
      const unit = this.chartFolderUnit(dir, `chart folder ${this.show(dir)}`, `chart folder ${this.show(dir)}`, undefined, []);
      this.standaloneRoots.set(dir, unit);
      this.units.push(unit);
    }
    // Follow what the engines apply, breadth first: Applications found in a root lead to their paths.
    for (let i = 0; i < this.units.length; i++) {
      const unit = this.units[i];
      for (const item of unit.items) if (isRecord(item.doc.value)) this.known.push(item.doc.value);
    }
    for (let i = 0; i < this.units.length; i++) if (!this.superseded.has(this.units[i])) this.follow(this.units[i]);
    // Units that lead to one another are one cluster: named after the first of them found.
    const order = new Map(this.units.map((u, i) => [u.name, i]));
    const clusterOf = new Map<string, string>();
    for (const u of this.units) {
      const root = this.find(u.cluster);
      const current = clusterOf.get(root);
      if (current === undefined || (order.get(u.cluster) ?? Infinity) < (order.get(current) ?? Infinity)) clusterOf.set(root, u.cluster);
    }
    const units = this.units
      .filter((u) => !this.superseded.has(u))
      // Plain files an engine object applies (a Flux path without kustomization.yaml) are checked in that unit.
      .map((u) => ({ ...u, items: u.kind === "files" ? u.items.filter((i) => !this.consumed.has(i.doc)) : u.items, cluster: clusterOf.get(this.find(u.cluster)) ?? u.cluster }))
      .filter((u) => u.kind !== "files" || u.items.length > 0 || u.findings.length > 0);
    return { units, skipped: this.skipped.sort((a, b) => a.file.localeCompare(b.file)), files: files.length };
  }

  private readonly superseded = new Set<AppliedUnit>();

  private read(found: FoundFile): void {
    const bytes = readBytes(found.abs);
    const decoded = decodeUtf8(bytes);
    if ("badByte" in decoded) {
      this.sources.set(found.abs, { found, docs: [] });
      this.encodingErrors.push({
        rule: "yaml/encoding",
        severity: "error",
        file: found.display,
        line: decoded.line,
        column: 1,
        message: `the file is not valid UTF-8 (byte ${decoded.badByte}); the API server and Kustomize reject it`,
      });
      return;
    }
    const { docs, errors } = parseDocumentsTolerant(decoded.text, found.display);
    for (const e of errors) this.parseErrors.push({ rule: "yaml/parse", severity: "error", message: e.reason, file: e.file, line: e.line, column: e.column });
    this.sources.set(found.abs, { found, docs });
    for (const doc of docs) {
      if (!isRecord(doc.value)) continue;
      const key = `${String(doc.value.kind)}\u0000${nameOf(doc.value)}`;
      const entry = { file: this.sources.get(found.abs)!, doc };
      const list = this.sourceIndex.get(key) ?? [];
      list.push(entry);
      this.sourceIndex.set(key, list);
      const ofKind = this.sourcesOfKind.get(String(doc.value.kind)) ?? [];
      ofKind.push(entry);
      this.sourcesOfKind.set(String(doc.value.kind), ofKind);
    }
  }

  readonly encodingErrors: Finding[] = [];
  readonly parseErrors: Finding[] = [];

  private ownerChart(abs: string): string | undefined {
    for (let dir = path.dirname(abs); dir.length >= this.repoRoots[0].length; dir = path.dirname(dir)) {
      if (this.chartDirs.has(dir)) return dir;
      if (path.dirname(dir) === dir) break;
    }
    if (this.chartDirs.has(abs)) return abs;
    return undefined;
  }

  private ownerKustomization(abs: string): string | undefined {
    for (let dir = path.dirname(abs); dir.length >= this.repoRoots[0].length; dir = path.dirname(dir)) {
      if (this.kustomizeDirs.has(dir)) return dir;
      if (path.dirname(dir) === dir) break;
    }
    return undefined;
  }

  private kustomizationOf(dir: string): { file: SourceFile; value: Record_ } | undefined {
    for (const name of KUSTOMIZATION_FILE_NAMES) {
      const file = this.sources.get(path.join(dir, name));
      if (file) return { file, value: isRecord(file.docs[0]?.value) ? file.docs[0].value : {} };
    }
    return undefined;
  }

  /** Folders another kustomization uses as a resource, base or component: not roots. */
  private readonly patchFiles = new Set<string>();

  private referencedDirs(): Set<string> {
    const referenced = new Set<string>();
    for (const dir of this.kustomizeDirs) {
      const k = this.kustomizationOf(dir)?.value ?? {};
      // Patch fragments: a built object is located in its resource, not in a patch of it.
      for (const field of ["patches", "patchesStrategicMerge", "patchesJson6902"]) {
        const list = k[field];
        if (!Array.isArray(list)) continue;
        for (const entry of list) {
          const file = typeof entry === "string" ? entry : isRecord(entry) && typeof entry.path === "string" ? entry.path : undefined;
          if (file) this.patchFiles.add(path.resolve(dir, file));
        }
      }
      for (const field of ["resources", "bases", "components"]) {
        const list = k[field];
        if (!Array.isArray(list)) continue;
        for (const entry of list) {
          if (typeof entry !== "string" || /^[a-z]+:\/\//.test(entry)) continue;
          const target = path.resolve(dir, entry);
          if (this.kustomizeDirs.has(target)) referenced.add(target);
        }
      }
    }
    return referenced;
  }

  private renderIndexOf(source: SourceFile): { kind: string; files: { file: string }[] } | undefined {
    const v = source.docs[0]?.value;
    if (!isRecord(v) || (v.kind !== "cluster" && v.kind !== "component") || !Array.isArray(v.files)) return undefined;
    return v as { kind: string; files: { file: string }[] };
  }

  /**
   * Plain manifests. A folder `gitops render` wrote (with its index.json) is one unit per cluster, and
   * one per overlay of a component; every other file belongs to one set, checked as before.
   */
  private plainUnits(plain: SourceFile[]): void {
    const groups = new Map<string, SourceFile[]>();
    for (const source of plain) {
      let key = "files";
      for (let dir = path.dirname(source.found.abs); dir.length >= this.repoRoots[0].length; dir = path.dirname(dir)) {
        const index = this.sources.get(path.join(dir, "index.json"));
        const parsed = index && this.renderIndexOf(index);
        if (parsed) {
          key = parsed.kind === "cluster" ? `rendered cluster ${this.show(dir)}` : `rendered overlay ${source.found.display}`;
          break;
        }
        if (path.dirname(dir) === dir) break;
      }
      groups.set(key, [...(groups.get(key) ?? []), source]);
    }
    // Read errors of plain files belong to the plain set (made for them if every file is in a render folder).
    // A chart's templates are not YAML, and Kustomize reports a broken file it reads in its own message.
    const plainFiles = new Set(plain.map((p) => p.found.display));
    const errors = [...this.encodingErrors, ...this.parseErrors].filter((e) => plainFiles.has(e.file));
    if (!groups.has("files") && errors.length) groups.set("files", []);
    const keys = [...groups.keys()].sort((a, b) => (a === "files" ? -1 : b === "files" ? 1 : a.localeCompare(b)));
    for (const key of keys) {
      const items: CheckItem[] = [];
      for (const source of groups.get(key)!) {
        for (const doc of source.docs) {
          if (!looksLikeObject(doc.value)) {
            this.skipped.push({ file: source.found.display, reason: doc.value === null || doc.value === undefined ? "an empty document" : "not a Kubernetes object (no apiVersion or kind)" });
            continue;
          }
          items.push({ doc });
        }
      }
      this.units.push({ kind: key === "files" ? "files" : "rendered", name: key, cluster: key, items, findings: key === "files" ? errors : [] });
    }
  }

  /** Where a built object came from: the source document of the same kind and (prefixed) name, under `dir`. */
  private locateBuilt(object: KubeObject, dir: string, fallbackFile: string): LoadedDocument {
    const name = object.metadata?.name ?? "";
    const candidates: { file: SourceFile; doc: LoadedDocument }[] = [];
    const exact = this.sourceIndex.get(`${object.kind}\u0000${name}`) ?? [];
    for (const c of exact) candidates.push(c);
    if (candidates.length === 0) {
      // Renamed by a namePrefix or nameSuffix: a source of the same kind whose name the new one contains.
      for (const c of this.sourcesOfKind.get(String(object.kind)) ?? []) {
        const sourceName = nameOf(c.doc.value as Record_);
        if (sourceName && name.includes(sourceName)) candidates.push(c);
      }
    }
    const resources = candidates.filter((c) => !this.patchFiles.has(c.file.found.abs));
    const near =
      resources.find((c) => c.file.found.abs.startsWith(dir + path.sep)) ??
      resources.find((c) => this.ownerKustomization(c.file.found.abs) !== undefined) ??
      candidates.find((c) => c.file.found.abs.startsWith(dir + path.sep));
    if (near) return { ...near.doc, value: object };
    // Made by a generator (configMapGenerator): no file holds it, so its findings are at the kustomization's first line.
    return { file: fallbackFile, index: 0, line: 1, text: "{}", value: object };
  }

  private itemsOfBuilt(objects: readonly KubeObject[], dir: string, fallbackFile: string, meta: { app?: string } = {}): CheckItem[] {
    // Copies: the build cache keeps its objects, and substitution and namespaces change these.
    return objects.map((object) => ({ doc: this.locateBuilt(structuredClone(object), dir, fallbackFile), ...meta }));
  }

  private buildFinding(file: string, message: string, rule = "kustomize/build"): Finding {
    return { rule, severity: "error", file, line: 1, column: 1, message };
  }

  private kustomizationFileShown(dir: string): string {
    return this.show(this.kustomizationOf(dir)?.file.found.abs ?? path.join(dir, "kustomization.yaml"));
  }

  /**
   * Builds a kustomize folder; a failure is an error naming the folder and Kustomize's own message.
   * `helm`: "enabled" builds `helmCharts` as `kustomize build --enable-helm` does (charts from the chart
   * cache or mirror, templated with the pinned Helm); otherwise the reason the engine does not.
   */
  private build(dir: string, options?: Record_, helm: HelmSupport = NO_HELM): { objects: KubeObject[]; error?: Finding; warnings?: Finding[] } {
    const kfile = this.kustomizationFileShown(dir);
    const kustomization = this.kustomizationOf(dir)?.value ?? {};
    const helmCharts = Array.isArray(kustomization.helmCharts) && kustomization.helmCharts.length > 0;
    let target = dir;
    let tmp: string | undefined;
    let copy: { root: string; from: string } | undefined;
    const warnings: Finding[] = [];
    try {
      const withCharts = helm === "enabled" ? this.helmChartDirs(dir).filter((d) => d === this.repoRoots[0] || d.startsWith(this.repoRoots[0] + path.sep)) : [];
      if (withCharts.length > 0) {
        // Built in a copy of the repository: the charts are inflated beside the copied kustomizations.
        copy = { root: mkdtempSync(path.join(os.tmpdir(), "gitops-helm-")), from: this.repoRoots[0] };
        cpSync(copy.from, copy.root, { recursive: true, filter: (src) => !/(^|[/\\])(\.git|node_modules)$/.test(src) });
        const inflated = inflateHelmCharts(
          withCharts.map((d) => ({ dir: d, shown: this.kustomizationFileShown(d), copy: path.join(copy!.root, path.relative(copy!.from, d)), kustomization: this.kustomizationOf(d)?.value ?? {} })),
          this.repoRoots[this.repoRoots.length - 1],
        );
        for (const w of inflated.notRendered) warnings.push({ rule: "helm/not-rendered", severity: "warning", file: w.file, line: this.helmChartsLine(w.dir), column: 1, message: w.message });
        target = path.join(copy.root, path.relative(copy.from, dir));
      }
      if (options && Object.keys(options).length) {
        // An Application's kustomize options, as Argo CD applies them: a kustomization around the folder.
        tmp = mkdtempSync(path.join(os.tmpdir(), "gitops-app-"));
        writeFileSync(path.join(tmp, "kustomization.yaml"), toYamlDocument({ resources: [path.relative(tmp, target).split(path.sep).join("/")], ...options }));
        target = tmp;
      }
      const shown = tmp || copy ? target : path.relative(this.cwd, target) || ".";
      const result = buildKustomization(shown, { cache: this.buildCache });
      return { objects: result.objects, ...(warnings.length ? { warnings } : {}) };
    } catch (error) {
      if (!(error instanceof KustomizeError)) throw error;
      let message = error.message;
      if (copy) message = message.split(copy.root).join(copy.from);
      message = this.relativeMessage(message);
      if (tmp) message = message.split(`${tmp}${path.sep}`).join("").split(tmp).join("(Application kustomize options)");
      // Kustomize's own words, without the wrapping of the renderer and kubectl.
      message = message
        .replace(/^.*?kustomization\.yaml: /, "")
        .replace(/^kubectl kustomize \S+ failed: /, "")
        .replace(/^error: /, "")
        .replace(/\s*\n\s*/g, " ");
      // The ordinary build has no --enable-helm: say what is missing in words a person can act on.
      if (helmCharts && /enable-helm/.test(message)) message = `helmCharts need kustomize build --enable-helm, ${helm === "enabled" ? "and Helm is not available" : helm}: ${message}`;
      const finding = this.buildFinding(kfile, `kustomize build of ${this.show(dir)} failed: ${message}`);
      // At the field Kustomize refused, when its message says which.
      const field = /enable-helm|HelmChartInflationGenerator/.test(message) ? "helmCharts" : /does not match a config with the following GVK/.test(message) ? "replicas" : /accumulating resources/.test(message) ? "resources" : undefined;
      const doc = this.kustomizationOf(dir)?.file.docs[0];
      if (field && doc && isRecord(doc.value) && field in doc.value) {
        const { line, column } = locatePath(doc, [field]);
        return { objects: [], error: { ...finding, line, column } };
      }
      return { objects: [], error: finding };
    } finally {
      if (tmp) rmSync(tmp, { recursive: true, force: true });
      if (copy) rmSync(copy.root, { recursive: true, force: true });
    }
  }

  /** The kustomize folders with `helmCharts` among a folder and those it builds on. */
  private helmChartDirs(dir: string, seen = new Set<string>(), out: string[] = []): string[] {
    if (seen.has(dir)) return out;
    seen.add(dir);
    const k = this.kustomizationOf(dir)?.value;
    if (!k) return out;
    if (Array.isArray(k.helmCharts) && k.helmCharts.length > 0) out.push(dir);
    for (const list of [k.resources, k.bases, k.components]) {
      if (!Array.isArray(list)) continue;
      for (const r of list) {
        const sub = typeof r === "string" ? path.resolve(dir, r) : undefined;
        if (sub && this.kustomizeDirs.has(sub)) this.helmChartDirs(sub, seen, out);
      }
    }
    return out;
  }

  private helmChartsLine(dir: string): number {
    const doc = this.kustomizationOf(dir)?.file.docs[0];
    return doc && isRecord(doc.value) && "helmCharts" in doc.value ? locatePath(doc, ["helmCharts"]).line : 1;
  }

  /** Whether the repository's Argo CD passes --enable-helm to Kustomize (argocd-cm `kustomize.buildOptions`). */
  private argoEnablesHelm(): boolean {
    return this.known.some((o) => o.kind === "ConfigMap" && nameOf(o) === "argocd-cm" && isRecord(o.data) && /--enable-helm\b/.test(String(o.data["kustomize.buildOptions"] ?? "")));
  }

  private kustomizeUnit(dir: string, name: string): AppliedUnit {
    // A kustomize root that no engine object applies is built as `kustomize build --enable-helm` builds it.
    const built = this.build(dir, undefined, "enabled");
    return {
      kind: "kustomize",
      name,
      cluster: name,
      items: this.itemsOfBuilt(built.objects, dir, this.kustomizationFileShown(dir)),
      findings: [...(built.error ? [built.error] : []), ...(built.warnings ?? [])],
    };
  }

  private chartFolderUnit(dir: string, name: string, cluster: string, at: { item: CheckItem; path: (string | number)[] } | undefined, values: Record_[], release: { releaseName?: string; namespace?: string; includeCrds?: boolean } = {}): AppliedUnit {
    const chart = this.sources.get(path.join(dir, "Chart.yaml"))?.docs[0]?.value;
    const request: ChartRequest = {
      by: name,
      chart: isRecord(chart) && typeof chart.name === "string" ? chart.name : path.basename(dir),
      version: isRecord(chart) ? str(chart.version) : undefined,
      localDir: dir,
      releaseName: release.releaseName ?? path.basename(dir),
      namespace: release.namespace,
      values,
      ...(release.includeCrds === false ? { includeCrds: false } : {}),
    };
    return this.chartUnit(request, name, cluster, at ?? { file: this.show(path.join(dir, "Chart.yaml")) });
  }

  private chartUnit(request: ChartRequest, name: string, cluster: string, at: { item: CheckItem; path: (string | number)[] } | { file: string }): AppliedUnit {
    const result = templateChart({ ...request, lockRoot: request.lockRoot ?? this.repoRoots[this.repoRoots.length - 1] });
    if ("objects" in result) {
      // Argo CD and Flux apply a release's namespaced objects to its namespace when the template names none.
      if (request.namespace) for (const o of result.objects) setDefaultNamespace(o, request.namespace);
      const file = "file" in at ? at.file : at.item.doc.file;
      const text = result.objects.map((o) => toYamlDocument(o));
      let line = 1;
      const items = result.objects.map((value, index) => {
        const doc = { file: `${file} (${request.chart} templated)`, index, line, text: text[index], value };
        line += text[index].split("\n").length;
        return { doc };
      });
      return { kind: "chart", name, cluster, items, findings: [] };
    }
    const what = `${request.chart}${request.version ? ` ${request.version}` : ""}${request.repoURL ? ` from ${request.repoURL}` : ""}`;
    const message = `${request.by}: chart ${what} not rendered: ${result.notRendered}; its objects are not checked`;
    return { kind: "chart", name, cluster, items: [], findings: [this.located(at, "helm/not-rendered", "warning", message)] };
  }

  private located(at: { item: CheckItem; path: (string | number)[] } | { file: string }, rule: string, severity: Finding["severity"], message: string): Finding {
    if ("file" in at) return { rule, severity, message, file: at.file, line: 1, column: 1 };
    const { line, column } = locatePath(at.item.doc, at.path);
    const v = at.item.doc.value as Record_;
    // The object column names the object: the message need not.
    if (message.startsWith(`${showObject(v)}: `)) message = message.slice(showObject(v).length + 2);
    return { rule, severity, message, file: at.item.doc.file, line, column, object: { apiVersion: str(v.apiVersion), kind: str(v.kind), name: nameOf(v), namespace: namespaceOf(v) } };
  }

  /** A path an engine object names, in this repository: tried against the folder given, then its git root. */
  private resolveRepoPath(p: string): string | undefined {
    const clean = p.replace(/^\.\//, "").replace(/\/$/, "") || ".";
    for (const root of this.repoRoots) {
      const abs = path.resolve(root, clean);
      if (existsSync(abs) && statSync(abs).isDirectory()) {
        this.scan(abs);
        return abs;
      }
    }
    return undefined;
  }

  private readonly scanned = new Set<string>();

  /** Reads a folder an engine object points at outside the folder given (the rest of its repository). */
  private scan(abs: string): void {
    if (abs === this.inputRoot || abs.startsWith(this.inputRoot + path.sep) || [...this.scanned].some((d) => abs === d || abs.startsWith(d + path.sep))) return;
    this.scanned.add(abs);
    for (const found of findFiles(path.relative(this.cwd, abs) || ".")) {
      if (this.sources.has(found.abs)) continue;
      this.read(found);
      const name = path.basename(found.abs);
      if (KUSTOMIZATION_NAMES.has(name)) this.kustomizeDirs.add(path.dirname(found.abs));
      if (name === "Chart.yaml") this.chartDirs.add(path.dirname(found.abs));
    }
    // A kustomization may use folders next to it (../base): read the parent's tree too, up to the repository root.
    const parent = path.dirname(abs);
    if (this.kustomizeDirs.has(abs) && parent.startsWith(this.repoRoots[this.repoRoots.length - 1]) && parent !== this.repoRoots[this.repoRoots.length - 1]) this.scan(parent);
  }

  private follow(unit: AppliedUnit): void {
    // What `gitops render` wrote is already built: its Applications were followed when it was rendered.
    if (unit.kind === "rendered") return;
    for (const item of unit.items) {
      const o = item.doc.value;
      if (!isRecord(o) || !isEngineObject(o)) continue;
      const key = `${showObject(o)}@${item.doc.file}`;
      if (this.followed.has(key)) continue;
      this.followed.add(key);
      if (isArgoApplication(o)) this.followApplication(o, item, unit.cluster, ["spec"]);
      else if (isArgoApplicationSet(o)) this.followApplicationSet(o, item, unit.cluster);
      else if (isFluxKustomization(o)) this.followFluxKustomization(o, item, unit.cluster);
      else if (isHelmRelease(o)) this.followHelmRelease(o, item, unit.cluster);
    }
  }

  private warn(unit: AppliedUnit | undefined, at: { item: CheckItem; path: (string | number)[] }, rule: string, message: string, severity: Finding["severity"] = "warning"): AppliedUnit {
    const finding = this.located(at, rule, severity, message);
    if (unit) {
      unit.findings.push(finding);
      return unit;
    }
    const created: AppliedUnit = { kind: "files", name: `notes`, cluster: "notes", items: [], findings: [finding] };
    this.units.push(created);
    return created;
  }

  private readonly parent = new Map<string, string>();
  private readonly consumed = new Set<LoadedDocument>();

  /** Union-find over cluster names: what one unit leads to belongs to its cluster. */
  private find(name: string): string {
    let root = name;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    return root;
  }

  private join(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }

  private replaceStandalone(dir: string, cluster?: string): void {
    const standalone = this.standaloneRoots.get(dir);
    if (!standalone) return;
    this.superseded.add(standalone);
    if (cluster) this.join(cluster, standalone.cluster);
  }

  private addUnit(unit: AppliedUnit): void {
    this.units.push(unit);
    for (const item of unit.items) if (isRecord(item.doc.value)) this.known.push(item.doc.value);
  }

  // --- Argo CD ---------------------------------------------------------------------------------------

  private followApplication(app: Record_, item: CheckItem, cluster: string, specPath: (string | number)[], generatedBy?: string): void {
    const spec = (getPath(app, specPath.slice(1)) ?? app.spec) as Record_ | undefined;
    const appSpec = isRecord(getPath(app, ["spec"])) ? (app.spec as Record_) : {};
    void spec;
    const name = `Application ${namespaceOf(app) ? `${namespaceOf(app)}/` : ""}${nameOf(app)}${generatedBy ? ` (from ${generatedBy})` : ""}`;
    const at = (p: (string | number)[]) => ({ item, path: generatedBy ? ["spec", "template", ...p.slice(1)] : p });
    const sources: { source: Record_; path: (string | number)[] }[] = [];
    if (isRecord(appSpec.source)) sources.push({ source: appSpec.source, path: ["spec", "source"] });
    if (Array.isArray(appSpec.sources)) appSpec.sources.forEach((s, i) => isRecord(s) && sources.push({ source: s, path: ["spec", "sources", i] }));
    const destination = str(getPath(appSpec, ["destination", "namespace"]));
    // Multi-source: `$ref/path` values files read from the source that has that `ref`.
    const refs = new Map<string, string>();
    for (const { source } of sources) {
      if (typeof source.ref === "string" && typeof source.path !== "string") {
        const root = this.repoRoots[0];
        refs.set(source.ref, root);
      } else if (typeof source.ref === "string" && typeof source.path === "string") {
        const abs = this.resolveRepoPath(source.path);
        if (abs) refs.set(source.ref, abs);
      }
    }
    for (const { source, path: sourcePath } of sources) {
      if (typeof source.chart === "string") {
        const helm = isRecord(source.helm) ? source.helm : {};
        this.addUnit(
          this.chartUnit(
            {
              by: name,
              chart: source.chart,
              version: str(source.targetRevision),
              repoURL: str(source.repoURL),
              releaseName: str(helm.releaseName) ?? nameOf(app),
              namespace: destination,
              values: this.argoHelmValues(helm, refs, undefined),
            },
            name,
            cluster,
            at([...sourcePath, "chart"]),
          ),
        );
        continue;
      }
      if (typeof source.path !== "string") continue;
      const dir = this.resolveRepoPath(source.path);
      if (!dir) {
        this.warn(undefined, at([...sourcePath, "path"]), "argocd/path-not-found", `${name}: source path ${JSON.stringify(source.path)} is not a folder of this repository; not followed`);
        continue;
      }
      this.replaceStandalone(dir, cluster);
      if (this.chartDirs.has(dir)) {
        const helm = isRecord(source.helm) ? source.helm : {};
        this.addUnit(this.chartFolderUnit(dir, name, cluster, at([...sourcePath, "path"]), this.argoHelmValues(helm, refs, dir), { releaseName: str(helm.releaseName) ?? nameOf(app), namespace: destination }));
        continue;
      }
      let unit: AppliedUnit;
      if (this.kustomizeDirs.has(dir)) {
        const built = this.build(dir, this.argoKustomizeOptions(source.kustomize), this.argoEnablesHelm() ? "enabled" : ARGO_NO_HELM);
        unit = { kind: "argocd-application", name, cluster, items: this.itemsOfBuilt(built.objects, dir, this.kustomizationFileShown(dir), { app: nameOf(app) }), findings: [...(built.error ? [built.error] : []), ...(built.warnings ?? [])] };
      } else {
        const directory = isRecord(source.directory) ? source.directory : {};
        const items = this.directoryItems(cluster, dir, directory.recurse === true, str(directory.include), str(directory.exclude)).map((i) => ({ ...i, app: nameOf(app) }));
        unit = { kind: "argocd-application", name, cluster, items, findings: [] };
        if (items.length === 0) {
          this.warn(unit, at([...sourcePath, "path"]), "argocd/empty-application", `${name}: path ${JSON.stringify(source.path)} has no kustomization, no Chart.yaml and no manifests: the Application renders nothing`, "error");
        }
      }
      if (destination) for (const i of unit.items) setDefaultNamespace(i.doc.value, destination);
      this.addUnit(unit);
    }
  }

  private argoHelmValues(helm: Record_, refs: ReadonlyMap<string, string>, chartDir: string | undefined): Record_[] {
    const values: Record_[] = [];
    for (const file of Array.isArray(helm.valueFiles) ? helm.valueFiles : []) {
      if (typeof file !== "string") continue;
      const ref = /^\$([^/]+)\/(.*)$/.exec(file);
      const abs = ref ? (refs.get(ref[1]) ? path.join(refs.get(ref[1])!, ref[2]) : undefined) : chartDir ? path.join(chartDir, file) : undefined;
      const doc = abs ? this.sources.get(abs)?.docs[0]?.value : undefined;
      if (isRecord(doc)) values.push(doc);
    }
    if (typeof helm.values === "string") {
      const parsed = parseDocumentsTolerant(helm.values, "values").docs[0]?.value;
      if (isRecord(parsed)) values.push(parsed);
    }
    if (isRecord(helm.valuesObject)) values.push(helm.valuesObject);
    // `parameters` (helm --set name=value) come last: they win.
    const set: Record_ = {};
    for (const p of Array.isArray(helm.parameters) ? helm.parameters : []) {
      if (!isRecord(p) || typeof p.name !== "string") continue;
      const keys = p.name.split(".");
      let at = set;
      for (const key of keys.slice(0, -1)) at = (isRecord(at[key]) ? at[key] : (at[key] = {})) as Record_;
      at[keys[keys.length - 1]] = p.value;
    }
    if (Object.keys(set).length) values.push(set);
    return values;
  }

  private argoKustomizeOptions(kustomize: unknown): Record_ | undefined {
    if (!isRecord(kustomize)) return undefined;
    const options: Record_ = {};
    for (const field of ["namePrefix", "nameSuffix", "namespace", "commonLabels", "commonAnnotations", "images", "patches", "replicas", "components"]) {
      if (kustomize[field] !== undefined) options[field] = kustomize[field];
    }
    return options;
  }

  /** Manifests of a plain folder, as Argo CD's directory source reads them. */
  private directoryItems(cluster: string, dir: string, recurse: boolean, include?: string, exclude?: string, keep: (abs: string) => boolean = () => true): CheckItem[] {
    const match = (glob: string | undefined, rel: string) => {
      if (!glob) return false;
      const globs = glob.startsWith("{") && glob.endsWith("}") ? glob.slice(1, -1).split(",") : [glob];
      return globs.some((g) => globToRegExp(g.trim()).test(rel) || globToRegExp(g.trim()).test(path.posix.basename(rel)));
    };
    const items: CheckItem[] = [];
    for (const [abs, source] of [...this.sources].sort(([a], [b]) => a.localeCompare(b))) {
      if (!abs.startsWith(dir + path.sep)) continue;
      const rel = path.relative(dir, abs).split(path.sep).join("/");
      if (!recurse && rel.includes("/")) continue;
      if (include && !match(include, rel)) continue;
      if (exclude && match(exclude, rel)) continue;
      if (!keep(abs)) continue;
      for (const doc of source.docs) {
        if (!looksLikeObject(doc.value)) continue;
        this.consumed.add(doc);
        this.join(cluster, "files");
        items.push({ doc: { ...doc, value: structuredClone(doc.value) } });
      }
    }
    return items;
  }

  private followApplicationSet(appSet: Record_, item: CheckItem, cluster: string): void {
    const spec = isRecord(appSet.spec) ? appSet.spec : {};
    const template = isRecord(spec.template) ? spec.template : undefined;
    const setName = `ApplicationSet ${namespaceOf(appSet) ? `${namespaceOf(appSet)}/` : ""}${nameOf(appSet)}`;
    if (!template) return;
    const goTemplate = spec.goTemplate === true;
    const paramSets: Record<string, unknown>[] = [];
    (Array.isArray(spec.generators) ? spec.generators : []).forEach((generator, g) => {
      if (!isRecord(generator)) return;
      if (isRecord(generator.list) && Array.isArray(generator.list.elements)) {
        for (const e of generator.list.elements) if (isRecord(e)) paramSets.push(e);
      } else if (isRecord(generator.git) && Array.isArray(generator.git.directories)) {
        const include: RegExp[] = [];
        const exclude: RegExp[] = [];
        for (const d of generator.git.directories) {
          if (isRecord(d) && typeof d.path === "string") (d.exclude === true ? exclude : include).push(globToRegExp(d.path));
        }
        const root = this.repoRoots[0];
        const dirs = new Set<string>();
        for (const abs of this.sources.keys()) {
          for (let dir = path.dirname(abs); dir.startsWith(root + path.sep); dir = path.dirname(dir)) dirs.add(path.relative(root, dir).split(path.sep).join("/"));
        }
        for (const rel of [...dirs].sort()) {
          if (!include.some((r) => r.test(rel)) || exclude.some((r) => r.test(rel))) continue;
          const segments = rel.split("/");
          const base = segments[segments.length - 1];
          const normalized = base.replace(/[^a-zA-Z0-9-]/g, "-").toLowerCase();
          paramSets.push(
            goTemplate
              ? { path: { path: rel, basename: base, basenameNormalized: normalized, segments } }
              : { path: rel, "path.basename": base, "path.basenameNormalized": normalized, ...Object.fromEntries(segments.map((s, i) => [`path[${i}]`, s])) },
          );
        }
      } else {
        const kind = Object.keys(generator)[0] ?? "unknown";
        this.warn(undefined, { item, path: ["spec", "generators", g] }, "argocd/generator-not-followed", `${setName}: the ${kind} generator is not followed (list and git directories are); the Applications it makes are not checked`);
      }
    });
    for (const params of paramSets) {
      const app = { apiVersion: "argoproj.io/v1alpha1", kind: "Application", ...(expandTemplate(template, params, goTemplate) as Record_) };
      this.followApplication(app, item, cluster, ["spec"], setName);
    }
  }

  // --- Flux ------------------------------------------------------------------------------------------

  private findKnown(kind: string, name: string, namespace: string | undefined): Record_ | undefined {
    return this.known.find((o) => o.kind === kind && nameOf(o) === name && (namespace === undefined || (namespaceOf(o) ?? namespace) === namespace));
  }

  private followFluxKustomization(k: Record_, item: CheckItem, cluster: string): void {
    const spec = isRecord(k.spec) ? k.spec : {};
    const name = `Kustomization ${namespaceOf(k) ? `${namespaceOf(k)}/` : ""}${nameOf(k)}`;
    if (typeof spec.path !== "string" && spec.path !== undefined) return;
    const dir = this.resolveRepoPath(typeof spec.path === "string" ? spec.path : ".");
    if (!dir) {
      this.warn(undefined, { item, path: ["spec", "path"] }, "flux/path-not-found", `${name}: path ${JSON.stringify(spec.path)} is not a folder of this repository; not followed`);
      return;
    }
    this.replaceStandalone(dir, cluster);
    let objects: CheckItem[];
    const findings: Finding[] = [];
    if (this.kustomizeDirs.has(dir)) {
      const built = this.build(dir, undefined, FLUX_NO_HELM);
      if (built.error) findings.push(built.error);
      objects = this.itemsOfBuilt(built.objects, dir, this.kustomizationFileShown(dir), { app: nameOf(k) });
    } else {
      // No kustomization.yaml: Flux generates one with every manifest below the path.
      objects = [];
      const below = [...this.kustomizeDirs].filter((d) => d.startsWith(dir + path.sep)).sort();
      for (const sub of below) {
        // Only the top-most kustomizations: the ones below them are their resources.
        if (below.some((other) => sub.startsWith(other + path.sep))) continue;
        const built = this.build(sub, undefined, FLUX_NO_HELM);
        if (built.error) findings.push(built.error);
        this.replaceStandalone(sub, cluster);
        for (const i of this.itemsOfBuilt(built.objects, sub, this.kustomizationFileShown(sub), { app: nameOf(k) })) objects.push(i);
      }
      const loose = (abs: string) => !this.ownerKustomization(abs) && !this.ownerChart(abs);
      for (const i of this.directoryItems(cluster, dir, true, undefined, undefined, loose)) objects.push({ ...i, app: nameOf(k) });
    }
    const targetNamespace = str(spec.targetNamespace);
    if (targetNamespace) for (const i of objects) setNamespace(i.doc.value, targetNamespace);
    const unit: AppliedUnit = { kind: "flux-kustomization", name, cluster, items: objects, findings };
    const postBuild = isRecord(spec.postBuild) ? spec.postBuild : undefined;
    if (postBuild) this.substitute(unit, k, item, postBuild, name);
    this.addUnit(unit);
  }

  /** Flux's postBuild: `${VAR}` from `substitute` and the ConfigMaps and Secrets of `substituteFrom`. */
  private substitute(unit: AppliedUnit, k: Record_, item: CheckItem, postBuild: Record_, name: string): void {
    const vars = new Map<string, string>();
    (Array.isArray(postBuild.substituteFrom) ? postBuild.substituteFrom : []).forEach((ref, i) => {
      if (!isRecord(ref) || typeof ref.name !== "string") return;
      const kind = ref.kind === "Secret" ? "Secret" : "ConfigMap";
      const source = this.findKnown(kind, ref.name, namespaceOf(k) ?? "flux-system");
      if (!source) {
        if (ref.optional !== true) {
          unit.findings.push(this.located({ item, path: ["spec", "postBuild", "substituteFrom", i, "name"] }, "flux/substitute-from-not-found", "warning", `${name}: postBuild.substituteFrom ${kind} ${JSON.stringify(ref.name)} is not in this repository; its variables are unknown here`));
        }
        return;
      }
      for (const [key, value] of Object.entries(isRecord(source.data) ? source.data : {})) {
        if (typeof value !== "string") continue;
        vars.set(key, kind === "Secret" ? Buffer.from(value, "base64").toString("utf8") : value);
      }
      if (kind === "Secret") for (const [key, value] of Object.entries(isRecord(source.stringData) ? source.stringData : {})) if (typeof value === "string") vars.set(key, value);
    });
    // Inline values win over substituteFrom.
    for (const [key, value] of Object.entries(isRecord(postBuild.substitute) ? postBuild.substitute : {})) vars.set(key, String(value));
    const unresolved = new Map<string, Substitution>();
    for (const i of unit.items) {
      const value = i.doc.value;
      if (!isRecord(value) || getPath(value, ["metadata", "annotations", "kustomize.toolkit.fluxcd.io/substitute"]) === "disabled") continue;
      for (const s of substituteObject(value, vars)) if (!unresolved.has(s.variable)) unresolved.set(s.variable, { ...s, item: i } as Substitution & { item: CheckItem });
    }
    for (const [variable, s] of [...unresolved].sort(([a], [b]) => a.localeCompare(b))) {
      const at = (s as Substitution & { item: CheckItem }).item;
      unit.findings.push(
        this.located({ item: at, path: [...s.path] }, "flux/unresolved-substitution", "warning", `unresolved substitution \${${variable}}: ${name} sets it neither in postBuild.substitute nor in a substituteFrom found in this repository, and it has no default`),
      );
    }
  }

  private followHelmRelease(release: Record_, item: CheckItem, cluster: string): void {
    const spec = isRecord(release.spec) ? release.spec : {};
    const ns = namespaceOf(release);
    const name = `HelmRelease ${ns ? `${ns}/` : ""}${nameOf(release)}`;
    const chartSpec = getPath(spec, ["chart", "spec"]);
    const findings: Finding[] = [];
    const values = [this.valuesFrom(release, item, name, findings), ...(isRecord(spec.values) ? [spec.values] : [])];
    // install.crds: Create (the default) and CreateReplace install the chart's CRDs; Skip does not.
    const includeCrds = getPath(spec, ["install", "crds"]) !== "Skip";
    const addUnit = (unit: AppliedUnit) => this.addUnit({ ...unit, findings: [...findings, ...unit.findings] });
    // helm-controller's default release name is [targetNamespace-]name.
    const releaseName = str(spec.releaseName) ?? (str(spec.targetNamespace) ? `${str(spec.targetNamespace)}-${nameOf(release)}` : nameOf(release));
    const namespace = str(spec.targetNamespace) ?? ns;
    if (isRecord(chartSpec) && typeof chartSpec.chart === "string") {
      const ref = isRecord(chartSpec.sourceRef) ? chartSpec.sourceRef : {};
      const source = typeof ref.name === "string" && typeof ref.kind === "string" ? this.findKnown(ref.kind, ref.name, str(ref.namespace) ?? ns) : undefined;
      if (ref.kind === "GitRepository" && source) {
        const dir = this.resolveRepoPath(chartSpec.chart);
        if (dir && this.chartDirs.has(dir)) {
          addUnit(this.chartFolderUnit(dir, name, cluster, { item, path: ["spec", "chart", "spec", "chart"] }, values, { releaseName, namespace, includeCrds }));
          return;
        }
      }
      if (!source) {
        this.warn(undefined, { item, path: ["spec", "chart", "spec", "sourceRef"] }, "helm/not-rendered", `${name}: chart ${chartSpec.chart} not rendered: its source ${String(ref.kind)} ${String(ref.name)} is not in this repository`);
        return;
      }
      addUnit(
        this.chartUnit(
          // No version is Flux's `*`: the latest stable version in the repository's index.
          { by: name, chart: chartSpec.chart, version: str(chartSpec.version) ?? "*", repoURL: str(getPath(source, ["spec", "url"])), releaseName, namespace, values, includeCrds },
          name,
          cluster,
          { item, path: ["spec", "chart", "spec", "chart"] },
        ),
      );
      return;
    }
    const chartRef = isRecord(spec.chartRef) ? spec.chartRef : undefined;
    if (chartRef && typeof chartRef.name === "string") {
      const source = this.findKnown(String(chartRef.kind ?? "OCIRepository"), chartRef.name, str(chartRef.namespace) ?? ns);
      const url = str(getPath(source, ["spec", "url"]));
      if (!source) {
        this.warn(undefined, { item, path: ["spec", "chartRef"] }, "helm/not-rendered", `${name}: chart not rendered: its source ${String(chartRef.kind)} ${chartRef.name} is not in this repository`);
        return;
      }
      const tag = str(getPath(source, ["spec", "ref", "tag"]));
      // An OCIRepository's url names the chart itself (oci://ghcr.io/org/charts/podinfo): Helm pulls it from the folder above.
      const cut = url ? url.replace(/\/+$/, "").lastIndexOf("/") : -1;
      const repoURL = url && cut > "oci://".length ? url.replace(/\/+$/, "").slice(0, cut) : url;
      const chart = url ? url.replace(/\/+$/, "").slice(cut + 1) : chartRef.name;
      addUnit(this.chartUnit({ by: name, chart, version: tag, repoURL, releaseName, namespace, values, includeCrds }, name, cluster, { item, path: ["spec", "chartRef"] }));
    }
  }

  /**
   * A HelmRelease's `valuesFrom`, merged in order as helm-controller merges them (before `values`): the
   * ConfigMaps and Secrets found in this repository, `valuesKey` (default values.yaml), `targetPath`
   * (the value set at that path, typed as `helm --set` types it) and `optional`.
   */
  private valuesFrom(release: Record_, item: CheckItem, name: string, findings: Finding[]): Record_ {
    let result: Record_ = {};
    const refs = getPath(release, ["spec", "valuesFrom"]);
    (Array.isArray(refs) ? refs : []).forEach((ref, i) => {
      if (!isRecord(ref) || typeof ref.name !== "string") return;
      const at = { item, path: ["spec", "valuesFrom", i] };
      const kind = ref.kind === "Secret" ? "Secret" : "ConfigMap";
      const key = str(ref.valuesKey) ?? "values.yaml";
      const source = this.findKnown(kind, ref.name, namespaceOf(release) ?? "default");
      if (!source) {
        if (ref.optional !== true) findings.push(this.located(at, "flux/values-from-not-found", "warning", `${name}: valuesFrom ${kind} ${JSON.stringify(ref.name)} is not in this repository; its values are unknown here`));
        return;
      }
      const data = isRecord(source.data) ? source.data : {};
      const stringData = kind === "Secret" && isRecord(source.stringData) ? source.stringData : {};
      const raw = typeof stringData[key] === "string" ? (stringData[key] as string) : typeof data[key] === "string" ? (kind === "Secret" ? Buffer.from(data[key] as string, "base64").toString("utf8") : (data[key] as string)) : undefined;
      if (raw === undefined) {
        // helm-controller refuses the release: the key is not there.
        if (ref.optional !== true) findings.push(this.located(at, "flux/values-from-key-not-found", "error", `${name}: valuesFrom ${kind} ${JSON.stringify(ref.name)} has no key ${JSON.stringify(key)}; helm-controller fails the release`));
        return;
      }
      if (typeof ref.targetPath === "string" && ref.targetPath !== "") {
        setValuePath(result, ref.targetPath, raw);
        return;
      }
      const parsed = parseDocumentsTolerant(raw, `${kind} ${ref.name} ${key}`);
      const value = parsed.docs[0]?.value;
      if (parsed.errors.length || (value !== undefined && value !== null && !isRecord(value))) {
        findings.push(this.located(at, "flux/values-from-invalid", "error", `${name}: valuesFrom ${kind} ${JSON.stringify(ref.name)} key ${JSON.stringify(key)} is not a YAML map of values; helm-controller fails the release`));
        return;
      }
      if (isRecord(value)) result = mergeValues([result, value]);
    });
    return result;
  }
}

/**
 * Sets `value` at a dot path (`a.b\.c`) as `helm --set path=value` does, which helm-controller uses for
 * valuesFrom's targetPath: true, false, null and integers are typed, a quoted value stays a string.
 */
export function setValuePath(target: Record_, dotPath: string, value: string): void {
  const keys = dotPath.split(/(?<!\\)\./).map((k) => k.replace(/\\\./g, "."));
  let typed: unknown = value;
  if (/^(['"]).*\1$/s.test(value)) typed = value.slice(1, -1);
  else if (/^true$/i.test(value)) typed = true;
  else if (/^false$/i.test(value)) typed = false;
  else if (/^null$/i.test(value)) typed = null;
  else if (/^(0|-?[1-9]\d*)$/.test(value) && Number.isSafeInteger(Number(value))) typed = Number(value);
  let node = target;
  keys.slice(0, -1).forEach((k) => {
    if (!isRecord(node[k])) node[k] = {};
    node = node[k] as Record_;
  });
  node[keys[keys.length - 1]] = typed;
}

/** Argo CD puts namespaced objects without a namespace into the destination namespace. */
function setDefaultNamespace(value: unknown, namespace: string): void {
  if (!isRecord(value) || typeof value.kind !== "string" || isClusterScoped(value.kind)) return;
  const metadata = isRecord(value.metadata) ? value.metadata : (value.metadata = {});
  if (metadata.namespace === undefined) (metadata as Record_).namespace = namespace;
}

/** Flux's targetNamespace overrides the namespace of every namespaced object. */
function setNamespace(value: unknown, namespace: string): void {
  if (!isRecord(value) || typeof value.kind !== "string" || isClusterScoped(value.kind)) return;
  const metadata = isRecord(value.metadata) ? value.metadata : (value.metadata = {});
  (metadata as Record_).namespace = namespace;
}

/** An ApplicationSet template with one generator's parameters: `{{path.basename}}`, or `{{.path.basename}}` with goTemplate. */
export function expandTemplate(template: unknown, params: Record<string, unknown>, goTemplate: boolean): unknown {
  const lookup = (expr: string): string | undefined => {
    const key = expr.trim();
    if (goTemplate) {
      if (!key.startsWith(".")) return undefined;
      const value = key
        .slice(1)
        .split(".")
        .reduce<unknown>((v, k) => (isRecord(v) ? v[k] : undefined), params);
      return value === undefined ? undefined : String(value);
    }
    const value = params[key];
    return value === undefined ? undefined : String(value);
  };
  const expand = (value: unknown): unknown => {
    if (typeof value === "string") return value.replace(/\{\{([^{}]+)\}\}/g, (whole, expr: string) => lookup(expr) ?? whole);
    if (Array.isArray(value)) return value.map(expand);
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v)]));
    return value;
  };
  return expand(template);
}

/** Discovers and builds every applied unit under one input (a folder or a file). */
export function discover(input: string): Discovery {
  return new Discoverer(input).run();
}
