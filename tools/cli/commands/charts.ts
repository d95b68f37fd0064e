import path from "node:path";
import { findRoot } from "../../workspace/workspace.ts";
import { parse } from "../args.ts";
import { EXIT, seconds, UsageError, type CliIO } from "../io.ts";

export const CHARTS_HELP = `Usage: gitops charts <subcommand> [options]

Subcommands:
  types   write a TypeScript type of each pinned chart's values into .gitops/chart-types/

Run \`gitops charts <subcommand> --help\` for its options.`;

export const CHARTS_TYPES_HELP = `Usage: gitops charts types [--charts DIR]... [--json]

Writes a TypeScript type of each pinned chart's values, made from the chart itself (its
values.schema.json, else inferred from values.yaml; subcharts under their name or alias), into
.gitops/chart-types/ (gitignored). The type check then knows them: a component's
\`values: (v): ChartValues<"argo-cd"> => ({...})\` with a misspelled key is a compile error naming the
key. A chart that is not available keeps loose values and is listed.

Options:
  --charts DIR   a folder of packaged charts named <chart>-<version>.tgz (a Helm repository's
                 layout) to read the pinned charts from; repeatable
  --json         print the result as JSON
  -h, --help     show this help

Exit codes: 0 written (charts not available are listed), 1 a chart could not be read or two
components pin different versions of one chart (nothing written), 2 usage error.`;

export async function chartsCommand(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") {
    io.out(CHARTS_HELP);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
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
      return `  ${e.chart} ${e.version}: ${e.status === "typed" ? e.file : "not available, values untyped"}${notes}`;
    });
    io.out(`${lines.join("\n")}${lines.length ? "\n" : ""}charts types: ${typed}/${result.entries.length} charts typed in ${seconds(elapsed)}${result.removed.length ? `, ${result.removed.length} stale removed` : ""}`);
  }
  return result.errors.length ? EXIT.findings : EXIT.ok;
}
