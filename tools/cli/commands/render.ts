import path from "node:path";
import { GenerateError, WorkspaceUsageError } from "../../generate/errors.ts";
import { renderCluster, type ChartRender } from "../../pipeline/render-cluster.ts";
import { renderComponent } from "../../pipeline/render-component.ts";
import { memoisedContents } from "../../pipeline/serialized.ts";
import { clusterRenderFiles, clusterRenderIndex, RENDER_DIR, writeRenderFolder, type RenderedFile } from "../../pipeline/render-output.ts";
import { KustomizeError } from "../../render/kustomize.ts";
import { DocumentParseError } from "../../workspace/documents.ts";
import { clusterDirs, componentDirs, findRoot, loadWorkspace } from "../../workspace/workspace.ts";
import { assertGeneratedFresh } from "../../pipeline/freshness.ts";
import { parse } from "../args.ts";
import { EXIT, seconds, UsageError, type CliIO } from "../io.ts";

export const RENDER_HELP = `Usage: gitops render [options]

Renders what Argo CD (or Flux) applies, from the committed files: for each cluster the root, the
AppProjects and Applications (or Flux Kustomizations) it holds, each one's Kustomize folder, and each
one's chart templated as the engine does (pulled into the chart cache first; GITOPS_CHART_MIRROR sends
every pull to a mirror; GITOPS_CHARTS=off skips them), written to dist/render/<cluster>/ (root.yaml,
apps.yaml, apps/<app>.yaml, charts/<app>.yaml, index.json). --component
builds that component's overlays to dist/render/components/<name>/<overlay>.yaml; with --component
alone, no cluster is rendered.

Options:
  --cluster NAME     only this cluster (repeatable); default: every cluster
  --component NAME   render this component's overlays instead (repeatable)
  --output FORMAT    text (default) or json (a summary); --format is an alias, --json means --output json
  -h, --help         show this help`;

export interface RenderTarget {
  readonly kind: "cluster" | "component";
  readonly name: string;
  readonly dir: string;
  readonly files: RenderedFile[];
  readonly builtWithKubectl: string[];
  /** For a cluster: each chart source, rendered or not. */
  readonly charts?: readonly ChartRender[];
}

function pick(all: string[], names: string[] | undefined, what: string): string[] {
  if (!names?.length) return all;
  return names.map((n) => {
    const dir = all.find((d) => path.posix.basename(d) === n);
    if (!dir) throw new UsageError(`gitops render: no ${what} named "${n}"`);
    return dir;
  });
}

/** Renders and writes; returns what was rendered (also used by validate, lint and all). */
export async function runRender(root: string, options: { clusters?: string[]; components?: string[] } = {}): Promise<RenderTarget[]> {
  const componentsToRender = options.components?.length ? pick(componentDirs(root), options.components, "component") : [];
  const clustersToRender = !options.components?.length || options.clusters?.length ? pick(clusterDirs(root), options.clusters, "cluster") : [];
  const filtered = Boolean(options.components?.length || options.clusters?.length);
  // Never render stale files: the committed files must be what the sources generate.
  await assertGeneratedFresh(root, await loadWorkspace(root, filtered ? { components: options.components ?? [], clusters: options.clusters ?? [] } : {}));
  const cache = new Map<string, unknown>();
  const targets: RenderTarget[] = [];
  for (const dir of componentsToRender) {
    const { files, index } = renderComponent(root, dir, cache);
    writeRenderFolder(root, `${RENDER_DIR}/components/${index.name}`, files, index);
    targets.push({ kind: "component", name: index.name, dir, files, builtWithKubectl: [] });
  }
  for (const dir of clustersToRender) {
    const rendered = renderCluster(root, dir, cache, { progress: Boolean(process.stderr.isTTY) });
    const files = clusterRenderFiles(rendered);
    writeRenderFolder(root, `${RENDER_DIR}/${rendered.cluster}`, files, clusterRenderIndex(rendered, files), memoisedContents(files));
    targets.push({ kind: "cluster", name: rendered.cluster, dir, files, builtWithKubectl: rendered.builtWithKubectl, charts: rendered.charts });
  }
  return targets;
}

/** Errors in the user's files (exit 1); a WorkspaceUsageError is a usage error and goes up to main (exit 2). */
export function isUserError(error: unknown): error is Error {
  if (error instanceof WorkspaceUsageError) return false;
  return error instanceof GenerateError || error instanceof KustomizeError || error instanceof DocumentParseError;
}

export async function renderCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse("render", argv, {
    cluster: { type: "string", multiple: true },
    component: { type: "string", multiple: true },
    json: { type: "boolean" },
  });
  if (values.help) {
    io.out(RENDER_HELP);
    return EXIT.ok;
  }
  const started = performance.now();
  const root = findRoot();
  try {
    const targets = await runRender(root, { clusters: values.cluster as string[] | undefined, components: values.component as string[] | undefined });
    const elapsed = performance.now() - started;
    if (values.json) {
      io.out(
        JSON.stringify(
          {
            targets: targets.map((t) => ({
              kind: t.kind,
              name: t.name,
              files: t.files.map((f) => ({ file: f.file, objects: f.objects.length })),
              builtWithKubectl: t.builtWithKubectl,
              ...(t.charts ? { charts: t.charts.map((c) => ({ app: c.app, chart: c.ref.chart, version: c.ref.version, status: c.status, objects: c.objects, ...(c.message ? { message: c.message } : {}) })) } : {}),
            })),
            seconds: Number((elapsed / 1000).toFixed(3)),
          },
          null,
          2,
        ),
      );
    } else {
      for (const t of targets) {
        const objects = t.files.reduce((n, f) => n + f.objects.length, 0);
        io.out(`render ${t.kind} ${t.name}: ${t.files.length} files, ${objects} objects → ${RENDER_DIR}/${t.kind === "component" ? `components/${t.name}` : t.name}/`);
        for (const dir of t.builtWithKubectl) io.out(`  ${dir}: uses Kustomize features beyond the generated subset, built with kubectl`);
        if (t.charts?.length) {
          const rendered = t.charts.filter((c) => c.status === "rendered");
          io.out(`  charts ${rendered.length}/${t.charts.length} rendered (${rendered.reduce((n, c) => n + c.objects, 0)} objects)`);
          for (const c of t.charts.filter((c) => c.status !== "rendered")) io.out(`  ${c.app}: ${c.ref.chart}@${c.ref.version} not rendered (${c.status}): ${c.message ?? ""}`);
        }
      }
      io.out(`render: ${targets.length} ${targets.length === 1 ? "target" : "targets"} in ${seconds(elapsed)}`);
    }
    return EXIT.ok;
  } catch (error) {
    if (isUserError(error)) {
      io.err(`render failed: ${error.message}`);
      return EXIT.findings;
    }
    throw error;
  }
}
