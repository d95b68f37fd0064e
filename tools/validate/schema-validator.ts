/**
 * Strict schema validation of plain Kubernetes objects against the schema directories written by
 * `buildSchemas` (schemas/kubernetes) and `runSchemasImport` (a user's imported CRDs).
 *
 * One ajv instance; each directory's files are added when a kind of that directory is first needed, and each
 * kind is compiled once, on first use. ajv errors become findings:
 *
 *   schema/unknown-field  `spec.template.spec.containers[0]: unknown field "imagePullPolciy"` (path AT the field)
 *   schema/type           `spec.replicas must be integer, got string "three"`
 *   schema/required       `spec.template.spec: missing required field "containers"`
 *   schema/enum           `spec.type: "LoadBalancr" is not one of ClusterIP, ExternalName, LoadBalancer, NodePort`
 *   schema/<keyword>      other constraints of imported CRDs (pattern, minimum, …)
 *   schema/unknown-kind   (warning) no schema for the object's apiVersion and kind
 *
 * `null` is accepted for any field: the API server treats an explicit null as "not set" (and prunes it from
 * custom resources), and generated YAML often carries `creationTimestamp: null`.
 * Objects without a string apiVersion and kind get no schema findings (other rules report them).
 *
 * Compiling a kind's schema is the slow part (hundreds of milliseconds for a workload kind), and every
 * process (each Nx task) needs it again. So each compiled kind is also written as ajv standalone code to
 * node_modules/.cache/gitops/ajv-<hash>/, where <hash> covers ajv's version, the options and the bytes
 * of the schema files the kind's schema can reach (its file and the files it references, transitively):
 * the core kinds, and a CRD that two clusters install alike, share their compiled code although each
 * cluster's set of CRDs differs. A later process loads that code instead of compiling. The loaded
 * function is the code ajv generated for the compiled one, so results are the same; an entry that does
 * not load is compiled again.
 *
 * Loading that code is slow too (hundreds of kilobytes of JavaScript per kind), and an object's schema
 * findings are a pure function of the object and its kind's schema. So they are memoised as well, in
 * node_modules/.cache/gitops/schema-findings/<hash>.json, keyed by a hash of the object's content, where
 * <hash> covers the compiled code's key and this module's source (which turns ajv's errors into
 * findings): a run whose objects and schemas did not change loads no validator at all, and a changed
 * object, schema or ajv is validated again.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Ajv as AjvInstance, ErrorObject, Options as AjvOptions, ValidateFunction } from "ajv";
import type { ObjectFinding } from "../findings/finding.ts";
import { formatPath } from "../findings/finding.ts";
import { DEFAULT_SCHEMA_DIR } from "../schemas/schema-files.ts";
import { CacheMemo, flushMemos, gitopsCacheDir, writeCacheFile } from "../workspace/cache.ts";
import { BUILT_IN_GROUPS } from "./cluster-checks.ts";

export { DEFAULT_SCHEMA_DIR };

export interface SchemaValidatorOptions {
  /** The main schema directory (default: schemas/kubernetes of this repository). */
  schemaDir?: string;
  /** More directories (imported CRDs); a kind in a later directory replaces the same kind in earlier ones. */
  extraSchemaDirs?: string[];
  /** Reuse and write compiled validators on disk (default true). */
  cache?: boolean;
  /** Where (default: node_modules/.cache/gitops, or $GITOPS_CACHE_DIR). */
  cacheDir?: string;
  /** Reuse and write memoised findings (default: as `cache`). */
  memo?: boolean;
}

export interface SchemaValidator {
  /**
   * The object's findings. `identity`: a digest of a text that determines the object (the renderer's
   * YAML of a parsed object, serialized.ts), taken as the memo key instead of hashing the object.
   */
  validate(object: unknown, identity?: string): ObjectFinding[];
  knows(apiVersion: string, kind: string): boolean;
  /** Writes the findings memoised since the last flush (done anyway when the process exits). */
  flush(): void;
}

interface KindEntry {
  readonly dir: number;
  readonly ref: string;
}

const BASE = "https://schemas.gitops.invalid/";

const AJV_OPTIONS: AjvOptions = { allErrors: true, strict: false, validateFormats: false, verbose: true, messages: true, inlineRefs: false, code: { source: true, optimize: false } };

/** Bump when the cached code's shape changes. */
const CACHE_FORMAT = 2;
/** Compiled-code folders kept (one per schema file and the files it references, of every version seen). */
const KEEP_CACHE_FOLDERS = 64;
/** Bump when the memoised findings' shape changes. */
const MEMO_FORMAT = 1;

const localRequire = createRequire(import.meta.url);

let ajvKeyText: string | undefined;
/** What every compiled validator depends on besides its schema files: ajv's version, the options, the format. */
function ajvKey(): string {
  if (ajvKeyText === undefined) {
    const ajvVersion = (localRequire("ajv/package.json") as { version: string }).version;
    ajvKeyText = `format ${CACHE_FORMAT}\najv ${ajvVersion}\n${JSON.stringify(AJV_OPTIONS)}\n`;
  }
  return ajvKeyText;
}

let findingsCodeHash: string | null | undefined;
/** What turns ajv's errors into findings: this module's and finding.ts's source (null when unreadable: no memo). */
function findingsCodeKey(): string | null {
  if (findingsCodeHash === undefined) {
    try {
      const hash = createHash("sha256").update(`memo ${MEMO_FORMAT}\n`);
      for (const url of [import.meta.url, new URL("../findings/finding.ts", import.meta.url).href]) hash.update(readFileSync(fileURLToPath(url)));
      findingsCodeHash = hash.digest("hex");
    } catch {
      findingsCodeHash = null;
    }
  }
  return findingsCodeHash;
}

/** The files a schema file references (`<file>.json#/definitions/…`), by name. */
function referencedFiles(text: string): string[] {
  const out = new Set<string>();
  for (const match of text.matchAll(/"\$ref"\s*:\s*"([^"#]+)#/g)) out.add(match[1]!);
  return [...out];
}

function cacheFileName(ref: string): string {
  return ref.replace(/[^A-Za-z0-9._-]+/g, "_");
}

/**
 * The cached validator of a kind, or undefined. The file holds ajv's standalone code wrapped in a function
 * of `require`, so that ajv's runtime helpers resolve from this toolchain wherever the cache lives.
 */
export function loadCompiledValidator(file: string): ValidateFunction | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const factory = localRequire(file) as (require: NodeJS.Require) => ValidateFunction;
    const fn = factory(localRequire);
    return typeof fn === "function" ? fn : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a validator's standalone code to the cache; with `prune`, keeps only the latest compiled-code folders beside it. */
export function saveCompiledValidator(file: string, ajv: AjvInstance, fn: ValidateFunction, options: { prune?: boolean } = {}): void {
  try {
    const standalone = localRequire("ajv/dist/standalone") as { default: (ajv: AjvInstance, fn: ValidateFunction) => string };
    const code = standalone.default(ajv, fn);
    const folder = path.dirname(file);
    const fresh = !existsSync(folder);
    writeCacheFile(
      file,
      `"use strict";\nmodule.exports = function (require) {\nconst module = { exports: {} };\nconst exports = module.exports;\n${code}\nreturn module.exports;\n};\n`,
    );
    if (fresh && options.prune) pruneCacheFolders(path.dirname(folder), path.basename(folder));
  } catch {
    // The cache is an optimisation: a failure to write it changes nothing else.
  }
}

/** Keeps the most recently used compiled-code folders. */
function pruneCacheFolders(parent: string, current: string): void {
  const others = readdirSync(parent)
    .filter((name) => name.startsWith("ajv-") && name !== current)
    .map((name) => ({ name, time: statSync(path.join(parent, name)).mtimeMs }))
    .sort((a, b) => b.time - a.time);
  for (const old of others.slice(KEEP_CACHE_FOLDERS - 1)) rmSync(path.join(parent, old.name), { recursive: true, force: true });
}

/** A JSON text of an object that tells an undefined field from a missing one (ajv does: an unknown field is reported even when undefined). */
function objectText(object: unknown): string {
  return JSON.stringify(object, (_key, value: unknown) => (value === undefined ? "\u0000undefined" : value));
}

/** Writes every memo with new entries (also done when the process exits). */
export const flushSchemaFindings = flushMemos;

const sharedMemos = new Map<string, CacheMemo<ObjectFinding[]>>();

export function createSchemaValidator(options: SchemaValidatorOptions = {}): SchemaValidator {
  const dirs = [options.schemaDir ?? DEFAULT_SCHEMA_DIR, ...(options.extraSchemaDirs ?? [])].map((d) => path.resolve(d));
  const kinds = new Map<string, KindEntry>();
  const versionsOfKind = new Map<string, Set<string>>();
  dirs.forEach((dir, i) => {
    const indexFile = path.join(dir, "index.json");
    if (!existsSync(indexFile)) throw new Error(`no schema index at ${indexFile} (run "gitops schemas build" or "gitops schemas import")`);
    const index = JSON.parse(readFileSync(indexFile, "utf8")) as { kinds: Record<string, Record<string, string>> };
    for (const [apiVersion, byKind] of Object.entries(index.kinds)) {
      for (const [kind, ref] of Object.entries(byKind)) {
        kinds.set(key(apiVersion, kind), { dir: i, ref });
        let versions = versionsOfKind.get(kind);
        if (!versions) versionsOfKind.set(kind, (versions = new Set()));
        versions.add(apiVersion);
      }
    }
  });

  const kindsByApiVersion = new Map<string, string[]>();
  for (const k of kinds.keys()) {
    const [apiVersion, kind] = k.split(" ");
    kindsByApiVersion.set(apiVersion, [...(kindsByApiVersion.get(apiVersion) ?? []), kind]);
  }
  const kindsOfApiVersion = (apiVersion: string) => kindsByApiVersion.get(apiVersion) ?? [];

  // ajv itself is loaded only when a kind has to be compiled.
  let ajv: AjvInstance | undefined;
  const getAjv = (): AjvInstance => {
    if (!ajv) {
      const { Ajv } = localRequire("ajv") as typeof import("ajv");
      ajv = new Ajv(AJV_OPTIONS);
    }
    return ajv;
  };
  const loadedDirs = new Set<number>();
  const loadDir = (i: number): void => {
    if (loadedDirs.has(i)) return;
    loadedDirs.add(i);
    const dir = dirs[i]!;
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith(".json") || file === "index.json") continue;
      const schema = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Record<string, unknown>;
      if (!schema || typeof schema !== "object" || !("definitions" in schema)) continue;
      // The committed schemas are checked against the JSON Schema meta-schema by their tests; imported ones here.
      getAjv().addSchema({ ...schema, $id: `${BASE}d${i}/${file}` }, undefined, undefined, dir !== DEFAULT_SCHEMA_DIR);
    }
  };

  const cacheDir = options.cache === false ? null : options.cacheDir ?? gitopsCacheDir();
  const codeKeys = new Map<string, string | null>();
  /**
   * The key of a kind's compiled code: ajv and the bytes of the schema file its ref names and of every
   * file that file references, transitively; null when a file cannot be read (then nothing is cached).
   */
  const codeKeyOf = (entry: KindEntry): string | null => {
    const file = entry.ref.slice(0, entry.ref.indexOf("#"));
    const id = `${entry.dir} ${file}`;
    let codeKey = codeKeys.get(id);
    if (codeKey === undefined) {
      try {
        const dir = dirs[entry.dir]!;
        const texts = new Map<string, string>();
        const pending = [file];
        while (pending.length > 0) {
          const next = pending.pop()!;
          if (texts.has(next)) continue;
          const text = readFileSync(path.join(dir, next), "utf8");
          texts.set(next, text);
          pending.push(...referencedFiles(text));
        }
        const hash = createHash("sha256").update(ajvKey());
        for (const name of [...texts.keys()].sort()) hash.update(`${name} ${texts.get(name)!.length}\n`).update(texts.get(name)!);
        codeKey = hash.digest("hex").slice(0, 24);
      } catch {
        codeKey = null;
      }
      codeKeys.set(id, codeKey);
    }
    return codeKey;
  };

  const memos = new Map<string, CacheMemo<ObjectFinding[]> | null>();
  /** The findings memo of a kind (by its schema file); null when the cache is off or unusable. */
  const memoOf = (entry: KindEntry): CacheMemo<ObjectFinding[]> | null => {
    if (!cacheDir || options.memo === false) return null;
    const id = `${entry.dir} ${entry.ref.slice(0, entry.ref.indexOf("#"))}`;
    let memo = memos.get(id);
    if (memo === undefined) {
      const codeKey = codeKeyOf(entry);
      const codeSource = findingsCodeKey();
      memo = null;
      if (codeKey && codeSource) {
        const memoKey = createHash("sha256").update(`${codeKey}\n${codeSource}\n`).digest("hex").slice(0, 24);
        const file = path.join(cacheDir, "schema-findings", `${memoKey}.json`);
        // One memo per file in the process: the validators of several clusters share the core kinds' memo.
        memo = sharedMemos.get(file) ?? new CacheMemo<ObjectFinding[]>(file, MEMO_FORMAT);
        sharedMemos.set(file, memo);
      }
      memos.set(id, memo);
    }
    return memo;
  };

  const compiled = new Map<string, ValidateFunction | ObjectFinding | null>();
  /** The kind's compiled validator; null for an unknown kind; a finding when its schema does not compile. */
  const compile = (apiVersion: string, kind: string): ValidateFunction | ObjectFinding | null => {
    const entry = kinds.get(key(apiVersion, kind));
    if (!entry) return null;
    const codeKey = cacheDir ? codeKeyOf(entry) : null;
    const file = codeKey ? path.join(cacheDir!, `ajv-${codeKey}`, `${cacheFileName(entry.ref)}.cjs`) : undefined;
    if (file) {
      const loaded = loadCompiledValidator(file);
      if (loaded) return loaded;
    }
    try {
      loadDir(entry.dir);
      const id = `${BASE}d${entry.dir}/${entry.ref}`;
      const fn = getAjv().getSchema(id);
      if (!fn) throw new Error(`${entry.ref} not found`);
      if (file) saveCompiledValidator(file, getAjv(), fn, { prune: true });
      return fn;
    } catch (error) {
      return {
        rule: "schema/invalid-schema",
        severity: "error",
        message: `the schema of ${kind} (${apiVersion}) in ${dirs[entry.dir]} does not compile: ${(error as Error).message}`,
        path: ["kind"],
        hint: "rebuild or re-import the schemas (gitops schemas build | gitops schemas import)",
      };
    }
  };

  /** The findings of an object of a known kind, by its compiled validator. */
  const run = (k: string, apiVersion: string, kind: string, object: unknown): ObjectFinding[] => {
    let fn = compiled.get(k);
    if (fn === undefined) {
      fn = compile(apiVersion, kind);
      compiled.set(k, fn);
    }
    if (fn === null) return [unknownKind(apiVersion, kind, versionsOfKind.get(kind), kindsOfApiVersion(apiVersion))];
    if (typeof fn !== "function") return [fn];
    if (fn(object)) return [];
    return toFindings(fn.errors ?? [], object);
  };

  return {
    knows: (apiVersion, kind) => kinds.has(key(apiVersion, kind)),
    validate(object: unknown, identity?: string): ObjectFinding[] {
      if (typeof object !== "object" || object === null || Array.isArray(object)) return [];
      const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
      if (typeof apiVersion !== "string" || typeof kind !== "string") return [];
      const k = key(apiVersion, kind);
      const entry = kinds.get(k);
      const memo = entry ? memoOf(entry) : null;
      if (!entry || !memo) return run(k, apiVersion, kind, object);
      // An identity is hashed as "yaml <digest>", never a JSON text: the two kinds of key cannot meet.
      const digest = createHash("sha256")
        .update(`${entry.ref}\n`)
        .update(identity !== undefined ? `yaml ${identity}` : objectText(object))
        .digest("base64url");
      const known = memo.get(digest);
      if (known) return known.slice();
      const findings = run(k, apiVersion, kind, object);
      // A schema that does not compile is reported, never remembered.
      if (!findings.some((f) => f.rule === "schema/invalid-schema")) memo.set(digest, findings);
      return findings;
    },
    flush: () => {
      for (const memo of memos.values()) memo?.flush();
    },
  };
}

function key(apiVersion: string, kind: string): string {
  return `${apiVersion} ${kind}`;
}

/** Edit distance, for "did you mean": a kind typo is a letter or two away. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

function unknownKind(apiVersion: string, kind: string, known: ReadonlySet<string> | undefined, kindsOfVersion: readonly string[]): ObjectFinding {
  const others = known ? [...known].sort() : [];
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  // The API server serves these groups itself: no CRD can add a kind to them, so an unknown kind is a typo.
  if (BUILT_IN_GROUPS.has(group) && others.length === 0 && kindsOfVersion.length > 0) {
    const nearest = [...kindsOfVersion].sort((a, b) => distance(kind, a) - distance(kind, b) || a.localeCompare(b))[0];
    return {
      rule: "schema/unknown-kind",
      severity: "error",
      message: `${kind} is not a kind of ${apiVersion}, and no CRD can add one to the built-in group ${group === "" ? "core (v1)" : group}`,
      path: ["kind"],
      hint: distance(kind, nearest) <= Math.max(2, Math.floor(kind.length / 3)) ? `did you mean ${nearest}?` : `${apiVersion} serves ${[...kindsOfVersion].sort().join(", ")}`,
    };
  }
  return {
    rule: "schema/unknown-kind",
    severity: "warning",
    message: `no schema for ${kind} of apiVersion ${apiVersion}, so its fields are not checked`,
    path: ["kind"],
    hint:
      others.length > 0
        ? `schemas know ${kind} in ${others.join(", ")}`
        : `if a CRD defines it, import the CRD: gitops schemas import <crd.yaml>`,
  };
}

/** ajv's instancePath (`/spec/containers/0`) as a field path, numbers where the data holds arrays. */
function toPath(instancePath: string, data: unknown): (string | number)[] {
  if (instancePath === "") return [];
  const out: (string | number)[] = [];
  let current: unknown = data;
  for (const raw of instancePath.slice(1).split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(current)) {
      const index = Number(segment);
      out.push(index);
      current = current[index];
    } else {
      out.push(segment);
      current = current && typeof current === "object" ? (current as Record<string, unknown>)[segment] : undefined;
    }
  }
  return out;
}

/** `string "three"`, `number 1.5`, `boolean true`, `object`, `array`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "string":
      return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
    case "number":
    case "boolean":
      return `${typeof value} ${String(value)}`;
    default:
      return typeof value;
  }
}

function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function prefixOf(at: readonly (string | number)[]): string {
  return at.length === 0 ? "" : `${formatPath(at)}: `;
}

function toFindings(errors: readonly ErrorObject[], object: unknown): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  const seen = new Set<string>();
  const push = (finding: ObjectFinding): void => {
    const id = `${finding.rule}\u0000${finding.message}`;
    if (seen.has(id)) return;
    seen.add(id);
    findings.push(finding);
  };
  for (const error of errors) {
    // Errors of the branches of an anyOf/oneOf: the combinator's own error reports them once.
    if (/\/(anyOf|oneOf)\/\d+\//.test(error.schemaPath)) continue;
    const at = toPath(error.instancePath, object);
    switch (error.keyword) {
      case "additionalProperties": {
        const field = String((error.params as { additionalProperty: string }).additionalProperty);
        const known = Object.keys(((error.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
        const suggestion = closest(field, known);
        push({
          rule: "schema/unknown-field",
          severity: "error",
          message: `${prefixOf(at)}unknown field "${field}"`,
          path: [...at, field],
          ...(suggestion ? { hint: `did you mean "${suggestion}"?` } : {}),
        });
        break;
      }
      case "type": {
        if (error.data === null) break; // null means "not set"
        const expected = String((error.params as { type: string | string[] }).type).split(",").join(" or ");
        push({
          rule: "schema/type",
          severity: "error",
          message: `${at.length > 0 ? formatPath(at) : "the object"} must be ${expected}, got ${describeValue(error.data)}`,
          path: at,
        });
        break;
      }
      case "required": {
        const field = String((error.params as { missingProperty: string }).missingProperty);
        push({ rule: "schema/required", severity: "error", message: `${prefixOf(at)}missing required field "${field}"`, path: [...at, field] });
        break;
      }
      case "enum": {
        if (error.data === null) break;
        const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
        push({
          rule: "schema/enum",
          severity: "error",
          message: `${prefixOf(at)}${showValue(error.data)} is not one of ${allowed.join(", ")}`,
          path: at,
        });
        break;
      }
      case "anyOf":
      case "oneOf": {
        if (error.data === null) break;
        const branches = (error.schema as unknown[] | undefined) ?? [];
        const requiredOnly = branches.every((b) => b && typeof b === "object" && Object.keys(b).length === 1 && Array.isArray((b as { required?: unknown }).required));
        const choices = requiredOnly ? branches.map((b) => ((b as { required: string[] }).required).join(" + ")) : [];
        push({
          rule: `schema/${error.keyword}`,
          severity: "error",
          message: `${at.length > 0 ? formatPath(at) : "the object"} ${error.message ?? "is not valid"}`,
          path: at,
          ...(requiredOnly ? { hint: `set ${error.keyword === "oneOf" ? "exactly" : "at least"} one of: ${choices.join(", ")}` } : {}),
        });
        break;
      }
      default: {
        if (error.data === null) break;
        push({
          rule: `schema/${error.keyword}`,
          severity: "error",
          message: `${at.length > 0 ? formatPath(at) : "the object"} ${error.message ?? "is not valid"}, got ${describeValue(error.data)}`,
          path: at,
        });
      }
    }
  }
  return findings;
}

/** The known property nearest to a misspelled one (edit distance ≤ 2, or ≤ 3 for long names). */
function closest(field: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = field.length > 8 ? 3 : 2;
  for (const candidate of known) {
    if (Math.abs(candidate.length - field.length) > limit) continue;
    const d = editDistance(field.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Damerau–Levenshtein distance (optimal string alignment): `imagePullPolciy` is 1 from `imagePullPolicy`. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}
