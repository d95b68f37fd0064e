import { compareFindings, countBySeverity, formatPath, type Finding } from "./finding.ts";

export type OutputFormat = "text" | "json" | "sarif";

export interface RunSummary {
  readonly files: number;
  readonly objects: number;
  /** Files or documents read but not checked as objects (values files, chart templates, app config). */
  readonly skipped?: number;
}

function objectLabel(f: Finding): string {
  if (!f.object) return "-";
  const kind = f.object.kind ?? "<no kind>";
  const name = f.object.name ?? "<no name>";
  return f.object.namespace ? `${kind} ${f.object.namespace}/${name}` : `${kind} ${name}`;
}

/** `file:line:col  error  rule  Kind ns/name  message`, one line per finding, then the source and hint. */
export function formatText(findings: readonly Finding[], options: { color?: boolean } = {}): string {
  const paint = (code: string, s: string) => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  for (const f of [...findings].sort(compareFindings)) {
    const severity = f.severity === "error" ? paint("31", "error") : paint("33", "warning");
    lines.push(`${f.file}:${f.line}:${f.column}  ${severity}  ${f.rule}  ${objectLabel(f)}  ${f.message}`);
    if (f.chart) lines.push(`    from chart ${f.chart.chart}, template ${f.chart.template || "(unknown)"}${f.source ? `, values set at ${f.source.file}:${f.source.line}` : ""}`);
    else if (f.source) lines.push(`    from ${f.source.file}:${f.source.line}`);
    if (f.hint) lines.push(`    hint: ${f.hint}`);
  }
  return lines.join("\n");
}

export function summaryLine(command: string, summary: RunSummary, findings: readonly Finding[]): string {
  const { errors, warnings } = countBySeverity(findings);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const skipped = summary.skipped ? `; ${summary.skipped} skipped (--verbose lists them)` : "";
  return `${command}: ${plural(summary.files, "file")}, ${plural(summary.objects, "object")}, ${plural(errors, "error")}, ${plural(warnings, "warning")}${skipped}`;
}

/** Machine-readable findings: stable field names, sorted. */
export function toJsonReport(command: string, summary: RunSummary, findings: readonly Finding[]): object {
  const { errors, warnings } = countBySeverity(findings);
  return {
    command,
    summary: { ...summary, errors, warnings },
    findings: [...findings].sort(compareFindings).map((f) => ({
      file: f.file,
      line: f.line,
      column: f.column,
      severity: f.severity,
      rule: f.rule,
      object: f.object ?? null,
      path: f.path ? formatPath(f.path) : null,
      message: f.message,
      hint: f.hint ?? null,
      source: f.source ?? null,
      ...(f.chart ? { chart: f.chart } : {}),
    })),
  };
}
