import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitCommit, gitops, REPO_ROOT, run, workspaceRepo } from "../testing/temp-workspace.ts";

/**
 * A real repository with a commit series, each commit changing one thing; `gitops diff` runs as a user
 * runs it, between consecutive commits.
 */
const EXTRA = "apps/backend/base/extra.yaml";
const KUSTOMIZATION = "apps/backend/base/kustomization.yaml";
const CHART_APP = "clusters/local/apps/application-argo-cd.yaml";

interface Objects {
  selector: string;
  replicas: number;
  image: string;
  pvc: boolean;
  verbs: string;
  password: string;
  labels: string;
}

const START: Objects = { selector: "demo", replicas: 2, image: "registry.example.com/demo:1.0.0", pvc: true, verbs: "[get, list]", password: "c2VjcmV0LW9uZQ==", labels: "a: one\n    b: two" };

function extraYaml(o: Objects): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo
  namespace: backend
spec:
  replicas: ${o.replicas}
  selector:
    matchLabels:
      app: ${o.selector}
  template:
    metadata:
      labels:
        app: ${o.selector}
    spec:
      containers:
        - name: demo
          image: ${o.image}
${o.pvc ? `---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: demo-data
  namespace: backend
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
` : ""}---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: demo-reader
rules:
  - apiGroups: [""]
    resources: [pods]
    verbs: ${o.verbs}
---
apiVersion: v1
kind: Secret
metadata:
  name: demo-credentials
  namespace: backend
data:
  password: ${o.password}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: demo-settings
  namespace: backend
  labels:
    ${o.labels}
data:
  mode: fast
`;
}

let repo: string;
const commits: Record<string, string> = {};

function commitStep(name: string, change: () => void): void {
  change();
  gitCommit(repo, name);
  commits[name] = run(repo, "git", ["rev-parse", "HEAD"]).trim();
}

beforeAll(() => {
  repo = workspaceRepo();
  let state = { ...START };
  const write = (patch: Partial<Objects>) => {
    state = { ...state, ...patch };
    writeFileSync(path.join(repo, EXTRA), extraYaml(state));
  };
  commitStep("start", () => {
    write({});
    const k = readFileSync(path.join(repo, KUSTOMIZATION), "utf8");
    writeFileSync(path.join(repo, KUSTOMIZATION), k.replace("resources:\n", "resources:\n  - extra.yaml\n"));
  });
  commitStep("selector", () => write({ selector: "demo-v2" }));
  commitStep("pvc-removed", () => write({ pvc: false }));
  commitStep("clusterrole-star", () => write({ verbs: '["*"]' }));
  commitStep("chart-bump", () => {
    const text = readFileSync(path.join(repo, CHART_APP), "utf8");
    writeFileSync(path.join(repo, CHART_APP), text.replace(/targetRevision: 10\.1\.1/, "targetRevision: 10.4.0"));
  });
  commitStep("replicas-zero", () => write({ replicas: 0 }));
  commitStep("image-tag", () => write({ image: "registry.example.com/demo:1.1.0" }));
  commitStep("secret-value", () => write({ password: "c2VjcmV0LXR3bw==" }));
  commitStep("label-reorder", () => write({ labels: "b: two\n    a: one" }));
});

interface JsonRisk {
  class: string;
  rule: string;
  title: string;
  field: string;
  reason: string;
}

function diffStep(step: string, extra: string[] = []) {
  const names = Object.keys(commits);
  const previous = names[names.indexOf(step) - 1];
  // Charts off: the series compares the committed files; a chart bump to a version no repository here holds is one of them.
  return gitops(repo, ["diff", "--base", commits[previous], "--head", commits[step], "--cluster", "local", "--exit-code", ...extra], { GITOPS_CHARTS: "off" });
}

function jsonStep(step: string) {
  const result = diffStep(step, ["--output", "json"]);
  expect(result.stderr).not.toContain("Error");
  const report = JSON.parse(result.stdout) as { clusters: { cluster: string; risks: JsonRisk[]; counts: Record<string, number>; apps: { name: string; objects: { kind: string; change: string; diff: string[] }[] }[] }[] };
  return { status: result.status, cluster: report.clusters[0], stdout: result.stdout };
}

describe("gitops diff over a commit series", () => {
  it("names a Deployment selector change as an immutable field", () => {
    const { status, cluster } = jsonStep("selector");
    expect(status).toBe(1);
    expect(cluster.risks).toContainEqual(expect.objectContaining({ class: "immutable", rule: "immutable/selector", title: "Deployment backend/demo", field: "spec.selector" }));
  });

  it("names a removed PVC as data at risk, pruned by Argo CD", () => {
    const { cluster } = jsonStep("pvc-removed");
    const risk = cluster.risks.find((r) => r.class === "data-at-risk");
    expect(risk).toMatchObject({ title: "PersistentVolumeClaim backend/demo-data", rule: "data-at-risk/delete-persistentvolumeclaim" });
    expect(risk!.reason).toContain("Argo CD prunes it automatically (no Prune=false)");
    expect(cluster.counts).toEqual({ added: 0, changed: 0, removed: 1 });
  });

  it("names a ClusterRole gaining * as security widening", () => {
    const { cluster } = jsonStep("clusterrole-star");
    expect(cluster.risks).toEqual([expect.objectContaining({ class: "security", rule: "security/rbac-wildcard", title: "ClusterRole demo-reader", field: "rules[].verbs" })]);
  });

  it("names a chart version bump as supply chain", () => {
    const { cluster } = jsonStep("chart-bump");
    const risk = cluster.risks.find((r) => r.rule === "supply-chain/chart-version");
    expect(risk).toMatchObject({ title: "Application argocd/argo-cd" });
    expect(risk!.reason).toMatch(/^chart argo-cd 10\.1\.1 → 10\.4\.0; app version /);
  });

  it("names replicas dropping to 0 as availability", () => {
    const { cluster } = jsonStep("replicas-zero");
    expect(cluster.risks).toEqual([expect.objectContaining({ class: "availability", rule: "availability/replicas-zero", field: "spec.replicas", reason: "replicas 2 → 0: the workload stops serving." })]);
  });

  it("names an image tag change", () => {
    const { cluster } = jsonStep("image-tag");
    expect(cluster.risks).toEqual([
      expect.objectContaining({ class: "supply-chain", rule: "supply-chain/image-changed", reason: 'container "demo" image registry.example.com/demo:1.0.0 → registry.example.com/demo:1.1.0.' }),
    ]);
  });

  it("shows a Secret value change without its content, in every format", () => {
    for (const output of ["text", "json", "markdown", "html"]) {
      const result = diffStep("secret-value", ["--output", output]);
      expect(result.status).toBe(1);
      expect(result.stdout).toContain("(masked, changed)");
      for (const secret of ["c2VjcmV0LW9uZQ==", "c2VjcmV0LXR3bw==", "secret-one", "secret-two"]) expect(result.stdout).not.toContain(secret);
    }
  });

  it("sees a pure label reorder as no change (exit 0 with --exit-code)", () => {
    const result = diffStep("label-reorder");
    expect(result.stderr).toContain("diff: rendered base");
    expect(result.stdout).toContain("diff: no change");
    expect(result.status).toBe(0);
  });

  it("prints a coloured-capable unified diff per object in text", () => {
    const result = diffStep("image-tag");
    expect(result.stdout).toContain("cluster local: 0 added, 1 changed, 0 removed, 1 risk");
    expect(result.stdout).toContain("  ~ Deployment backend/demo [apps/v1] changed");
    expect(result.stdout).toContain("      -      - image: registry.example.com/demo:1.0.0\n      +      - image: registry.example.com/demo:1.1.0\n");
    expect(result.stdout).toContain('    ! supply chain spec.template.spec.containers[0].image: container "demo" image registry.example.com/demo:1.0.0 → registry.example.com/demo:1.1.0.');
  });

  it("writes Markdown with a summary table and a fold per Application", () => {
    const result = diffStep("selector", ["--output", "markdown"]);
    expect(result.stdout).toMatch(/^<!-- gitops-diff -->\n### Rendered diff: /);
    expect(result.stdout).toContain("| cluster | added | changed | removed | immutable field | data at risk | availability | security widening | supply chain |");
    expect(result.stdout).toContain("| local | 0 | 1 | 0 | **1** ⚠️ | 0 | 0 | 0 | 0 |");
    expect(result.stdout).toContain("<details>\n<summary><b>local</b> / backend: 0 added, 1 changed, 0 removed, ⚠️ 1 risk</summary>");
    expect(result.stdout).toContain("```diff");
  });

  it("reads a commit from git over the working tree with the output of a full checkout", () => {
    // Both sides other than the working tree, many commits apart: every file that changed is read from git.
    const span = ["diff", "--base", commits.start, "--head", commits["label-reorder"], "--cluster", "local", "--output", "json"];
    const fast = gitops(repo, span, { GITOPS_CHARTS: "off" });
    expect(fast.stderr).toMatch(/diff: rendered base .* \(1 clusters, \d+ files read from git\)/);
    const slow = gitops(repo, [...span, "--checkout"], { GITOPS_CHARTS: "off" });
    expect(slow.stderr).toContain("from a checkout");
    expect(JSON.parse(fast.stdout).clusters[0].counts.changed).toBeGreaterThan(0);
    expect(fast.stdout).toBe(slow.stdout);
    // A working tree with edits: a file renamed, an untracked file, a folder the commit does not have.
    const dirty = workspaceRepo();
    const kustomization = readFileSync(path.join(dirty, KUSTOMIZATION), "utf8");
    writeFileSync(path.join(dirty, EXTRA.replace("extra", "renamed")), extraYaml(START));
    writeFileSync(path.join(dirty, KUSTOMIZATION), kustomization.replace("resources:\n", "resources:\n  - renamed.yaml\n"));
    writeFileSync(path.join(dirty, "apps/backend/base/untracked.yaml"), "not: referenced\n");
    gitCommit(dirty, "renamed");
    const renamed = run(dirty, "git", ["rev-parse", "HEAD"]).trim();
    run(dirty, "git", ["mv", EXTRA.replace("extra", "renamed"), EXTRA]);
    writeFileSync(path.join(dirty, KUSTOMIZATION), kustomization.replace("resources:\n", "resources:\n  - extra.yaml\n"));
    writeFileSync(path.join(dirty, EXTRA), extraYaml({ ...START, replicas: 0, pvc: false }));
    mkdirSync(path.join(dirty, "apps/backend/new-folder"));
    writeFileSync(path.join(dirty, "apps/backend/new-folder/kustomization.yaml"), "resources: []\n");
    const args = ["diff", "--base", renamed, "--worktree", "--cluster", "local", "--output", "json"];
    const fastDirty = gitops(dirty, args, { GITOPS_CHARTS: "off" });
    const slowDirty = gitops(dirty, [...args, "--checkout"], { GITOPS_CHARTS: "off" });
    expect(fastDirty.stderr).toContain("files read from git");
    expect(JSON.parse(fastDirty.stdout).clusters[0].risks).toContainEqual(expect.objectContaining({ rule: "availability/replicas-zero" }));
    expect(fastDirty.stdout).toBe(slowDirty.stdout);
  });

  it("writes every format from one render into --out-dir, the comment in parts", () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "gitops-diff-out-")), "diff");
    const result = diffStep("selector", ["--out-dir", out, "--details-url", "https://example.invalid/run/7"]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("  ~ Deployment backend/demo [apps/v1] changed");
    expect(result.stderr).toContain(`diff: wrote diff.txt, diff.json, diff.html, comment-1.md into ${out}`);
    expect(readdirSync(out).sort()).toEqual([".gitops-diff", "comment-1.md", "diff.html", "diff.json", "diff.txt"]);
    expect(readFileSync(path.join(out, "comment-1.md"), "utf8")).toBe(`${diffStep("selector", ["--output", "markdown", "--details-url", "https://example.invalid/run/7"]).stdout}`);
    expect(readFileSync(path.join(out, "diff.json"), "utf8")).toBe(jsonStep("selector").stdout);
    expect(readFileSync(path.join(out, "diff.txt"), "utf8")).toBe(result.stdout);
    expect(diffStep("selector", ["--max-comments", "0", "--out-dir", out]).stderr).toBe('gitops diff: --max-comments must be a positive integer, got "0"\n');
    expect(diffStep("selector", ["--max-comments", "3"]).stderr).toBe("gitops diff: --max-comments needs --out-dir (the comment parts are written there)\n");
  });

  it("is byte-identical across runs", () => {
    const a = diffStep("selector", ["--output", "json"]);
    const b = diffStep("selector", ["--output", "json"]);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe("gitops diff: bad input", () => {
  it("refuses a base ref that does not exist", () => {
    const result = gitops(repo, ["diff", "--base", "no-such-ref"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('gitops diff: base ref "no-such-ref" does not exist (not a branch, tag or commit of this repository)\n');
  });

  it("says to fetch the base in a shallow clone without it", () => {
    const clone = mkdtempSync(path.join(os.tmpdir(), "gitops-shallow-"));
    run(clone, "git", ["clone", "-q", "--depth", "1", `file://${repo}`, "repo"]);
    const dir = path.join(clone, "repo");
    const result = gitops(dir, ["diff", "--base", commits.start]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `gitops diff: base ref "${commits.start}" is not in this clone, which is shallow: fetch it first (\`git fetch --unshallow\`, or \`git fetch origin ${commits.start}\`; in GitHub Actions, actions/checkout with fetch-depth: 0)\n`,
    );
  });

  it("reports a base that does not render as such", () => {
    const broken = workspaceRepo();
    const k = path.join(broken, KUSTOMIZATION);
    const good = readFileSync(k, "utf8");
    writeFileSync(k, good.replace("resources:\n", "resources:\n  - missing.yaml\n"));
    gitCommit(broken, "broken");
    const brokenCommit = run(broken, "git", ["rev-parse", "HEAD"]).trim();
    writeFileSync(k, good);
    gitCommit(broken, "fixed");
    const result = gitops(broken, ["diff", "--base", brokenCommit]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^gitops diff: base ${brokenCommit} \\(${brokenCommit.slice(0, 12)}\\) does not render: .*missing\\.yaml`, "m"));
    expect(run(broken, "git", ["worktree", "list"]).trim().split("\n")).toHaveLength(1);
  });

  it("refuses --head with --worktree, and an unknown cluster", () => {
    expect(gitops(repo, ["diff", "--head", "HEAD", "--worktree"]).stderr).toBe("gitops diff: --head and --worktree exclude each other\n");
    const unknown = gitops(repo, ["diff", "--base", "HEAD", "--cluster", "nope"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('gitops diff: no cluster named "nope" in base or head (looked in clusters/)\n');
    expect(gitops(repo, ["diff", "--output", "yaml"]).stderr).toBe('gitops diff: --output must be one of text, markdown, json, html, got "yaml"\n');
  });

  it("removes its worktrees on Ctrl-C", async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "gitops-sigint-"));
    mkdirSync(tmp, { recursive: true });
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "tools/bin/gitops.mjs"), "diff", "--checkout", "--base", commits.start, "--head", commits.selector], {
      cwd: repo,
      env: { ...process.env, TMPDIR: tmp, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // Waits until a worktree is checked out (its files are there), then interrupts.
    const deadline = Date.now() + 60_000;
    let seen = false;
    while (!seen && Date.now() < deadline) {
      seen = readdirSync(tmp).some((d) => existsSync(path.join(tmp, d, "tree", "clusters")));
      if (!seen) await new Promise((r) => setTimeout(r, 2));
    }
    expect(seen).toBe(true);
    child.kill("SIGINT");
    const code = await exited;
    expect(code).toBe(130);
    expect(stderr).toContain("gitops diff: interrupted (SIGINT); temporary worktrees removed");
    expect(readdirSync(tmp)).toEqual([]);
    expect(run(repo, "git", ["worktree", "list"]).trim().split("\n")).toHaveLength(1);
  });
});

afterAll(() => {
  // The temporary repositories live in the system's temporary folder.
});
