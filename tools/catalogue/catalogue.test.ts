import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { planWorkspace, type GeneratePlan } from "../generate/generate.ts";
import { REPO_ROOT } from "../testing/temp-workspace.ts";
import { loadWorkspace, type Workspace } from "../workspace/workspace.ts";
import { CATALOGUE_FILE, catalogueEditedByHand, catalogueMarkdown } from "./catalogue.ts";

describe("catalogue", () => {
  let workspace: Workspace;
  let plan: GeneratePlan;
  let markdown: string;
  beforeAll(async () => {
    workspace = await loadWorkspace(REPO_ROOT);
    plan = planWorkspace(workspace);
    markdown = catalogueMarkdown(workspace.components, plan.clusters);
  });

  it("the committed docs/catalogue.md is what generate writes", () => {
    expect(readFileSync(path.join(REPO_ROOT, CATALOGUE_FILE), "utf8")).toBe(markdown);
  });

  it("lists every component with its chart, namespace and the clusters that run it, in waves", () => {
    for (const { component } of workspace.components) expect(markdown).toContain(`| [${component.name}](`);
    const metallb = markdown.split("\n").find((l) => l.startsWith("| [metallb]"))!;
    expect(metallb).toContain("| metallb 0.16.1 (https://metallb.github.io/metallb) | metallb-system |");
    // MetalLB never runs on DOKS (cloud load balancers there).
    expect(metallb).toMatch(/\| homelab \(wave 0\), local \(wave 0\) \|$/);
    const backend = markdown.split("\n").find((l) => l.startsWith("| [backend]"))!;
    expect(backend).toContain("| argo-rollouts, istio-gateway |");
  });

  it("lists the namespaces Kyverno never checks and the policy exceptions", () => {
    expect(markdown).toContain("which `lint` leaves out too: `kube-node-lease`, `kube-public`, `kube-system`, `kyverno`.");
    expect(markdown).toMatch(/No policy exceptions|Policy exceptions \(Kyverno PolicyExceptions in `policy-exceptions`\)/);
  });

  it("draws each cluster's dependency graph", () => {
    expect(markdown).toContain("### homelab");
    expect(markdown).toContain('  istio_base["istio-base"] --> istiod["istiod"]');
  });

  it("detects hand edits", () => {
    expect(catalogueEditedByHand(markdown)).toBe(false);
    expect(catalogueEditedByHand(markdown.replace("Platform catalogue", "Our catalogue"))).toBe(true);
    expect(catalogueEditedByHand("# a catalogue written by hand\n")).toBe(true);
  });
});
