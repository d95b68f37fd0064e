import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ObjectChecker } from "../generate/generate.ts";
import { formatPath, type Finding, type ObjectFinding, type SourceLocation } from "../findings/finding.ts";
import { lintSet, type LintOptions } from "../lint/lint.ts";
import type { DeclaredValidateException } from "../model/policy-exception.ts";
import type { PolicySettings } from "../lint/settings.ts";
import { checkObject } from "../validate/api-rules.ts";
import { checkApiVersion } from "../validate/api-versions.ts";
import { checkCluster, checkClusterWithExceptions, idleExceptionFinding, type CrdProvider } from "../validate/cluster-checks.ts";
import { findDuplicates } from "../validate/duplicates.ts";
import { getPath, isList, isRecord } from "../validate/objects.ts";
import { createSchemaValidator, type SchemaValidator } from "../validate/schema-validator.ts";
import { CacheMemo, gitopsCacheDir, sourceClosureDigest } from "../workspace/cache.ts";
import { locatePath, type LoadedDocument } from "../workspace/documents.ts";

/** The Kubernetes version files are validated for when no cluster says otherwise. */
export const DEFAULT_KUBERNETES_VERSION = "1.34";

/** One document to check, with what is known of where it came from. */
export interface CheckItem {
  readonly doc: LoadedDocument;
  /** The Argo CD Application that applies it, and that app's sync wave. */
  readonly app?: string;
  readonly wave?: number;
  /** The component.ts (repo-relative) that produced it. */
  readonly componentSource?: string;
  /** For an object a chart rendered: the chart (`argo-cd@10.1.1`) and its template file. */
  readonly chart?: { readonly chart: string; readonly template: string };
}

/** What is known of the cluster a set of objects is rendered for. */
export interface ClusterContext {
  readonly crdProviders: readonly CrdProvider[];
  readonly emptyApps: readonly string[];
  /** The validate exceptions the cluster's components declare, in force. */
  readonly exceptions?: readonly DeclaredValidateException[];
}

export interface ValidateOptions {
  readonly kubernetesVersion?: string;
  readonly cluster?: ClusterContext;
  readonly schemas?: SchemaValidator;
  /** Check the references that stay within one applied unit (Rollout services and workloadRef, HPA targets). */
  readonly unitReferences?: boolean;
}

const validators = new Map<string, SchemaValidator>();

/** A schema validator per set of extra schema folders, compiled lazily and shared within the process. */
export function schemaValidator(extraSchemaDirs: readonly string[] = []): SchemaValidator {
  const key = extraSchemaDirs.join("\n");
  let validator = validators.get(key);
  if (!validator) {
    validator = createSchemaValidator({ extraSchemaDirs: [...extraSchemaDirs] });
    validators.set(key, validator);
  }
  return validator;
}

/** At generate time: strict schema errors (unknown fields, wrong types) stop the run before anything is written. */
export function generatedObjectChecker(): ObjectChecker {
  return (object) =>
    schemaValidator()
      .validate(object)
      .filter((f) => f.severity === "error")
      .map((f) => f.message);
}

function objectRef(value: unknown): Finding["object"] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const o = value as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  return { apiVersion: str(o.apiVersion), kind: str(o.kind), name: str(o.metadata?.name), namespace: str(o.metadata?.namespace) };
}

const sourceLines = new Map<string, string[]>();

/**
 * The line of a component.ts (or cluster.ts) that most likely made an object: `new Kind(`, else `kind:
 * "Kind"`, else the defineComponent (defineCluster) call. For an object a chart rendered: the line of
 * the chart's `values`, which set it.
 */
export function sourceLocationOf(root: string, source: string, kind: string | undefined, fromChart = false): SourceLocation {
  let lines = sourceLines.get(source);
  if (!lines) {
    try {
      lines = readFileSync(path.join(root, source), "utf8").split("\n");
    } catch {
      lines = [];
    }
    sourceLines.set(source, lines);
  }
  const patterns = kind && !fromChart ? [new RegExp(`new ${kind}\\(`), new RegExp(`kind:\\s*["']${kind}["']`)] : [];
  if (fromChart) {
    // The values function inside the chart block.
    const chartLine = lines.findIndex((l) => /^\s*chart:\s*\{/.test(l));
    const valuesLine = chartLine >= 0 ? lines.findIndex((l, i) => i > chartLine && /^\s*values:/.test(l)) : -1;
    const index = valuesLine >= 0 ? valuesLine : chartLine;
    if (index >= 0) return { file: source, line: index + 1, column: lines[index].search(/\S/) + 1 };
  }
  patterns.push(/defineComponent\b/, /defineCluster\b/);
  for (const pattern of patterns) {
    const index = lines.findIndex((l) => pattern.test(l));
    if (index >= 0) return { file: source, line: index + 1, column: lines[index].search(/\S/) + 1 };
  }
  return { file: source, line: 1, column: 1 };
}

/**
 * What the checks look at: each document's object, and each item of a `kind: List` (what `kubectl get
 * -o yaml` writes) as an object of its own, so that schemas, policies, duplicates and cross-object checks
 * see what the API server would create. `prefix` is the item's path inside its document.
 */
interface Checked {
  readonly item: CheckItem;
  readonly value: unknown;
  readonly prefix: readonly (string | number)[];
}

function checkedObjects(items: readonly CheckItem[]): Checked[] {
  const out: Checked[] = [];
  for (const item of items) {
    const value = item.doc.value;
    if (isRecord(value) && isList(value)) value.items.forEach((entry, i) => out.push({ item, value: entry, prefix: ["items", i] }));
    else out.push({ item, value, prefix: [] });
  }
  return out;
}

/** How many objects the checks see in these documents (a List counts its items). */
export function objectCount(items: readonly CheckItem[]): number {
  return checkedObjects(items).length;
}

let locations: CacheMemo<[number, number]> | null | undefined;
/**
 * Where a path is in a document's text, memoised in the toolchain cache: finding it parses the document
 * again with a position-keeping parser, and most findings of a run are those of the last run. The
 * position is a function of the text and the path (the document's first line shifts it), computed by
 * documents.ts with the `yaml` package: the memo's name covers both.
 */
function locationMemo(): CacheMemo<[number, number]> | null {
  if (locations === undefined) {
    try {
      const yamlVersion = (createRequire(import.meta.url)("yaml/package.json") as { version: string }).version;
      const code = createHash("sha256").update(`locations 1\nyaml ${yamlVersion}\n`).update(readFileSync(fileURLToPath(new URL("../workspace/documents.ts", import.meta.url)))).digest("hex");
      locations = new CacheMemo<[number, number]>(path.join(gitopsCacheDir(), "locations", `${code.slice(0, 24)}.json`), 1);
    } catch {
      locations = null;
    }
  }
  return locations;
}

let apiRules: CacheMemo<ObjectFinding[]> | null | undefined;
/**
 * The API-server rules' findings of a document, memoised in the toolchain cache by the digest of its text
 * (which determines the object): `checkObject` is a pure function of the object, so the memo's name is a
 * digest of api-rules.ts and every module it imports.
 */
function checkObjectOf(value: unknown, digest: string | undefined): ObjectFinding[] {
  if (digest === undefined) return checkObject(value);
  if (apiRules === undefined) {
    const code = sourceClosureDigest(new URL("../validate/api-rules.ts", import.meta.url));
    apiRules = code ? new CacheMemo<ObjectFinding[]>(path.join(gitopsCacheDir(), "api-rules", `${code.slice(0, 24)}.json`), 1) : null;
  }
  if (!apiRules) return checkObject(value);
  const known = apiRules.get(digest);
  if (known) return known.slice();
  const findings = checkObject(value);
  apiRules.set(digest, findings);
  return findings;
}

const textDigests = new WeakMap<LoadedDocument, string>();

/** `locatePath`, memoised by the document's text and the path. */
function locateIn(doc: LoadedDocument, at: readonly (string | number)[]): { line: number; column: number } {
  const memo = locationMemo();
  if (!memo) return locatePath(doc, at);
  let digest = doc.digest ?? textDigests.get(doc);
  if (digest === undefined) textDigests.set(doc, (digest = createHash("sha256").update(doc.text).digest("base64url")));
  const key = `${digest} ${JSON.stringify(at)}`;
  const known = memo.get(key);
  if (known) return { line: doc.line + known[0], column: known[1] };
  const found = locatePath(doc, at);
  memo.set(key, [found.line - doc.line, found.column]);
  return found;
}

/** Turns an object finding into a located finding: rendered file and line, the object, the source. */
function locate(checked: Checked, found: ObjectFinding, root: string): Finding {
  const { item, prefix } = checked;
  const finding = prefix.length ? { ...found, path: [...prefix, ...(found.path ?? [])], message: `${formatPath(prefix)}: ${found.message}` } : found;
  const { line, column } = finding.path?.length ? locateIn(item.doc, finding.path) : { line: item.doc.line, column: 1 };
  const object = objectRef(checked.value);
  return {
    ...finding,
    file: item.doc.file,
    line,
    column,
    object,
    source: item.componentSource ? sourceLocationOf(root, item.componentSource, object?.kind, item.chart !== undefined) : undefined,
    ...(item.chart ? { chart: item.chart } : {}),
  };
}

/** Same problem found by two checks (the schema's enum and the API server's): keep the first. */
function dedupe(results: { id: number; finding: ObjectFinding }[]): { id: number; finding: ObjectFinding }[] {
  const seen = new Set<string>();
  return results.filter(({ id, finding }) => {
    const key = `${id}|${formatPath(finding.path)}|${finding.rule.split("/").pop()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A Flux `${VAR}` left in a value: reported once as an unresolved substitution, never as a bad quantity or name. */
function isSubstitution(value: unknown): boolean {
  return typeof value === "string" && /\$\{[A-Za-z_][A-Za-z0-9_]*(:?[=-][^}]*)?\}/.test(value);
}

/** Schemas, API-server rules, API versions, duplicates and (for a cluster) cross-object checks. */
export function validateItems(items: readonly CheckItem[], root: string, options: ValidateOptions = {}): Finding[] {
  const schemas = options.schemas ?? schemaValidator();
  const version = options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const checked = checkedObjects(items);
  const results: { id: number; finding: ObjectFinding }[] = [];
  checked.forEach(({ item, value, prefix }, id) => {
    // An empty document is nothing; an empty item of a List is a mistake the API rules report.
    if ((value === null || value === undefined) && prefix.length === 0) return;
    const digest = prefix.length === 0 ? item.doc.digest : undefined;
    for (const finding of checkObjectOf(value, digest)) results.push({ id, finding });
    for (const finding of schemas.validate(value, digest)) results.push({ id, finding });
    for (const finding of checkApiVersion(value, version)) results.push({ id, finding });
  });
  const placeOf = (id: number) => {
    const { item, prefix } = checked[id];
    return `${item.doc.file}:${prefix.length ? locatePath(item.doc, prefix).line : item.doc.line}`;
  };
  for (const d of findDuplicates(checked.map(({ value }, id) => ({ object: value, id })), placeOf)) {
    results.push({ id: d.id, finding: d.finding });
  }
  const extra: Finding[] = [];
  if (options.unitReferences && !options.cluster) {
    const unitFindings = checkCluster({ objects: checked.map(({ value }, id) => ({ object: value, id })), crdProviders: [], emptyApps: [], unitOnly: true });
    for (const c of unitFindings) if (c.id !== undefined) results.push({ id: c.id, finding: c.finding });
  }
  if (options.cluster) {
    const { findings: clusterFindings, idle } = checkClusterWithExceptions({
      objects: checked.map(({ item, value }, id) => ({ object: value, id, app: item.app, wave: item.wave })),
      crdProviders: options.cluster.crdProviders,
      emptyApps: options.cluster.emptyApps,
      exceptions: options.cluster.exceptions,
    });
    for (const c of clusterFindings) {
      if (c.id !== undefined) results.push({ id: c.id, finding: c.finding });
      else extra.push({ ...c.finding, file: items[0]?.doc.file ?? "", line: 1, column: 1 });
    }
    // An exception that waives nothing hides nothing today, but would hide a real finding tomorrow.
    for (const one of idle) {
      const file = one.exception.source ? path.relative(root, one.exception.source).split(path.sep).join("/") : "";
      const at = file ? exceptionLocation(root, file, one.exception.rule) : { file: items[0]?.doc.file ?? "", line: 1, column: 1 };
      extra.push({ ...idleExceptionFinding(one), ...at, ...(file ? { source: at } : {}) });
    }
  }
  const kept = dedupe(results).filter(({ id, finding }) => !isSubstitution(getPath(checked[id].value, finding.path ?? [])));
  return [...kept.map(({ id, finding }) => locate(checked[id], finding, root)), ...extra];
}

/**
 * The policy rules over a set of objects, honouring the typed exceptions of the set's components; a
 * finding about an exception itself points at the component.ts that declares it.
 */
export function lintItems(items: readonly CheckItem[], root: string, settings: PolicySettings, options: LintOptions = {}): Finding[] {
  const checked = checkedObjects(items);
  const report = lintSet(checked.map(({ value }, id) => ({ object: value, id })), settings, options);
  return [
    ...report.objects.map(({ id, finding }) => locate(checked[id], finding, root)),
    ...report.exceptions.map(({ exception, finding }) => {
      const file = exception.source ? path.relative(root, exception.source).split(path.sep).join("/") : "";
      const at = file ? exceptionLocation(root, file, exception.rule) : { file: "", line: 1, column: 1 };
      return { ...finding, ...at, source: at };
    }),
  ];
}

/** The line of a component.ts that declares an exception of `rule` (`rule: "<id>"`), else its defineComponent. */
function exceptionLocation(root: string, source: string, rule: string): SourceLocation {
  let lines: string[];
  try {
    lines = readFileSync(path.join(root, source), "utf8").split("\n");
  } catch {
    return { file: source, line: 1, column: 1 };
  }
  const index = lines.findIndex((l) => new RegExp(`rule:\\s*["']${rule.replace(/[^a-z0-9/-]/g, "")}["']`).test(l));
  if (index >= 0) return { file: source, line: index + 1, column: lines[index].search(/\S/) + 1 };
  return sourceLocationOf(root, source, undefined);
}
