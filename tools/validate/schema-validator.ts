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
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { ObjectFinding } from "../findings/finding.ts";
import { formatPath } from "../findings/finding.ts";
import { DEFAULT_SCHEMA_DIR } from "../schemas/schema-files.ts";

export { DEFAULT_SCHEMA_DIR };

export interface SchemaValidatorOptions {
  /** The main schema directory (default: schemas/kubernetes of this repository). */
  schemaDir?: string;
  /** More directories (imported CRDs); a kind in a later directory replaces the same kind in earlier ones. */
  extraSchemaDirs?: string[];
}

export interface SchemaValidator {
  validate(object: unknown): ObjectFinding[];
  knows(apiVersion: string, kind: string): boolean;
}

interface KindEntry {
  readonly dir: number;
  readonly ref: string;
}

const BASE = "https://schemas.gitops.invalid/";

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

  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, verbose: true, messages: true });
  const loadedDirs = new Set<number>();
  const loadDir = (i: number): void => {
    if (loadedDirs.has(i)) return;
    loadedDirs.add(i);
    const dir = dirs[i]!;
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith(".json") || file === "index.json") continue;
      const schema = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Record<string, unknown>;
      if (!schema || typeof schema !== "object" || !("definitions" in schema)) continue;
      ajv.addSchema({ ...schema, $id: `${BASE}d${i}/${file}` });
    }
  };

  const compiled = new Map<string, ValidateFunction | ObjectFinding | null>();
  /** The kind's compiled validator; null for an unknown kind; a finding when its schema does not compile. */
  const compile = (apiVersion: string, kind: string): ValidateFunction | ObjectFinding | null => {
    const entry = kinds.get(key(apiVersion, kind));
    if (!entry) return null;
    try {
      loadDir(entry.dir);
      const id = `${BASE}d${entry.dir}/${entry.ref}`;
      const fn = ajv.getSchema(id);
      if (!fn) throw new Error(`${entry.ref} not found`);
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

  return {
    knows: (apiVersion, kind) => kinds.has(key(apiVersion, kind)),
    validate(object: unknown): ObjectFinding[] {
      if (typeof object !== "object" || object === null || Array.isArray(object)) return [];
      const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
      if (typeof apiVersion !== "string" || typeof kind !== "string") return [];
      const k = key(apiVersion, kind);
      let fn = compiled.get(k);
      if (fn === undefined) {
        fn = compile(apiVersion, kind);
        compiled.set(k, fn);
      }
      if (fn === null) return [unknownKind(apiVersion, kind, versionsOfKind.get(kind))];
      if (typeof fn !== "function") return [fn];
      if (fn(object)) return [];
      return toFindings(fn.errors ?? [], object);
    },
  };
}

function key(apiVersion: string, kind: string): string {
  return `${apiVersion} ${kind}`;
}

function unknownKind(apiVersion: string, kind: string, known: ReadonlySet<string> | undefined): ObjectFinding {
  const others = known ? [...known].sort() : [];
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
