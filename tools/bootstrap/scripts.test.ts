import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { load } from "js-yaml";
import { gitops, REPO_ROOT, tempWorkspace, writeFiles } from "../testing/temp-workspace.ts";

/** A tool the tests need from the machine (Debian packages `shellcheck` and `bats`; .ci/run installs them). */
function requireTool(name: string): void {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  if (found.status !== 0) throw new Error(`${name} is not installed: the bootstrap scripts' tests need it (apt-get install -y ${name}; .ci/run does)`);
}

/** Every shell file of bootstrap/: the scripts, their lib, the generated facts, the tools' stand-in. */
function shellFiles(): string[] {
  const files = readdirSync(path.join(REPO_ROOT, "bootstrap"), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(REPO_ROOT, path.join(e.parentPath, e.name)))
    .filter((f) => f.endsWith(".sh") || f.endsWith("/facts.env") || f === "bootstrap/test/stub");
  return files.sort();
}

/** PATH with the stand-ins of the bootstrap's tools (bootstrap/test/stub) and the basics, nothing else. */
function stubPath(dir: string): string {
  const bin = path.join(dir, "bin");
  const sys = path.join(dir, "sys");
  mkdirSync(bin);
  mkdirSync(sys);
  for (const tool of ["kind", "kubectl", "helm", "flux", "tofu", "k3s", "docker", "doctl", "curl"]) {
    symlinkSync(path.join(REPO_ROOT, "bootstrap/test/stub"), path.join(bin, tool));
  }
  for (const tool of ["bash", "sh", "env", "sed", "grep", "sort", "head", "cat", "dirname", "basename", "mkdir", "touch", "printf", "tr"]) {
    const where = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
    if (where.startsWith("/")) symlinkSync(where, path.join(sys, tool));
  }
  return `${bin}:${sys}`;
}

describe("the bootstrap scripts", () => {
  it("pass shellcheck", () => {
    requireTool("shellcheck");
    const files = shellFiles();
    expect(files).toContain("bootstrap/bootstrap.sh");
    expect(files).toContain("bootstrap/local/facts.env");
    const run = spawnSync("shellcheck", files, { cwd: REPO_ROOT, encoding: "utf8" });
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("pass their bats tests (exact commands against recording stand-ins of the tools)", () => {
    requireTool("bats");
    const run = spawnSync("bats", ["bootstrap/test"], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(run.stdout.split("\n").filter((l) => l.startsWith("not ok")), run.stdout + run.stderr).toEqual([]);
    expect(run.status).toBe(0);
  });
});

describe("gitops bootstrap", () => {
  it("local --dry-run prints the kind config with the port mappings and pinned image, and the Argo CD install of its Application", () => {
    requireTool("bash");
    const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-bootstrap-"));
    const env = { PATH: stubPath(dir), STUB_LOG: path.join(dir, "calls.log"), STUB_STATE: path.join(dir, "state"), TMPDIR: dir };
    const run = gitops(REPO_ROOT, ["bootstrap", "local", "--dry-run"], env);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toContain("+ kind create cluster --name local --config bootstrap/local/kind-config.yaml --wait 120s\n");
    expect(out).toContain("  |     image: kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a\n");
    expect(out).toContain("  |     extraPortMappings:\n  |       - containerPort: 80\n  |         hostPort: 80\n");

    const json = gitops(REPO_ROOT, ["bootstrap", "local", "--dry-run", "--output", "json"], env);
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout);
    const argo = report.steps.find((s: { title: string }) => s.title.startsWith("Argo CD"));
    const application = load(readFileSync(path.join(REPO_ROOT, "clusters/local/apps/application-argo-cd.yaml"), "utf8")) as { spec: { sources: { chart?: string; targetRevision: string; helm: { releaseName: string; valuesObject: unknown } }[] } };
    const chart = application.spec.sources.find((s) => s.chart)!;
    expect(argo.commands).toEqual([
      `helm upgrade --install ${chart.helm.releaseName} ${chart.chart} --repo https://argoproj.github.io/argo-helm --version ${chart.targetRevision} --kube-context kind-local --namespace argocd --create-namespace --values bootstrap/local/argocd-values.yaml --wait --timeout 10m`,
    ]);
    // The values printed (and installed) are the Application's, object for object.
    expect(load(argo.manifests[0])).toEqual(chart.helm.valuesObject);
    expect(report.summary).toBe("bootstrap local: 4 step(s) would change something (dry run: nothing was run)");
  });

  it("refuses when the generated files are out of date with cluster.ts, and a cluster without bootstrap", () => {
    const lab = (k3s: string, bootstrap = true) => `import { defineCluster } from "../../tools/model/index.ts";
export default defineCluster({
  name: "lab",
  environment: "prod",
  kubernetesVersion: "1.34",
  distribution: "k3s",
  delivery: "flux",
  repo: { url: "https://git.example/platform.git", revision: "main" },
  components: [],
  ${bootstrap ? `bootstrap: { provider: "k3s", k3sVersion: "${k3s}", disable: [], podSubnet: "10.42.0.0/16", serviceSubnet: "10.43.0.0/16", fluxVersion: "v2.7.5" },` : ""}
});
`;
    const ws = tempWorkspace({ "clusters/lab/cluster.ts": lab("v1.34.1+k3s1") });
    expect(gitops(ws, ["generate", "--no-typecheck"]).status).toBe(0);
    expect(readFileSync(path.join(ws, "bootstrap/lab/facts.env"), "utf8")).toContain("K3S_VERSION='v1.34.1+k3s1'\n");
    writeFiles(ws, { "clusters/lab/cluster.ts": lab("v1.34.2+k3s1") });
    const stale = gitops(ws, ["bootstrap", "lab", "--dry-run"]);
    expect(stale.stderr).toBe(
      "gitops bootstrap: the generated files of cluster lab are out of date with clusters/lab/cluster.ts (bootstrap/lab/facts.env): run npm run generate first\n",
    );
    expect(stale.status).toBe(1);
    writeFiles(ws, { "clusters/lab/cluster.ts": lab("", false) });
    const none = gitops(ws, ["bootstrap", "lab", "--dry-run"]);
    expect(none.stderr).toBe('clusters/lab/cluster.ts: cluster "lab" declares no bootstrap (add bootstrap: { provider: … } to it)\n');
    expect(none.status).toBe(1);
  });

  it("names one cluster, and says which output formats there are", () => {
    expect(gitops(REPO_ROOT, ["bootstrap"]).stderr).toBe("gitops bootstrap: name one cluster, e.g. gitops bootstrap local --dry-run\nRun `gitops bootstrap --help` for usage.\n");
    const bad = gitops(REPO_ROOT, ["bootstrap", "local", "--output", "yaml"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('gitops bootstrap: --output must be one of text, json, got "yaml"\n');
    const missing = gitops(REPO_ROOT, ["bootstrap", "nowhere"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('no cluster named "nowhere" (looked in clusters/)\n');
    expect(gitops(REPO_ROOT, ["bootstrap", "--help"]).stdout).toContain("Usage: gitops bootstrap <cluster> [options]");
  });
});
