import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { gitops, snapshotTree, workspaceRepo } from "../testing/temp-workspace.ts";
import { addToCluster, identifierOf } from "./scaffold.ts";

describe("gitops new", () => {
  let repo: string;
  beforeAll(() => {
    repo = workspaceRepo();
  });

  it("GIVEN a new app added to two clusters WHEN npm start runs THEN it is generated, valid and clean on both", () => {
    const made = gitops(repo, ["new", "app", "web-shop", "--cluster", "local", "--cluster", "doks"]);
    expect(made.stderr).toBe("");
    expect(made.stdout).toBe(
      "wrote apps/web-shop/component.ts\nadded web-shop to clusters/local/cluster.ts\nadded web-shop to clusters/doks/cluster.ts\n" +
        "new app web-shop: 3 files written; next: edit apps/web-shop/component.ts, then `npm start`\n",
    );
    expect(made.status).toBe(0);
    expect(readFileSync(path.join(repo, "clusters/local/cluster.ts"), "utf8")).toContain('import webShop from "../../apps/web-shop/component.ts";');
    // Charts off (they are not the scaffold's subject): a component object that refers to its chart's
    // pods (a budget) may then warn; the new app itself has no finding, and nothing is an error.
    const all = gitops(repo, ["all", "--output", "json"], { GITOPS_CHARTS: "off" });
    expect(all.stderr).toBe("");
    const report = JSON.parse(all.stdout) as { findings: { severity: string }[]; clusters: { cluster: string; components: number }[] };
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(report.findings.filter((f) => JSON.stringify(f).includes("web-shop"))).toEqual([]);
    expect(all.status).toBe(0);
    expect(report.clusters.find((c) => c.cluster === "local")?.components).toBe(23);
    expect(readFileSync(path.join(repo, "apps/web-shop/base/ingress-web-shop.yaml"), "utf8")).toContain("ingressClassName: nginx");
    expect(readFileSync(path.join(repo, "clusters/doks/components/web-shop/ingress-web-shop.patch.yaml"), "utf8")).toContain("web-shop.doks.example.com");
  });

  it("GIVEN a new platform component WHEN npm start runs THEN it is clean", () => {
    expect(gitops(repo, ["new", "component", "cache", "--cluster", "homelab"]).status).toBe(0);
    expect(gitops(repo, ["all"], { GITOPS_CHARTS: "off" }).status).toBe(0);
  });

  it("GIVEN bad input WHEN new runs THEN a clear usage error and nothing written", () => {
    const before = snapshotTree(repo);
    const cases: [string[], string][] = [
      [["new", "app", "backend"], "gitops new app: apps/backend already exists; component names are unique across apps/ and infrastructure/\n"],
      [["new", "app", "kyverno"], "gitops new app: infrastructure/kyverno already exists; component names are unique across apps/ and infrastructure/\n"],
      [["new", "app", "Shop"], 'gitops new app: "Shop" is not a DNS-1123 label (lower-case letters, digits and "-", starting with a letter, at most 63 characters)\n'],
      [["new", "app", "shop", "--cluster", "nowhere"], 'gitops new app: no cluster named "nowhere" (clusters: doks, homelab, local)\n'],
      [["new", "thing", "shop"], 'gitops new: say what to create, "app" or "component", not "thing"\nRun `gitops new --help` for usage.\n'],
      [["new", "app"], "gitops new app: give one name, e.g. `gitops new app shop`\n"],
    ];
    for (const [args, message] of cases) {
      const r = gitops(repo, args);
      expect(r.stderr, args.join(" ")).toBe(message);
      expect(r.status).toBe(2);
    }
    expect(snapshotTree(repo)).toEqual(before);
  });
});

describe("addToCluster", () => {
  const cluster = `import a from "../../apps/a/component.ts";\nimport { defineCluster } from "../../tools/model/index.ts";\n\nexport default defineCluster({\n  name: "x",\n  components: [\n    a,\n  ],\n});\n`;

  it("imports the component after the last import and lists it last", () => {
    expect(addToCluster("clusters/x/cluster.ts", cluster, "apps/web-shop", "web-shop")).toBe(
      `import a from "../../apps/a/component.ts";\nimport { defineCluster } from "../../tools/model/index.ts";\nimport webShop from "../../apps/web-shop/component.ts";\n\nexport default defineCluster({\n  name: "x",\n  components: [\n    a,\n    webShop,\n  ],\n});\n`,
    );
    expect(identifierOf("a-b-c")).toBe("aBC");
  });

  it("refuses a list it cannot find and a component already there", () => {
    expect(() => addToCluster("clusters/x/cluster.ts", cluster.replace("components: [\n    a,\n  ],", "components: [a],"), "apps/b", "b")).toThrow(
      'clusters/x/cluster.ts: no "components: [" list on a line of its own; add b by hand',
    );
    expect(() => addToCluster("clusters/x/cluster.ts", cluster, "apps/a", "a")).toThrow("clusters/x/cluster.ts: already imports ../../apps/a/component.ts");
  });
});
