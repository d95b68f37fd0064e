/**
 * TypeScript support for the gitops process (tools/, component.ts and cluster.ts files), registered
 * before anything TypeScript is imported. Plain JavaScript, so that it runs before that support exists.
 *
 * On Node 22.15 and later: an in-thread module hook that removes the types with Node's own TypeScript
 * stripper (`module.stripTypeScriptTypes`), which replaces them with blanks so that lines and columns stay
 * as written; files with syntax that must be transformed (parameter properties, enums) get Node's
 * transform mode with an inline source map. That is several times faster than tsx, which transforms
 * each file through esbuild from a separate hooks thread, and it matters when a platform has hundreds of
 * component files. The JavaScript is kept in the toolchain cache (node_modules/.cache/gitops/ts/, or
 * $GITOPS_CACHE_DIR/ts/) under a hash of the TypeScript source and the Node version, so an unchanged file
 * is not stripped again. On older Node versions: tsx, as before.
 */
import module from "node:module";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const TS_FILE = /\.[cm]?ts$/;

/** Runs Node's stripper without its one-time "experimental feature" warning on standard error. */
function strip(source, options) {
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return module.stripTypeScriptTypes(source, options);
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** JavaScript for a TypeScript file: types blanked out, or transformed when blanking is not enough. */
export function typeScriptToJavaScript(source, url) {
  try {
    return strip(source, { mode: "strip" });
  } catch (error) {
    if (error?.code !== "ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX") throw error;
    return strip(source, { mode: "transform", sourceMap: true, sourceUrl: url });
  }
}

function formatOf(url, context) {
  if (url.endsWith(".cts") || context.format === "commonjs-typescript") return "commonjs";
  return "module";
}

const TOOLS_REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let cacheDir;
let counter = 0;

function cacheFolder() {
  if (cacheDir === undefined) {
    const root = process.env.GITOPS_CACHE_DIR ? path.resolve(process.env.GITOPS_CACHE_DIR) : path.join(TOOLS_REPO_ROOT, "node_modules", ".cache", "gitops");
    cacheDir = path.join(root, "ts");
  }
  return cacheDir;
}

/** The JavaScript of a TypeScript file, from the cache when this source was stripped before. */
function javaScriptOf(file, url) {
  const source = readFileSync(file, "utf8");
  // The URL is part of the key: a transformed file's source map names it.
  const key = createHash("sha256").update(`${process.version}\n${url}\n`).update(source).digest("hex").slice(0, 32);
  const cached = path.join(cacheFolder(), key.slice(0, 2), `${key}.js`);
  try {
    return readFileSync(cached, "utf8");
  } catch {
    // Not cached yet.
  }
  const code = typeScriptToJavaScript(source, url);
  try {
    mkdirSync(path.dirname(cached), { recursive: true });
    const tmp = `${cached}.tmp-${process.pid}-${counter++}`;
    writeFileSync(tmp, code);
    renameSync(tmp, cached);
  } catch {
    // The cache is an optimisation only.
  }
  return code;
}

/**
 * A kubernetes-models class module (not one of its `_schemas/` validators), e.g.
 * node_modules/kubernetes-models/apps/v1/Deployment.js.
 */
const MODEL_FILE = /\/node_modules\/(?:kubernetes-models|@kubernetes-models\/[^/]+)\/(?!_schemas\/)[^?#]*\.js$/;
/** Such a module's one import of its runtime validator, as the packages are built. */
const EAGER_VALIDATOR = /import\{validate\}from("[^"]*\/_schemas\/[^"]+\.js");/;

/**
 * kubernetes-models imports every model's runtime validator when the model is imported, although a
 * validator runs only when `.validate()` is called: `gitops validate` and `lint` on this platform
 * loaded some 640 modules they never use, a third of a second per process. This defers the import to that first call
 * (the same module, loaded with require()), keeping `validate.errors` as the packages read it.
 * A module not written in the expected shape is left as it is.
 */
export function deferModelValidator(source) {
  const match = EAGER_VALIDATOR.exec(source);
  if (!match) return source;
  const lazy =
    `import{createRequire as __gitopsCreateRequire}from"node:module";let __gitopsValidator;` +
    `function validate(data){__gitopsValidator??=__gitopsCreateRequire(import.meta.url)(${match[1]}).validate;` +
    `const valid=__gitopsValidator(data);validate.errors=__gitopsValidator.errors;return valid}`;
  return source.replace(match[0], lazy);
}

function load(url, context, nextLoad) {
  if (url.startsWith("file:") && MODEL_FILE.test(url) && process.env.GITOPS_EAGER_MODELS !== "1") {
    const result = nextLoad(url, context);
    if (result.format !== "module" || result.source == null) return result;
    const text = typeof result.source === "string" ? result.source : Buffer.from(result.source).toString("utf8");
    return { ...result, source: deferModelValidator(text) };
  }
  if (!url.startsWith("file:") || !TS_FILE.test(url)) return nextLoad(url, context);
  return { format: formatOf(url, context), source: javaScriptOf(fileURLToPath(url), url), shortCircuit: true };
}

/** Whether this Node has what the in-thread loader needs. */
export function nativeTypeScriptAvailable() {
  return typeof module.registerHooks === "function" && typeof module.stripTypeScriptTypes === "function";
}

let registered = false;

/**
 * Registers the in-thread loader, synchronously, where this Node has what it needs; returns whether it
 * did. Registering twice is harmless (the second call does nothing).
 */
export function registerNativeTypeScript() {
  if (registered) return true;
  if (process.env.GITOPS_TS_LOADER === "tsx" || !nativeTypeScriptAvailable()) return false;
  module.registerHooks({ load });
  registered = true;
  return true;
}

/** Registers TypeScript support; returns which one. GITOPS_TS_LOADER=tsx forces tsx. */
export async function registerTypeScript() {
  if (registerNativeTypeScript()) return "node";
  const { register } = await import("tsx/esm/api");
  register();
  return "tsx";
}
