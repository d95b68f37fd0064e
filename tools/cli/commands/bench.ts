import { existsSync } from "node:fs";
import path from "node:path";
import { runBench, toMarkdown, writeReport } from "../../bench/bench.ts";
import { startChartMirror, UPSTREAM_CHARTS, type ChartMirror } from "../../testing/chart-mirror.ts";
import { findRoot } from "../../workspace/workspace.ts";
import { parse } from "../args.ts";
import { EXIT, UsageError, type CliIO } from "../io.ts";

export const BENCH_HELP = `Usage: gitops bench [options]

Benchmarks the whole pipeline (\`npm run bench\`). For each size, writes a synthetic platform of N
components × M clusters into a temporary workspace (Deployments with probes, resources and security
contexts, Services, ConfigMaps, Ingresses, HPAs, PDBs, RBAC, cert-manager Certificates, ServiceMonitors;
dev and prod values that differ), then measures generate, render, validate and lint, the whole pipeline
cold and warm, Nx with a cold and a warm cache, and \`nx affected\` after one component changes (checking
that only that component's and its clusters' tasks are in the task graph). Runs real \`kubectl kustomize\`
on every folder the clusters' engines build, compares the output object by object and prints the
renderer's time beside it. Then measures this repository's platform the same way, charts included: its
charts come from GITOPS_CHART_MIRROR, else from ../shared/upstream/charts served on 127.0.0.1 for the
run; rows for \`charts pull\` into an empty cache and a render with no templated chart output cached
(the warm rows reuse both). Nothing is asserted
against a time: the figures are printed beside the targets.

Options:
  --components N     a synthetic size (repeatable; default: 25 and 400)
  --clusters M       clusters of each synthetic platform (default: 3)
  --out DIR          where bench.md and bench.json go (default: dist/bench)
  --output FORMAT    text (Markdown, default) or json; --format is an alias, --json means --output json
  --kubectl-sample K time kubectl on K folders per size and extrapolate (default: every folder)
  --no-kubectl       leave kubectl out
  --no-nx            leave Nx out
  --no-real          leave this repository's platform out
  --no-synthetic     leave the synthetic platforms out (measure this repository's platform only)
  --real-runs R      repetitions of the real platform's measurements, median reported (default: 3)
  --tools DIR        measure the toolchain in DIR instead of tools/ (an older checkout's, for before/after
                     figures; kubectl comparison still uses this checkout's renderer)
  --keep             keep the temporary workspaces
  -h, --help         show this help

Progress goes to standard error; the report to standard output and the --out folder.`;

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`gitops bench: --${flag} must be a positive integer, got "${value}"`);
  return n;
}

function checkedToolsDir(dir: string): string {
  const abs = path.resolve(dir);
  if (!existsSync(path.join(abs, "bin", "gitops.mjs"))) throw new UsageError(`gitops bench: --tools ${dir} holds no bin/gitops.mjs`);
  return abs;
}

export async function benchCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse("bench", argv, {
    components: { type: "string", multiple: true },
    clusters: { type: "string" },
    out: { type: "string" },
    json: { type: "boolean" },
    "kubectl-sample": { type: "string" },
    "no-kubectl": { type: "boolean" },
    "no-nx": { type: "boolean" },
    "no-real": { type: "boolean" },
    "no-synthetic": { type: "boolean" },
    "real-runs": { type: "string" },
    keep: { type: "boolean" },
    tools: { type: "string" },
  });
  if (values.help) {
    io.out(BENCH_HELP);
    return EXIT.ok;
  }
  const sizes = values["no-synthetic"] ? [] : ((values.components as string[] | undefined) ?? ["25", "400"]).map((v) => positiveInt("components", v));
  const clusters = positiveInt("clusters", (values.clusters as string | undefined) ?? "3");
  const sample = values["kubectl-sample"] === undefined ? undefined : positiveInt("kubectl-sample", values["kubectl-sample"] as string);
  const realRuns = positiveInt("real-runs", (values["real-runs"] as string | undefined) ?? "3");
  const root = findRoot();
  // This repository's charts: pulled from GITOPS_CHART_MIRROR, else from the upstream chart mirror beside
  // the clone served on loopback for the run (these machines reach no chart repository).
  let mirror: ChartMirror | undefined;
  if (!values["no-real"] && !process.env.GITOPS_CHART_MIRROR && existsSync(UPSTREAM_CHARTS)) {
    mirror = await startChartMirror();
    process.env.GITOPS_CHART_MIRROR = mirror.url;
    io.err(`bench: charts from the upstream chart mirror served at ${mirror.url}`);
  }
  let report: ReturnType<typeof runBench>;
  try {
    report = runBench({
    repoRoot: root,
    sizes,
    clusters,
    kubectl: !values["no-kubectl"],
    kubectlSample: sample,
    nx: !values["no-nx"],
    real: !values["no-real"],
    realRuns,
    keep: Boolean(values.keep),
    toolsDir: values.tools === undefined ? undefined : checkedToolsDir(values.tools as string),
    log: (line) => io.err(line),
    });
  } finally {
    await mirror?.close();
  }
  const files = writeReport(report, path.resolve(root, (values.out as string | undefined) ?? "dist/bench"));
  io.out(values.json ? JSON.stringify(report, null, 2) : toMarkdown(report));
  io.err(`bench: report written to ${path.relative(process.cwd(), files.markdown) || files.markdown} and ${path.relative(process.cwd(), files.json) || files.json}`);
  return EXIT.ok;
}
