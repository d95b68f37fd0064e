import { foldUnchanged, sideBySide } from "./lines.ts";
import { clusterCounts, countObjects, objectTitle, RISK_CLASSES, RISK_TITLES, risksByClass, type ClusterDiff, type DiffReport, type ObjectDiff } from "./model.ts";

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const STYLE = `
:root { color-scheme: light; --red: #b42318; --green: #067647; --amber: #b54708; --grey: #475467; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; padding: 24px; color: #101828; background: #f9fafb; }
h1 { font-size: 20px; margin: 0 0 4px; }
.sides { color: var(--grey); margin-bottom: 16px; font-family: ui-monospace, monospace; }
table.summary { border-collapse: collapse; background: #fff; margin-bottom: 24px; }
table.summary th, table.summary td { border: 1px solid #d0d5dd; padding: 4px 10px; text-align: right; }
table.summary th:first-child, table.summary td:first-child { text-align: left; }
td.hot { background: #fee4e2; color: var(--red); font-weight: 700; }
section.cluster { margin-bottom: 28px; }
h2 { font-size: 17px; border-bottom: 2px solid #d0d5dd; padding-bottom: 4px; }
details.app { background: #fff; border: 1px solid #d0d5dd; border-radius: 6px; margin: 8px 0; }
details.app > summary { cursor: pointer; padding: 8px 12px; font-weight: 600; }
.object { border-top: 1px solid #eaecf0; padding: 8px 12px; }
.object.risky { border-left: 6px solid var(--red); background: #fffbfa; }
.object h3 { font-size: 14px; margin: 0 0 6px; font-family: ui-monospace, monospace; }
.change { display: inline-block; padding: 0 6px; border-radius: 4px; color: #fff; font-size: 12px; margin-right: 6px; }
.change.added { background: var(--green); } .change.removed { background: var(--red); } .change.changed { background: var(--amber); }
.risk { display: inline-block; padding: 1px 8px; border-radius: 10px; background: var(--red); color: #fff; font-size: 12px; font-weight: 700; margin: 2px 6px 2px 0; }
ul.risks { margin: 4px 0 8px; padding-left: 0; list-style: none; }
ul.risks li { margin: 2px 0; }
ul.risks a { color: var(--grey); }
table.sbs { width: 100%; border-collapse: collapse; table-layout: fixed; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
table.sbs td { padding: 0 6px; white-space: pre-wrap; word-break: break-all; vertical-align: top; }
table.sbs td.n { width: 3.5em; color: #98a2b3; text-align: right; user-select: none; }
table.sbs td.del { background: #fee4e2; } table.sbs td.ins { background: #dcfae6; }
.none { color: var(--grey); }
table.sbs tr.fold td { color: var(--grey); background: #f2f4f7; text-align: center; font-style: italic; }
`;

function badges(risks: ClusterDiff["risks"]): string {
  return risks.map((r) => `<span class="risk risk-${r.class}" title="${escape(r.reason)}">${escape(RISK_TITLES[r.class])}</span>`).join("");
}

function objectBlock(cluster: ClusterDiff, app: string, o: ObjectDiff): string {
  const risks = cluster.risks.filter((r) => r.app === app && r.object === o.key);
  // An added or removed object is shown whole; a changed one with three lines of context.
  const all = sideBySide(o);
  const rows = (o.change === "changed" ? foldUnchanged(all) : all)
    .map((row) => {
      if (row.type === "fold") return `<tr class="fold"><td colspan="4">⋯ ${row.folded} unchanged line${row.folded === 1 ? "" : "s"}</td></tr>`;
      const l = row.left;
      const r = row.right;
      const lc = row.type === "removed" || row.type === "changed" ? "del" : "";
      const rc = row.type === "added" || row.type === "changed" ? "ins" : "";
      return `<tr><td class="n">${l?.n ?? ""}</td><td class="${lc}">${escape(l?.text ?? "")}</td><td class="n">${r?.n ?? ""}</td><td class="${rc}">${escape(r?.text ?? "")}</td></tr>`;
    })
    .join("\n");
  const versions = o.apiVersion.before && o.apiVersion.after && o.apiVersion.before !== o.apiVersion.after ? ` (apiVersion ${escape(o.apiVersion.before)} → ${escape(o.apiVersion.after)})` : "";
  const list = risks.length
    ? `<ul class="risks">${risks.map((r) => `<li><span class="risk risk-${r.class}">${escape(RISK_TITLES[r.class])}</span><code>${escape(r.field || "(object)")}</code> ${escape(r.reason)} <a href="${escape(r.doc)}">docs</a></li>`).join("")}</ul>`
    : "";
  return `<div class="object${risks.length ? " risky" : ""}" data-change="${o.change}" data-risks="${risks.length}">
<h3><span class="change ${o.change}">${o.change}</span>${escape(objectTitle(o))}${versions}</h3>
${list}<table class="sbs"><colgroup><col style="width:3.5em"><col><col style="width:3.5em"><col></colgroup>
${rows}
</table></div>`;
}

/** One self-contained page: no script, no network, no external asset. */
export function htmlReport(report: DiffReport): string {
  const sides = `${report.base.ref}${report.base.commit ? ` (${report.base.commit.slice(0, 12)})` : ""} → ${report.head.ref}${report.head.commit ? ` (${report.head.commit.slice(0, 12)})` : ""}`;
  const rows = report.clusters
    .map((c) => {
      const counts = clusterCounts(c);
      const risks = risksByClass(c.risks);
      return `<tr data-cluster="${escape(c.cluster)}"><td>${escape(c.cluster)}${c.presence === "both" ? "" : ` (${c.presence})`}</td><td data-count="added">${counts.added}</td><td data-count="changed">${counts.changed}</td><td data-count="removed">${counts.removed}</td>${RISK_CLASSES.map((k) => `<td data-risk="${k}"${risks[k] ? ' class="hot"' : ""}>${risks[k]}</td>`).join("")}</tr>`;
    })
    .join("\n");
  const sections = report.clusters
    .map((c) => {
      const apps = c.apps.length
        ? c.apps
            .map((a) => {
              const counts = countObjects(a.objects);
              const risks = c.risks.filter((r) => r.app === a.name);
              return `<details class="app" data-app="${escape(a.name)}"${risks.length ? " open" : ""}><summary>${escape(a.name)}: ${counts.added} added, ${counts.changed} changed, ${counts.removed} removed ${badges(risks)}</summary>
${a.objects.map((o) => objectBlock(c, a.name, o)).join("\n")}
</details>`;
            })
            .join("\n")
        : `<p class="none">No change.</p>`;
      return `<section class="cluster" data-cluster="${escape(c.cluster)}"><h2>cluster ${escape(c.cluster)} ${badges(c.risks.filter((r, i, all) => all.findIndex((x) => x.class === r.class) === i))}</h2>
${apps}</section>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Rendered diff ${escape(sides)}</title><style>${STYLE}</style></head>
<body>
<h1>Rendered diff</h1>
<div class="sides">${escape(sides)}</div>
<table class="summary"><thead><tr><th>cluster</th><th>added</th><th>changed</th><th>removed</th>${RISK_CLASSES.map((k) => `<th>${escape(RISK_TITLES[k])}</th>`).join("")}</tr></thead>
<tbody>
${rows}
</tbody></table>
${sections}
</body></html>
`;
}
