import path from "node:path";
import { chartLabel, LOCK_FILE, lockedDigest, readLock, writeLock, type LockedChart } from "../../charts/lock.ts";
import { chartMirror, MIRROR_ENV, pullCharts, pullSource } from "../../charts/pull.ts";
import { workspaceCharts } from "../../charts/workspace-charts.ts";
import { GenerateError, WorkspaceUsageError } from "../../generate/errors.ts";
import { findRoot, loadWorkspace } from "../../workspace/workspace.ts";
import { parse } from "../args.ts";
import { EXIT, seconds, UsageError, type CliIO } from "../io.ts";

export const CHARTS_HELP = `Usage: gitops charts <subcommand> [options]

Subcommands:
  pull    pull every chart the components pin into the chart cache, and lock their digests
  types   write a TypeScript type of each pinned chart's values into .gitops/chart-types/

Run \`gitops charts <subcommand> --help\` for its options.`;

export const CHARTS_TYPES_HELP = `Usage: gitops charts types [--charts DIR]... [--json]

Writes a TypeScript type of each pinned chart's values, made from the chart itself (its
values.schema.json, else inferred from values.yaml; subcharts under their name or alias), into
.gitops/chart-types/ (gitignored). The type check then knows them: a component's
\`values: (v): ChartValues<"argo-cd"> => ({...})\` with a misspelled key is a compile error naming the
key. Beside it, the custom resources of the chart's CRDs (kinds no npm package models):
\`CustomResource<"metallb.io/v1beta1", "IPAddressPool">\` is then the type the pinned chart's CRD
describes. A chart that is not available keeps loose values and resources and is listed.

Options:
  --charts DIR   a folder of packaged charts named <chart>-<version>.tgz (a Helm repository's
                 layout) to read the pinned charts from; repeatable
  --json         print the result as JSON
  -h, --help     show this help

Exit codes: 0 written (charts not available are listed), 1 a chart could not be read or two
components pin different versions of one chart (nothing written), 2 usage error.`;

export const CHARTS_PULL_HELP = `Usage: gitops charts pull [options]

Pulls each chart the components pin (repoURL, chart, exact version; HTTP and OCI repositories) with the
pinned Helm (\`helm pull\`) into the content-addressed chart cache (node_modules/.cache/gitops/charts,
or under $GITOPS_CACHE_DIR), two at a time, and records each chart's sha256 in ${LOCK_FILE}. A chart
already cached under its locked digest is not pulled again. A chart whose bytes differ from its locked
sha256 is refused. With ${MIRROR_ENV}=<http url> every pull goes to that chart repository instead (an
air-gapped mirror such as Harbor or ChartMuseum).

Options:
  --component NAME   only this component's chart (repeatable)
  --force            pull again even when cached, checking the bytes against ${LOCK_FILE}
  --json             print the result as JSON
  -h, --help         show this help

Exit codes: 0 every chart cached, 1 a chart not available or refused, 2 usage or I/O error.`;

export async function chartsCommand(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") {
    io.out(CHARTS_HELP);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  if (sub === "pull") return chartsPull(rest, io);
  if (sub === "types") return chartsTypes(rest, io);
  throw new UsageError(`gitops charts: unknown subcommand "${sub}"\n\n${CHARTS_HELP}`);
}

async function chartsTypes(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse("charts types", argv, { charts: { type: "string", multiple: true }, json: { type: "boolean" } });
  if (values.help) {
    io.out(CHARTS_TYPES_HELP);
    return EXIT.ok;
  }
  if (positionals.length) throw new UsageError(`gitops charts types: unexpected argument "${positionals[0]}"\nRun \`gitops charts types --help\` for usage.`);
  const root = findRoot();
  const started = performance.now();
  const { runChartTypes } = await import("../../charts/chart-types.ts");
  const chartDirs = ((values.charts as string[] | undefined) ?? []).map((d) => path.resolve(d));
  const result = await runChartTypes(root, { chartDirs });
  const elapsed = performance.now() - started;
  const typed = result.entries.filter((e) => e.status === "typed").length;
  if (values.json) {
    io.out(JSON.stringify({ ok: result.errors.length === 0, errors: result.errors, charts: result.entries, removed: result.removed }, null, 2));
  } else if (result.errors.length) {
    io.err(result.errors.map((e) => `charts types: ${e}`).join("\n"));
  } else {
    const lines = result.entries.map((e) => {
      const notes = e.status === "typed" ? e.notes.map((n) => `\n    note: ${n}`).join("") : "";
      const resources = e.resources ? `\n    custom resources: ${e.resources.file} (${e.resources.kinds.length} kinds)` : "";
      return `  ${e.chart} ${e.version}: ${e.status === "typed" ? e.file : "not available, values and custom resources untyped"}${resources}${notes}`;
    });
    io.out(`${lines.join("\n")}${lines.length ? "\n" : ""}charts types: ${typed}/${result.entries.length} charts typed in ${seconds(elapsed)}${result.removed.length ? `, ${result.removed.length} stale removed` : ""}`);
  }
  return result.errors.length ? EXIT.findings : EXIT.ok;
}

async function chartsPull(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse("charts pull", argv, { component: { type: "string", multiple: true }, force: { type: "boolean" }, json: { type: "boolean" } });
  if (values.help) {
    io.out(CHARTS_PULL_HELP);
    return EXIT.ok;
  }
  const started = performance.now();
  const root = findRoot();
  const names = values.component as string[] | undefined;
  let lock;
  let charts;
  try {
    const workspace = await loadWorkspace(root, names?.length ? { components: names, clusters: [] } : {});
    charts = workspaceCharts(workspace);
    lock = readLock(root);
  } catch (error) {
    if (error instanceof GenerateError && !(error instanceof WorkspaceUsageError)) {
      io.err(`charts pull failed: ${error.message}`);
      return EXIT.findings;
    }
    throw error;
  }
  const mirror = chartMirror();
  if (!values.json) io.err(`charts pull: ${charts.length} charts${mirror ? ` via ${MIRROR_ENV}=${mirror}` : ""}`);
  const results = pullCharts(
    charts.map((c) => c.ref),
    lock,
    { progress: !values.json, force: Boolean(values.force) },
  );
  // The lock keeps every pin that resolved, and the earlier digest of a pin that could not be had now.
  const locked: LockedChart[] = [];
  results.forEach((r) => {
    if (r.sha256 && !r.problem) locked.push({ ...r.ref, sha256: r.sha256 });
    else {
      const previous = lockedDigest(lock, r.ref);
      if (previous) locked.push({ ...r.ref, sha256: previous });
    }
  });
  // A run limited to some components keeps the other pins' entries.
  if (names?.length) for (const c of lock.charts) if (!locked.some((l) => l.chart === c.chart && l.version === c.version && l.repoURL === c.repoURL)) locked.push(c);
  const lockChanged = writeLock(root, locked);
  const problems = results.filter((r) => r.problem);
  const elapsed = performance.now() - started;
  if (values.json) {
    io.out(
      JSON.stringify(
        {
          mirror: mirror ?? null,
          charts: results.map((r, i) => ({
            chart: r.ref.chart,
            version: r.ref.version,
            repoURL: r.ref.repoURL,
            source: pullSource(r.ref, mirror),
            components: charts[i].components,
            sha256: r.sha256 ?? null,
            pulled: r.pulled,
            problem: r.problem ?? null,
            message: r.message ?? null,
          })),
          lockFile: LOCK_FILE,
          lockChanged,
          seconds: Number((elapsed / 1000).toFixed(3)),
        },
        null,
        2,
      ),
    );
  } else {
    for (const r of problems) io.err(`  error: ${r.message}`);
    const pulled = results.filter((r) => r.pulled && !r.problem).length;
    const cached = results.filter((r) => !r.pulled).length;
    io.out(
      `charts pull: ${results.length} charts (${pulled} pulled, ${cached} cached${problems.length ? `, ${problems.length} not available or refused: ${problems.map((p) => chartLabel(p.ref)).join(", ")}` : ""}) in ${seconds(elapsed)}; ${LOCK_FILE} ${lockChanged ? "updated" : "unchanged"}`,
    );
  }
  return problems.length ? EXIT.findings : EXIT.ok;
}
