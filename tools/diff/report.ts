import { formatPath } from "../findings/finding.ts";
import { unifiedLines } from "./lines.ts";
import { clusterCounts, countObjects, objectTitle, RISK_CLASSES, RISK_TITLES, risksByClass, type ClusterDiff, type DiffReport, type ObjectDiff, type Risk } from "./model.ts";

import { COMMENT_MARKER, commentMarker } from "./comment-plan.mjs";

export { COMMENT_MARKER };
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

/** Risks of an Application with no section (its own objects did not change: another one moved to a later wave). */
function otherRisksSection(cluster: ClusterDiff): { name: string; text: string }[] {
  const shown = new Set(cluster.apps.map((a) => a.name));
  const risks = cluster.risks.filter((r) => !shown.has(r.app));
  if (!risks.length) return [];
  const summary = `<b>${cluster.cluster}</b> / risks to unchanged Applications: ⚠️ ${plural(risks.length, "risk")}`;
  return [{ name: `${cluster.cluster}/(unchanged Applications)`, text: ["<details>", `<summary>${summary}</summary>`, "", ...riskRows(risks), "", "</details>"].join("\n") }];
}

export interface MarkdownOptions {
  /** Where the full diff is (the workflow's artifact), named when something is left out. */
  readonly detailsUrl?: string;
  /** The longest comment. @default GITHUB_COMMENT_LIMIT */
  readonly limit?: number;
  /** The most comments to split the diff across; what does not fit is listed with a pointer. @default 1 */
  readonly maxComments?: number;
}

/** The default number of comments `gitops diff --out-dir` splits a long diff across. */
export const MAX_COMMENTS = 10;

/** A section cut to `budget` characters at a line boundary, its code fence and fold closed, with a note. */
function cutSection(text: string, budget: number, note: string): string {
  const tail = (fenceOpen: boolean) => `${fenceOpen ? "\n```" : ""}\n\n${note}\n\n</details>`;
  const lines = text.split("\n");
  let kept = "";
  let fenceOpen = false;
  for (const line of lines) {
    const next = kept ? `${kept}\n${line}` : line;
    const opens: boolean = line.startsWith("```") ? !fenceOpen : fenceOpen;
    if (next.length + tail(opens).length > budget) break;
    kept = next;
    fenceOpen = opens;
  }
  return `${kept}${tail(fenceOpen)}`;
}

/**
 * The pull-request comment, split into parts under the limit: part 1 holds the summary table, then one
 * folded section per Application fills the parts in order, each part starting with its marker line (so
 * the workflow finds it again to update it). A section longer than a part is cut, with a pointer to the
 * full diff. When more than `maxComments` parts would be needed, the last one lists what was left out.
 */
export function markdownComments(report: DiffReport, options: MarkdownOptions = {}): string[] {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const maxComments = Math.max(1, options.maxComments ?? 1);
  const where = options.detailsUrl ? `the [workflow artifact](${options.detailsUrl})` : "the workflow artifact (`gitops diff --output html`)";
  const limitName = `${limit === GITHUB_COMMENT_LIMIT ? "GitHub's " : "the "}${limit.toLocaleString("en-US")}-character limit`;
  const pointer = (left: readonly string[]) =>
    `**${plural(left.length, "Application")} left out to stay under ${limitName}** (${left.slice(0, 20).join(", ")}${left.length > 20 ? `, and ${left.length - 20} more` : ""}): see the full diff in ${where}.`;
  // Room for a continuation header ("part 12 of 12") and the separators.
  const headerRoom = 120;
  const sections = report.clusters.flatMap((cluster) => [
    ...cluster.apps.map((app) => ({ name: `${cluster.cluster}/${app.name}`, text: appSection(cluster, app) })),
    ...otherRisksSection(cluster),
  ]);
  const parts: string[][] = [[markdownSummary(report)]];
  const size = (part: readonly string[]) => part.join("\n\n").length;
  const cutNote = `*This Application's diff is cut to stay under ${limitName}: see the full diff in ${where}.*`;
  place: for (let i = 0; i < sections.length; i++) {
    for (;;) {
      const current = parts[parts.length - 1];
      const last = parts.length === maxComments;
      const left = sections.slice(i + 1).map((s) => s.name);
      const reserve = last && left.length ? pointer(left).length + 2 : 0;
      const room = limit - headerRoom - reserve - size(current) - 2;
      const text = sections[i].text;
      if (text.length <= room) {
        current.push(text);
        break;
      }
      const holdsSections = current.length > (parts.length === 1 ? 1 : 0);
      if (!last && holdsSections) {
        parts.push([]);
        continue;
      }
      // Alone in its part, or in the last part: cut to the room left, or listed when there is next to none.
      if (room < 400) {
        current.push(pointer(sections.slice(i).map((s) => s.name)));
        break place;
      }
      current.push(cutSection(text, room, cutNote));
      break;
    }
  }
  const total = parts.length;
  return parts.map((part, i) => {
    const header = i === 0 ? [] : [`${commentMarker(i + 1)}\n### Rendered diff, part ${i + 1} of ${total}`];
    const body = [...header, ...part].join("\n\n");
    return i === 0 && total > 1 ? body.replace(/^(.*\n### Rendered diff: .*)$/m, `$1 (part 1 of ${total})`) : body;
  });
}

/**
 * A pull-request comment: the summary table, then one folded section per Application. Kept under GitHub's
 * limit: sections that do not fit are left out and listed, with a pointer to the full diff.
 */
export function markdownReport(report: DiffReport, options: MarkdownOptions = {}): string {
  return markdownComments(report, { ...options, maxComments: 1 })[0];
}
