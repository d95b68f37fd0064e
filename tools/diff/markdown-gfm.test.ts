/**
 * The pull-request comment as GitHub shows it: parsed by micromark with the GFM extension (the CommonMark
 * and GitHub Flavored Markdown parser of the unified collective), raw HTML kept as GitHub keeps
 * `<details>` and `<summary>`: the summary is a table, each Application a fold whose diff is a code block.
 */
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../model/kube-object.ts";
import type { ClusterObjects } from "./compare.ts";
import { diffClusters } from "./diff.ts";
import { markdownComments } from "./report.ts";

const render = (markdown: string) => micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });

function side(image: string, replicas: number, apps = 2): ClusterObjects {
  return {
    cluster: "dev",
    apps: Array.from({ length: apps }, (_, i) => ({
      name: `app-${i}`,
      wave: 1,
      objects: [
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "api", namespace: `ns-${i}` },
          spec: { replicas, selector: { matchLabels: { app: "api" } }, template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "api", image, args: Array.from({ length: 40 }, (_, k) => `--flag-${k}=${image}`) }] } } },
        } as KubeObject,
      ],
    })),
  };
}

const report = (apps = 2) => ({ base: { ref: "main", commit: "a".repeat(40) }, head: { ref: "HEAD", commit: "b".repeat(40) }, clusters: diffClusters([side("r.example/api:1", 2, apps)], [side("r.example/api:2", 0, apps)]) });

describe("the comment in GitHub Flavored Markdown", () => {
  it("renders the summary as a table and each Application as a fold holding its risks table and a diff code block", () => {
    const [comment] = markdownComments(report());
    const html = render(comment);
    expect(html).toContain("<table>\n<thead>\n<tr>\n<th>cluster</th>\n<th align=\"right\">added</th>");
    expect(html).toMatch(/<tr>\n<td>dev<\/td>\n<td align="right">0<\/td>\n<td align="right">2<\/td>\n<td align="right">0<\/td>/);
    expect((html.match(/<details>/g) ?? []).length).toBe(2);
    expect((html.match(/<\/details>/g) ?? []).length).toBe(2);
    expect(html).toContain("<summary><b>dev</b> / app-0: 0 added, 1 changed, 0 removed, ⚠️ 2 risks</summary>");
    // Inside a fold, Markdown is still Markdown (the blank line after <summary>): a table and a code block.
    const fold = html.slice(html.indexOf("<details>"), html.indexOf("</details>"));
    expect(fold).toContain("<th>risk</th>");
    expect(fold).toContain("<td><strong>availability</strong></td>");
    expect(fold).toContain('<pre><code class="language-diff">');
    expect(fold).toContain("-        image: r.example/api:1\n+        image: r.example/api:2");
    expect(fold).not.toContain("```");
  });

  it("renders every part of a split comment with its folds closed and its code blocks whole", () => {
    const parts = markdownComments(report(30), { limit: 8000, maxComments: 10 });
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      const html = render(part);
      expect((html.match(/<details>/g) ?? []).length).toBe((html.match(/<\/details>/g) ?? []).length);
      expect((html.match(/<pre><code/g) ?? []).length).toBe((html.match(/<\/code><\/pre>/g) ?? []).length);
      expect(html).not.toContain("```");
    }
    expect(render(parts[0])).toContain("<table>");
  });
});
