/**
 * Which API versions a chart's output can depend on. Helm shows a chart the cluster's API versions only
 * through `.Capabilities.APIVersions`, and `.Has "<group/version[/Kind]>"` is an exact membership test
 * (Helm's VersionSet.Has). So when every mention of APIVersions in a chart (its subcharts, helpers and
 * any other file included) is `.Has` of a literal string, the output depends only on which of those
 * literals the cluster serves, and two `helm template` runs that agree on them give the same output.
 * The template cache is keyed on that, so a chart is templated once for all clusters and both passes of
 * a render (before and after its charts' CRDs are known) unless it really asks for a version that differs.
 * Anything else (a computed argument, `range .Capabilities.APIVersions`, a helper that receives the set)
 * makes the whole list part of the key.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { writeCacheFile } from "../workspace/cache.ts";
import { readArchive } from "./chart-source.ts";
import { chartsCacheDir } from "./pull.ts";

/** The literals a chart tests with `.Capabilities.APIVersions.Has`, sorted, or "all" when it reads the set otherwise. */
export type ApiVersionUse = readonly string[] | "all";

const ACTION = /\{\{[\s\S]*?\}\}/g;
const HAS_LITERAL = /APIVersions\.Has\s+"([^"\\]*)"/g;
const MENTION = /APIVersions/g;
/** `.Capabilities` used whole (`toYaml .Capabilities`, passed to a helper): it holds the set too. */
const WHOLE_CAPABILITIES = /Capabilities(?!\.(?:APIVersions|KubeVersion|HelmVersion)\b)/;

/** What the files of a chart (a .tgz's bytes, subcharts inside it included) read of the API versions. */
export function apiVersionUseOf(bytes: Buffer, where: string): ApiVersionUse {
  const literals = new Set<string>();
  const visit = (archive: Buffer, at: string): boolean => {
    for (const [rel, content] of readArchive(archive, at, () => true)) {
      if (rel.endsWith(".tgz")) {
        if (!visit(content, `${at}: ${rel}`)) return false;
        continue;
      }
      const text = content.toString("latin1");
      if (!text.includes("Capabilities") && !text.includes("APIVersions")) continue;
      // Only template actions read the set (a CRD's description or a comment may name the word).
      for (const [action] of text.matchAll(ACTION)) {
        if (WHOLE_CAPABILITIES.test(action)) return false;
        const mentions = action.match(MENTION)?.length ?? 0;
        if (mentions === 0) continue;
        let found = 0;
        for (const m of action.matchAll(HAS_LITERAL)) {
          literals.add(m[1]);
          found++;
        }
        if (found !== mentions) return false;
      }
    }
    return true;
  };
  return visit(bytes, where) ? [...literals].sort() : "all";
}

/** Bump when what apiVersionUseOf finds changes. */
const FORMAT = 1;
const known = new Map<string, ApiVersionUse>();

/**
 * The use of a pulled chart package, by its sha256: read once, then remembered in the chart cache
 * (`api-version-use/<sha256>.json`). The package was checked against the digest when it was pulled.
 */
export function apiVersionUse(file: string, sha256: string): ApiVersionUse {
  let use = known.get(sha256);
  if (use !== undefined) return use;
  const memo = path.join(chartsCacheDir(), "api-version-use", `${sha256}.json`);
  try {
    const stored = JSON.parse(readFileSync(memo, "utf8")) as { format?: number; use?: unknown };
    if (stored.format === FORMAT && (stored.use === "all" || (Array.isArray(stored.use) && stored.use.every((v) => typeof v === "string")))) use = stored.use as ApiVersionUse;
  } catch {
    // Not remembered yet.
  }
  if (use === undefined) {
    try {
      use = apiVersionUseOf(readFileSync(file), file);
      writeCacheFile(memo, `${JSON.stringify({ format: FORMAT, use })}\n`);
    } catch {
      // A chart folder (not a package) or an unreadable archive: key on every API version.
      use = "all";
    }
  }
  known.set(sha256, use);
  return use;
}

/**
 * The API versions of `apiVersions` that a chart with this use can tell apart: all of them for "all", or
 * when the values could reach the set through `tpl`.
 */
export function apiVersionsSeen(use: ApiVersionUse, apiVersions: readonly string[], valuesText = ""): string[] {
  const served = [...new Set(apiVersions)].sort();
  if (use === "all" || valuesText.includes("Capabilities") || valuesText.includes("APIVersions")) return served;
  const set = new Set(served);
  return use.filter((v) => set.has(v));
}
