import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, existsSync, readFileSync } from "node:fs";
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
  }[];
}

export function clusterRenderFiles(rendered: RenderedCluster, outDir = RENDER_DIR): RenderedFile[] {
  const dir = `${outDir}/${rendered.cluster}`;
  return [
    { file: `${dir}/root.yaml`, objects: rendered.root },
    { file: `${dir}/apps.yaml`, objects: rendered.appObjects, app: "root" },
    ...rendered.apps.map((app) => ({ file: `${dir}/apps/${app.name}.yaml`, objects: app.objects, app: app.name, wave: app.wave, path: app.path })),
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
      };
    }),
  };
}

/**
 * Replaces a render folder with new content: written to a sibling folder first, then swapped in, so a
 * reader never sees a mix of old and new files.
 */
export function writeRenderFolder(root: string, dir: string, files: readonly RenderedFile[], index: RenderIndex): void {
  const abs = path.join(root, dir);
  const tmp = `${abs}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  for (const f of files) {
    const target = path.join(tmp, path.relative(dir, f.file));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, toYamlDocuments([...f.objects]));
  }
  mkdirSync(tmp, { recursive: true });
  writeFileSync(path.join(tmp, "index.json"), `${JSON.stringify(index, null, 2)}\n`);
  rmSync(abs, { recursive: true, force: true });
  mkdirSync(path.dirname(abs), { recursive: true });
  renameSync(tmp, abs);
}

export function readRenderIndex(root: string, dir: string): RenderIndex | undefined {
  const file = path.join(root, dir, "index.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as RenderIndex) : undefined;
}

export function listRenderedClusters(root: string, outDir = RENDER_DIR): string[] {
  const abs = path.join(root, outDir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).filter((n) => n !== "components" && existsSync(path.join(abs, n, "index.json"))).sort();
}
