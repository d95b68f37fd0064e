import { countBySeverity, type Finding } from "../../findings/finding.ts";
import { formatText } from "../../findings/report.ts";
import { GenerateError, WorkspaceUsageError } from "../../generate/errors.ts";
import { checkClusters } from "../../pipeline/check-run.ts";
import { findRoot } from "../../workspace/workspace.ts";
import { parse } from "../args.ts";
import { EXIT, seconds, type CliIO } from "../io.ts";
import { runGenerate, strayMessage } from "./generate.ts";
import { toSarif } from "../../findings/sarif.ts";
import { isUserError } from "./render.ts";

export const ALL_HELP = `Usage: gitops all [options]

The main job (\`npm start\`): generate every component and cluster, then render, validate and lint each
cluster, and print one summary line per cluster (components, objects, charts rendered of the cluster's
chart sources, findings, seconds). Charts are pulled (GITOPS_CHART_MIRROR sends every pull to a mirror)
and templated as the engine does; a chart that is not rendered is a finding, an error under CI=true
when its repository cannot be reached. GITOPS_CHARTS=off skips them (counted, not reported).
Clusters are checked two at a time on two cores or more (GITOPS_WORKERS=N worker threads beside the
main one; 0 for none): the report does not depend on it.

Options:
  --force          overwrite generated files that were edited by hand (npm start -- --force)
  --no-typecheck   skip type-checking component and cluster files before generating
  --output FORMAT  text (default), json (the summary and every finding) or sarif (the findings);
                   --format is an alias, --json means --output json
  -h, --help       show this help`;

function pad(cells: string[][]): string {
  const widths = cells[0].map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")).join("\n");
}

export async function allCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse("all", argv, { force: { type: "boolean" }, "no-typecheck": { type: "boolean" }, json: { type: "boolean" }, output: { type: "string" } });
  if (values.help) {
    io.out(ALL_HELP);
    return EXIT.ok;
  }
  const root = findRoot();
  const started = performance.now();
  let generated: Awaited<ReturnType<typeof runGenerate>>;
  try {
    generated = await runGenerate(root, { typecheck: !values["no-typecheck"], force: Boolean(values.force) });
  } catch (error) {
    if (error instanceof GenerateError && !(error instanceof WorkspaceUsageError)) {
      io.err(`generate failed, nothing was written:\n${error.message}`);
      return EXIT.findings;
    }
    throw error;
  }
  try {
    const generateSeconds = (performance.now() - started) / 1000;
    const output = values.output as "text" | "json" | "sarif";
    // Files in generated folders that generate did not write: reported with the findings.
    const stray: Finding[] = generated.result.stray.map((file) => ({ rule: "generate/stray-file", severity: "error", file, line: 1, column: 1, message: strayMessage(file) }));
    if (output === "text") {
      const { written, deleted, unchanged } = generated.result;
      io.out(`generate: ${generated.plan.files.length} files (${written.length} written, ${deleted.length} deleted, ${unchanged} unchanged) in ${generateSeconds.toFixed(2)}s`);
    }
    // Each cluster rendered, validated and linted; two at a time on two cores (GITOPS_WORKERS).
    const rows = await checkClusters(root, { generated: true });
    const all = [...stray, ...rows.flatMap((r) => [...r.validate, ...r.lint])];
    const { errors, warnings } = countBySeverity(all);
    const total = (performance.now() - started) / 1000;
    if (output === "sarif") {
      const rules = [...new Map(all.map((f) => [f.rule, { id: f.rule, title: f.rule, severity: f.severity }])).values()].sort((a, b) => a.id.localeCompare(b.id));
      io.out(JSON.stringify(toSarif(all, rules, { name: "gitops-all", version: "0.1.0" }, { root }), null, 2));
    } else if (output === "json") {
      io.out(
        JSON.stringify(
          {
            clusters: rows.map((r) => ({
              cluster: r.cluster,
              environment: r.environment,
              kubernetesVersion: r.kubernetes,
              components: r.components,
              objects: r.objects,
              charts: r.charts,
              validate: countBySeverity(r.validate),
              lint: countBySeverity(r.lint),
              seconds: Number(r.seconds.toFixed(3)),
            })),
            errors,
            warnings,
            findings: all,
            seconds: Number(total.toFixed(3)),
          },
          null,
          2,
        ),
      );
    } else {
      const text = formatText(all, { color: io.color });
      if (text) io.out(text);
      const table = [
        ["cluster", "env", "k8s", "components", "objects", "charts", "validate", "lint", "seconds"],
        ...rows.map((r) => {
          const v = countBySeverity(r.validate);
          const l = countBySeverity(r.lint);
          return [r.cluster, r.environment, r.kubernetes, String(r.components), String(r.objects), r.charts.total ? `${r.charts.rendered}/${r.charts.total}` : "-", `${v.errors}E ${v.warnings}W`, `${l.errors}E ${l.warnings}W`, r.seconds.toFixed(2)];
        }),
      ];
      io.out(pad(table));
      io.out(`all: ${rows.length} clusters, ${errors} errors, ${warnings} warnings in ${seconds(total * 1000)}`);
    }
    return errors > 0 ? EXIT.findings : EXIT.ok;
  } catch (error) {
    if (isUserError(error)) {
      io.err(`all failed: ${error.message}`);
      return EXIT.findings;
    }
    throw error;
  }
}
