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

Run \`gitops charts <subcommand> --help\` for its options.`;

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
  throw new UsageError(`gitops charts: unknown subcommand "${sub}"\n\n${CHARTS_HELP}`);
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
