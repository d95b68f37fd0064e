import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../model/kube-object.ts";
import { REPO_ROOT } from "../testing/temp-workspace.ts";
import type { ClusterObjects } from "./compare.ts";
import { diffClusters } from "./diff.ts";
import { htmlReport } from "./report-html.ts";

/** Where the screenshot goes: beside the other build output, never committed. */
const OUTPUT = path.join(REPO_ROOT, "dist/test-output/diff");

const deployment = (selector: string, image: string): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "api", namespace: "shop" },
  spec: { replicas: 2, selector: { matchLabels: { app: selector } }, template: { metadata: { labels: { app: selector } }, spec: { containers: [{ name: "api", image }] } } },
});
const configMap = (mode: string): KubeObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "shop" }, data: { mode } });
const secret = (value: string): KubeObject => ({ apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: "shop" }, data: { password: value } });

const cluster = (name: string, objects: KubeObject[]): ClusterObjects => ({ cluster: name, apps: [{ name: "shop", wave: 1, objects }] });

function report() {
  const base = [cluster("dev", [deployment("api", "ghcr.io/acme/api:1.0.0"), configMap("slow"), secret("b2xk")]), cluster("prod", [configMap("slow")])];
  const head = [cluster("dev", [deployment("api-v2", "ghcr.io/acme/api:1.0.0"), configMap("fast"), secret("bmV3"), { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "api", namespace: "shop" } }]), cluster("prod", [configMap("slow")])];
  return { base: { ref: "main", commit: "a".repeat(40) }, head: { ref: "HEAD", commit: "b".repeat(40) }, clusters: diffClusters(base, head) };
}

function chromium(args: string[]): string {
  const result = spawnSync("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--hide-scrollbars", ...args], { encoding: "utf8", timeout: 90_000 });
  if (result.status !== 0) throw new Error(`chromium failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

describe("gitops diff --output html", () => {
  it("is one self-contained page: no script, no external asset", () => {
    const html = htmlReport(report());
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html).not.toMatch(/src=/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).not.toContain("b2xk");
    expect(html).not.toContain("bmV3");
    expect(htmlReport(report())).toBe(html);
  });

  it("shows the summary numbers and visibly marks the risky change in headless Chromium", () => {
    const html = htmlReport(report());
    const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-html-"));
    const page = path.join(dir, "diff.html");
    writeFileSync(page, html);
    mkdirSync(OUTPUT, { recursive: true });
    const screenshot = path.join(OUTPUT, "diff.png");
    chromium([`--screenshot=${screenshot}`, "--window-size=1280,1600", pathToFileURL(page).href]);

    // A copy of the page with a probe that reads what the browser laid out (the page itself runs no script).
    const probe = `<script>
const risky = [...document.querySelectorAll(".object.risky")];
const badge = document.querySelector(".object.risky .risk");
const style = badge && getComputedStyle(badge);
const box = badge && badge.getBoundingClientRect();
const cells = [...document.querySelectorAll("tr[data-cluster]")].map((tr) => [tr.dataset.cluster, ...[...tr.querySelectorAll("td")].slice(1).map((td) => Number(td.textContent))]);
document.body.setAttribute("data-probe", JSON.stringify({
  rows: cells,
  risky: risky.map((o) => o.querySelector("h3").textContent),
  badge: badge && { text: badge.textContent, color: style.backgroundColor, display: style.display, visibility: style.visibility, width: box.width, height: box.height, top: box.top },
  borderLeft: risky[0] && getComputedStyle(risky[0]).borderLeftColor,
}));
</script>`;
    const probed = path.join(dir, "probed.html");
    writeFileSync(probed, html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "").replace("</body>", `${probe}</body>`));
    const dom = chromium(["--dump-dom", pathToFileURL(probed).href]);
    const attr = /data-probe="([^"]*)"/.exec(dom)?.[1];
    expect(attr).toBeDefined();
    const result = JSON.parse(attr!.replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
    // cluster, added, changed, removed, then risks by class: immutable, data at risk, availability, security, supply chain.
    expect(result.rows).toEqual([
      ["dev", 1, 3, 0, 1, 0, 0, 0, 0],
      ["prod", 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
    expect(result.risky).toEqual(["changedDeployment shop/api"]);
    expect(result.badge).toMatchObject({ text: "immutable field", color: "rgb(180, 35, 24)", display: "inline-block", visibility: "visible" });
    expect(result.badge.width).toBeGreaterThan(20);
    expect(result.badge.height).toBeGreaterThan(8);
    expect(result.borderLeft).toBe("rgb(180, 35, 24)");
  });
});
