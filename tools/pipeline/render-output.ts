import { mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync, type Dirent } from "node:fs";
import { threadId } from "node:worker_threads";
import path from "node:path";
import type { KubeObject } from "../model/kube-object.ts";
import { toYamlDocuments } from "../render/serialize.ts";
import type { RenderedCluster } from "./render-cluster.ts";

export const RENDER_DIR = "dist/render";

/** A rendered file: what one Application (or the root, or one overlay) applies. */
export interface RenderedFile {
  /** Repo-relative path under dist/render/. */
  readonly file: string;
  readonly objects: readonly KubeObject[];
  /** The Application the objects belong to, for cluster renders. */
  readonly app?: string;
  readonly wave?: number;
  /** The folder Kustomize built. */
  readonly path?: string;
  /** For a chart's objects: the chart (`argo-cd@10.1.1`) and each object's template, in object order. */
  readonly chart?: string;
  readonly templates?: readonly string[];
  /**
   * A key that determines `objects` entirely (a chart's template cache key): their serialised form is
   * memoised under it (serialized.ts).
   */
  readonly contentKey?: string;
}

/** What a rendered folder holds, written as index.json beside the YAML. */
export interface RenderIndex {
  readonly kind: "cluster" | "component";
  readonly name: string;
  readonly files: readonly {
    readonly file: string;
    readonly objects: number;
    readonly app?: string;
    readonly wave?: number;
    readonly path?: string;
    readonly chart?: { readonly repoURL: string; readonly chart: string; readonly version: string };
    readonly namespace?: string;
    /** For a chart's file: rendered, or why not. */
    readonly chartStatus?: string;
  }[];
}

export function clusterRenderFiles(rendered: RenderedCluster, outDir = RENDER_DIR): RenderedFile[] {
  const dir = `${outDir}/${rendered.cluster}`;
  return [
    { file: `${dir}/root.yaml`, objects: rendered.root },
    { file: `${dir}/apps.yaml`, objects: rendered.appObjects, app: "root" },
    ...rendered.apps.map((app) => ({ file: `${dir}/apps/${app.name}.yaml`, objects: app.objects, app: app.name, wave: app.wave, path: app.path })),
    // What each app's chart renders, beside what its git folder builds.
    ...rendered.apps
      .filter((app) => app.chart && app.chartObjects.length)
      .map((app) => ({
        file: `${dir}/charts/${app.name}.yaml`,
        objects: app.chartObjects.map((o) => o.object),
        app: app.name,
        wave: app.wave,
        chart: `${app.chart!.chart}@${app.chart!.version}`,
        templates: app.chartObjects.map((o) => o.template),
        ...(app.chartKey ? { contentKey: `chart ${app.chartKey}` } : {}),
      })),
  ];
}

export function clusterRenderIndex(rendered: RenderedCluster, files: readonly RenderedFile[]): RenderIndex {
  const apps = new Map(rendered.apps.map((a) => [a.name, a]));
  return {
    kind: "cluster",
    name: rendered.cluster,
    files: files.map((f) => {
      const app = f.app ? apps.get(f.app) : undefined;
      return {
        file: f.file,
        objects: f.objects.length,
        ...(f.app ? { app: f.app } : {}),
        ...(f.wave !== undefined ? { wave: f.wave } : {}),
        ...(f.path ? { path: f.path } : {}),
        ...(app?.chart ? { chart: app.chart } : {}),
        ...(app?.namespace ? { namespace: app.namespace } : {}),
        ...(f.chart ? { chartStatus: rendered.charts.find((c) => c.app === f.app)?.status ?? "rendered" } : {}),
      };
    }),
  };
}

/**
 * Writes a render folder: each file through a temporary sibling and a rename (a file that already holds
 * the same bytes is left as it is), then removes files the
 * render no longer has. Renders are deterministic, so two processes writing the same folder at once
 * (validate and lint in parallel) write the same bytes, and a reader never sees a half-written file.
 */
export function writeRenderFolder(
  root: string,
  dir: string,
  files: readonly RenderedFile[],
  index: RenderIndex,
  /** Each file's YAML (text or UTF-8 bytes) when the caller has already serialised it (serialized.ts). */
  serialized?: ReadonlyMap<string, string | Uint8Array>,
): void {
  const wanted = new Set<string>();
  const write = (rel: string, content: string | Uint8Array) => {
    const target = path.join(root, rel);
    wanted.add(path.resolve(target));
    // A warm run renders what is there already: an identical file keeps its time stamp (for watchers and incremental tools).
    if (sameContent(target, content)) return;
    const tmp = `${target}.tmp-${process.pid}-${threadId}`;
    // Another process pruning the same folder may remove an empty subfolder between mkdir and write: retry.
    for (let attempt = 1; ; attempt++) {
      try {
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(tmp, content);
        renameSync(tmp, target);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT" || attempt >= 5) throw error;
      }
    }
  };
  for (const f of files) write(f.file, serialized?.get(f.file) ?? toYamlDocuments([...f.objects]));
  write(`${dir}/index.json`, `${JSON.stringify(index, null, 2)}\n`);
  // Removes what this render no longer has. Other processes may be writing the same folder at the same
  // time: their temporary files are left alone, and entries that vanish meanwhile are not errors.
  const prune = (abs: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.includes(".tmp-")) continue;
      const child = path.join(abs, entry.name);
      if (entry.isDirectory()) {
        prune(child);
        try {
          // Only when empty: fails, and is left, when another process has just written into it.
          rmdirSync(child);
        } catch {
          // Not empty, or already gone.
        }
      } else if (!wanted.has(path.resolve(child))) rmSync(child, { force: true });
    }
  };
  prune(path.join(root, dir));
}

/** Whether `file` holds exactly `content` (false when it cannot be read). */
function sameContent(file: string, content: string | Uint8Array): boolean {
  try {
    const stat = statSync(file);
    if (!stat.isFile() || stat.size !== (typeof content === "string" ? Buffer.byteLength(content) : content.byteLength)) return false;
    return readFileSync(file).equals(typeof content === "string" ? Buffer.from(content) : content);
  } catch {
    return false;
  }
}
