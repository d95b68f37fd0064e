import { formatPath } from "../findings/finding.ts";
import { unifiedLines } from "./lines.ts";
import { clusterCounts, countObjects, objectTitle, RISK_CLASSES, RISK_TITLES, risksByClass, type ClusterDiff, type DiffReport, type ObjectDiff, type Risk } from "./model.ts";

export const COMMENT_MARKER = "<!-- gitops-diff -->";
/** GitHub refuses a comment (and a job summary) longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_536;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function sides(report: DiffReport): string {
  const short = (c?: string) => (c ? ` (${c.slice(0, 12)})` : "");
  return `${report.base.ref}${short(report.base.commit)} → ${report.head.ref}${short(report.head.commit)}`;
}

function apiVersionNote(o: ObjectDiff): string {
  const { before, after } = o.apiVersion;
  return before && after && before !== after ? ` [apiVersion ${before} → ${after}]` : ` [${after ?? before}]`;
}

/** " (chart x 1.0.0 → 1.1.0)" when the Application's chart changed version, was added or was removed. */
function chartNote(app: ClusterDiff["apps"][number]): string {
  const { before, after } = app.chart ?? {};
  if (before && after && before.chart === after.chart && before.version === after.version) return "";
  if (before && after) return ` (chart ${before.chart === after.chart ? `${after.chart} ${before.version} → ${after.version}` : `${before.chart} ${before.version} → ${after.chart} ${after.version}`})`;
  if (after) return ` (chart ${after.chart} ${after.version} added)`;
  if (before) return ` (chart ${before.chart} ${before.version} removed)`;
  return "";
}

const risksOf = (cluster: ClusterDiff, app: string, key: string) => cluster.risks.filter((r) => r.app === app && r.object === key);

// ---- text ----

const COLORS = { red: "\x1b[31m", green: "\x1b[32m", cyan: "\x1b[36m", yellow: "\x1b[33m", bold: "\x1b[1m", reset: "\x1b[0m" };

/** A unified YAML diff per object, for people; coloured when `color`. */
export function textReport(report: DiffReport, color: boolean): string {
  const c = (code: keyof typeof COLORS, s: string) => (color ? `${COLORS[code]}${s}${COLORS.reset}` : s);
  const out: string[] = [`diff ${sides(report)}`];
  for (const cluster of report.clusters) {
    const counts = clusterCounts(cluster);
    const presence = cluster.presence === "both" ? "" : ` (cluster ${cluster.presence})`;
    out.push("", c("bold", `cluster ${cluster.cluster}${presence}: ${counts.added} added, ${counts.changed} changed, ${counts.removed} removed, ${plural(cluster.risks.length, "risk")}`));
    for (const app of cluster.apps) {
      const wave = app.wave && app.wave.before !== app.wave.after ? ` (sync wave ${app.wave.before ?? "-"} → ${app.wave.after ?? "-"})` : "";
      out.push("", c("bold", `  Application ${app.name}${wave}${chartNote(app)}`));
      for (const o of app.objects) {
        const sign = o.change === "added" ? c("green", "+") : o.change === "removed" ? c("red", "-") : c("yellow", "~");
        out.push(`  ${sign} ${objectTitle(o)}${apiVersionNote(o)} ${o.change}`);
        for (const r of risksOf(cluster, app.name, o.key)) out.push(c("red", `    ! ${RISK_TITLES[r.class]}${r.field ? ` ${r.field}` : ""}: ${r.reason} (${r.doc})`));
        for (const line of unifiedLines(o)) {
          const colored = line.startsWith("+") ? c("green", line) : line.startsWith("-") ? c("red", line) : line.startsWith("@@") ? c("cyan", line) : line;
          out.push(`      ${colored}`);
        }
      }
    }
    for (const r of cluster.risks.filter((r) => !cluster.apps.some((a) => a.name === r.app && a.objects.some((o) => o.key === r.object)))) {
      out.push(c("red", `  ! ${RISK_TITLES[r.class]} ${r.title}${r.field ? ` ${r.field}` : ""}: ${r.reason} (${r.doc})`));
    }
  }
  const total = report.clusters.reduce((n, cl) => n + cl.apps.reduce((m, a) => m + a.objects.length, 0), 0);
  const risks = report.clusters.reduce((n, cl) => n + cl.risks.length, 0);
  out.push("", total === 0 ? "diff: no change" : `diff: ${plural(total, "object")} changed in ${plural(report.clusters.filter((cl) => cl.apps.some((a) => a.objects.length)).length, "cluster")}, ${plural(risks, "risk")}`);
  return out.join("\n");
}

// ---- json ----

export function jsonReport(report: DiffReport): string {
  return JSON.stringify(
    {
      base: report.base,
      head: report.head,
      clusters: report.clusters.map((cluster) => ({
        cluster: cluster.cluster,
        presence: cluster.presence,
        counts: clusterCounts(cluster),
        risksByClass: risksByClass(cluster.risks),
        apps: cluster.apps.map((app) => ({
          name: app.name,
          ...(app.wave ? { wave: app.wave } : {}),
          ...(app.chart ? { chart: app.chart } : {}),
          counts: countObjects(app.objects),
          objects: app.objects.map((o) => ({
            key: o.key,
            group: o.group,
            kind: o.kind,
            ...(o.namespace ? { namespace: o.namespace } : {}),
            name: o.name,
            change: o.change,
            apiVersion: o.apiVersion,
            fields: o.fields.map((f) => ({ path: formatPath(f.path), ...(f.before !== undefined ? { before: f.before } : {}), ...(f.after !== undefined ? { after: f.after } : {}) })),
            diff: unifiedLines(o),
          })),
        })),
        risks: cluster.risks,
      })),
    },
    null,
    2,
  );
}

// ---- markdown ----

const escapeCell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function riskRows(risks: readonly Risk[]): string[] {
  if (!risks.length) return [];
  return ["| risk | object | field | why |", "| --- | --- | --- | --- |", ...risks.map((r) => `| **${RISK_TITLES[r.class]}** | ${escapeCell(r.title)} | \`${escapeCell(r.field || "(object)")}\` | ${escapeCell(r.reason)} [docs](${r.doc}) |`)];
}

/** The summary table: one row per cluster, objects and risks by class. */
export function markdownSummary(report: DiffReport): string {
  const lines = [COMMENT_MARKER, `### Rendered diff: ${sides(report).replace(/ \(/g, " (`").replace(/\)/g, "`)")}`, ""];
  if (!report.clusters.some((c) => c.apps.length)) {
    lines.push("No change in any cluster's rendered objects.");
    return lines.join("\n");
  }
  lines.push(`| cluster | added | changed | removed | ${RISK_CLASSES.map((c) => RISK_TITLES[c]).join(" | ")} |`);
  lines.push(`| --- | ---: | ---: | ---: | ${RISK_CLASSES.map(() => "---:").join(" | ")} |`);
  for (const cluster of report.clusters) {
    const counts = clusterCounts(cluster);
    const risks = risksByClass(cluster.risks);
    lines.push(`| ${cluster.cluster}${cluster.presence === "both" ? "" : ` (${cluster.presence})`} | ${counts.added} | ${counts.changed} | ${counts.removed} | ${RISK_CLASSES.map((c) => (risks[c] ? `**${risks[c]}** ⚠️` : "0")).join(" | ")} |`);
  }
  return lines.join("\n");
}

function appSection(cluster: ClusterDiff, app: ClusterDiff["apps"][number]): string {
  const counts = countObjects(app.objects);
  const risks = cluster.risks.filter((r) => r.app === app.name);
  const summary = `<b>${cluster.cluster}</b> / ${app.name}${chartNote(app)}: ${counts.added} added, ${counts.changed} changed, ${counts.removed} removed${risks.length ? `, ⚠️ ${plural(risks.length, "risk")}` : ""}`;
  const body: string[] = [];
  body.push(...riskRows(risks));
  for (const o of app.objects) {
    const diffLines = unifiedLines(o);
    body.push("", `**${o.change}** \`${objectTitle(o)}\`${apiVersionNote(o)}`, "", "```diff", ...diffLines.map((l) => l.replace(/```/g, "`\u200b``")), "```");
  }
  return ["<details>", `<summary>${summary}</summary>`, "", ...body, "", "</details>"].join("\n");
}

export interface MarkdownOptions {
  /** Where the full diff is (the workflow's artifact), named when the comment is cut. */
  readonly detailsUrl?: string;
  /** @default GITHUB_COMMENT_LIMIT */
  readonly limit?: number;
}

/**
 * A pull-request comment: the summary table, then one folded section per Application. Kept under GitHub's
 * limit: sections that do not fit are left out and listed, with a pointer to the full diff.
 */
export function markdownReport(report: DiffReport, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const head = markdownSummary(report);
  const sections = report.clusters.flatMap((cluster) => cluster.apps.map((app) => ({ name: `${cluster.cluster}/${app.name}`, text: appSection(cluster, app) })));
  const pointer = (left: string[]) =>
    `\n\n**${plural(left.length, "Application")} left out to stay under ${limit === GITHUB_COMMENT_LIMIT ? "GitHub's " : "the "}${limit.toLocaleString("en-US")}-character limit** (${left.slice(0, 20).join(", ")}${left.length > 20 ? `, and ${left.length - 20} more` : ""}): ` +
    (options.detailsUrl ? `see the full diff in the [workflow artifact](${options.detailsUrl}).` : "see the full diff in the workflow artifact (`gitops diff --output html`).");
  let out = head;
  for (let i = 0; i < sections.length; i++) {
    const left = sections.slice(i + 1).map((s) => s.name);
    const reserve = left.length ? pointer(left).length : 0;
    const candidate = `${out}\n\n${sections[i].text}`;
    if (candidate.length + reserve + 200 > limit) {
      return `${out}${pointer(sections.slice(i).map((s) => s.name))}`.slice(0, limit);
    }
    out = candidate;
  }
  return out;
}
