import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { buildKustomization } from "../render/kustomize.ts";
import type { RenderedFile, RenderIndex } from "./render-output.ts";
import { RENDER_DIR } from "./render-output.ts";

/** Builds every overlay of a component folder (overlays/dev, overlays/prod, …) as Kustomize would. */
export function renderComponent(root: string, componentDir: string, cache = new Map<string, unknown>(), outDir = RENDER_DIR): { files: RenderedFile[]; index: RenderIndex } {
  const name = path.posix.basename(componentDir);
  const overlaysDir = path.join(root, componentDir, "overlays");
  const overlays = existsSync(overlaysDir) ? readdirSync(overlaysDir).filter((n) => existsSync(path.join(overlaysDir, n, "kustomization.yaml"))).sort() : [];
  const files: RenderedFile[] = overlays.map((overlay) => ({
    file: `${outDir}/components/${name}/${overlay}.yaml`,
    objects: buildKustomization(path.join(overlaysDir, overlay), { cache }).objects,
    path: `${componentDir}/overlays/${overlay}`,
  }));
  return {
    files,
    index: { kind: "component", name, files: files.map((f) => ({ file: f.file, objects: f.objects.length, path: f.path })) },
  };
}
