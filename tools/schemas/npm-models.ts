/**
 * Reads the model packages the project installs (kubernetes-models and @kubernetes-models/*): their `.d.ts`
 * declarations, with every type reference resolved to a global definition name, and their top-level kinds.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseDts, type Declaration, type ParsedDts, type TypeNode } from "./dts-parser.ts";

export interface ModelPackage {
  /** npm name, e.g. `@kubernetes-models/argo-cd`. */
  readonly name: string;
  readonly dir: string;
  readonly version: string;
  /** Name of the definitions file written for this package, e.g. `argo-cd.json`. */
  readonly schemaFile: string;
}

export interface ModelDefinition {
  /** Global name without the leading `I`, e.g. `IoK8sApiAppsV1Deployment`. */
  readonly name: string;
  readonly pkg: ModelPackage;
  /** The `.d.ts` file, relative to the package directory. */
  readonly file: string;
  readonly decl: Declaration;
  /** Resolves a type name used in this definition's file to a global definition name. */
  readonly resolve: (localName: string) => string | undefined;
}

export interface ModelKind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly definition: string;
}

export interface ModelSet {
  readonly packages: readonly ModelPackage[];
  readonly definitions: ReadonlyMap<string, ModelDefinition>;
  readonly kinds: readonly ModelKind[];
}

/** Packages that hold helpers, not models. */
const NOT_MODELS: ReadonlySet<string> = new Set(["@kubernetes-models/base", "@kubernetes-models/validate"]);

export function schemaFileOf(packageName: string): string {
  if (packageName === "kubernetes-models") return "kubernetes.json";
  return `${packageName.replace(/^@kubernetes-models\//, "")}.json`;
}

/** kubernetes-models and every installed @kubernetes-models/* package with models, sorted by name. */
export function listModelPackages(rootDir: string): ModelPackage[] {
  const nodeModules = path.join(rootDir, "node_modules");
  const names: string[] = [];
  if (existsSync(path.join(nodeModules, "kubernetes-models", "package.json"))) names.push("kubernetes-models");
  const scope = path.join(nodeModules, "@kubernetes-models");
  if (existsSync(scope)) {
    for (const entry of readdirSync(scope).sort()) {
      const name = `@kubernetes-models/${entry}`;
      if (!NOT_MODELS.has(name) && existsSync(path.join(scope, entry, "package.json"))) names.push(name);
    }
  }
  return names.sort().map((name) => {
    const dir = path.join(nodeModules, name);
    const version = (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
    return { name, dir, version, schemaFile: schemaFileOf(name) };
  });
}

function listDts(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "_schemas" && entry.name !== "node_modules") listDts(full, out);
    } else if (entry.name.endsWith(".d.ts") && entry.name !== "index.d.ts") out.push(full);
  }
  return out;
}

/** `networking.istio.io/v1/VirtualService` → `NetworkingIstioIoV1VirtualService` (the packages' own naming). */
function nameFromPath(relativeFile: string, localName: string): string {
  const dirs = path.dirname(relativeFile).split(path.sep).filter((p) => p !== ".");
  const prefix = dirs
    .flatMap((d) => d.split(/[.\-_]/))
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");
  return prefix + localName.replace(/^I/, "");
}

interface FileInfo {
  readonly abs: string;
  readonly pkg: ModelPackage;
  readonly parsed: ParsedDts;
  /** Local declaration name → global definition name (for `I…` declarations). */
  readonly globals: Map<string, string>;
  readonly locals: Map<string, Declaration>;
}

export function loadModels(rootDir: string): ModelSet {
  const packages = listModelPackages(rootDir);
  const nodeModules = path.join(rootDir, "node_modules");
  const files = new Map<string, FileInfo>();
  const definitions = new Map<string, ModelDefinition>();
  const duplicates: string[] = [];

  for (const pkg of packages) {
    for (const abs of listDts(pkg.dir)) {
      const rel = path.relative(pkg.dir, abs);
      const parsed = parseDts(readFileSync(abs, "utf8"), path.join(pkg.name, rel));
      const locals = new Map(parsed.declarations.map((d) => [d.name, d] as const));
      const globals = new Map<string, string>();
      for (const [exported, local] of parsed.exportAliases) {
        if (exported.startsWith("I") && local.startsWith("I") && locals.has(local)) globals.set(local, exported.slice(1));
      }
      for (const decl of parsed.declarations) {
        if (decl.name.startsWith("I") && !globals.has(decl.name)) globals.set(decl.name, nameFromPath(rel, decl.name));
      }
      files.set(abs, { abs, pkg, parsed, globals, locals });
    }
  }

  const resolveModule = (fromFile: string, specifier: string): string | undefined => {
    let base: string;
    if (specifier.startsWith(".")) base = path.resolve(path.dirname(fromFile), specifier);
    else {
      const parts = specifier.split("/");
      const pkgLen = specifier.startsWith("@") ? 2 : 1;
      base = path.join(nodeModules, ...parts.slice(0, pkgLen), ...parts.slice(pkgLen));
    }
    base = base.replace(/\.js$/, "");
    for (const candidate of [`${base}.d.ts`, path.join(base, "index.d.ts")]) if (files.has(candidate)) return candidate;
    return undefined;
  };

  const resolveIn = (file: FileInfo, name: string, seen: Set<string>): string | undefined => {
    const key = `${file.abs}#${name}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    const global = file.globals.get(name);
    if (global) return global;
    const local = file.locals.get(name);
    if (local && local.form === "alias" && local.type.kind === "ref") return resolveIn(file, local.type.name, seen);
    const exportedLocal = file.parsed.exportAliases.get(name);
    if (exportedLocal && exportedLocal !== name) return resolveIn(file, exportedLocal, seen);
    const imported = file.parsed.imports.get(name);
    if (imported) {
      const target = resolveModule(file.abs, imported.from);
      if (target) {
        const resolved = resolveIn(files.get(target)!, imported.imported, seen);
        if (resolved) return resolved;
      }
      return definitionsByGlobal(imported.imported);
    }
    return definitionsByGlobal(name);
  };
  const definitionsByGlobal = (name: string): string | undefined => (name.startsWith("I") && allGlobals.has(name.slice(1)) ? name.slice(1) : undefined);

  const allGlobals = new Set<string>();
  for (const file of files.values()) for (const g of file.globals.values()) allGlobals.add(g);

  for (const file of files.values()) {
    for (const decl of file.parsed.declarations) {
      const name = file.globals.get(decl.name);
      if (!name) continue;
      if (definitions.has(name)) {
        duplicates.push(`${name}: ${definitions.get(name)!.pkg.name}/${definitions.get(name)!.file} and ${file.pkg.name}/${path.relative(file.pkg.dir, file.abs)}`);
        continue;
      }
      definitions.set(name, {
        name,
        pkg: file.pkg,
        file: path.relative(file.pkg.dir, file.abs),
        decl,
        resolve: (localName) => resolveIn(file, localName, new Set()),
      });
    }
  }
  if (duplicates.length > 0) throw new Error(`definitions declared twice:\n${duplicates.join("\n")}`);

  const kinds: ModelKind[] = [];
  for (const def of definitions.values()) {
    if (def.decl.form !== "interface" || def.decl.type.kind !== "object") continue;
    const members = def.decl.type.members;
    const apiVersion = literalOf(members.find((m) => m.name === "apiVersion")?.type);
    const kind = literalOf(members.find((m) => m.name === "kind")?.type);
    if (typeof apiVersion === "string" && typeof kind === "string") kinds.push({ apiVersion, kind, definition: def.name });
  }
  kinds.sort((a, b) => compareStrings(a.apiVersion, b.apiVersion) || compareStrings(a.kind, b.kind) || compareStrings(a.definition, b.definition));
  return { packages, definitions, kinds };
}

function literalOf(type: TypeNode | undefined): string | number | boolean | undefined {
  return type?.kind === "literal" ? type.value : undefined;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
