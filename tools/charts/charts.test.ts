/**
 * The chart path with real parts: the upstream chart mirror served over HTTP on 127.0.0.1, real
 * `helm pull` and `helm template` (the pinned Helm), a temporary toolchain cache.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runProcessesSync } from "../engines/processes.ts";
import { crdApiVersions } from "../pipeline/render-cluster.ts";
import { startChartMirror, UPSTREAM_CHARTS, type ChartMirror } from "../testing/chart-mirror.ts";
import { skipWithoutUpstream } from "../testing/upstream.ts";
import { lockText, readLock, type ChartLock } from "./lock.ts";
import { pullArgs, pullCharts } from "./pull.ts";
import { parseHelmOutput, templateCharts, type TemplateJob } from "./template.ts";

const ARGO_ROLLOUTS = { repoURL: "https://argoproj.github.io/argo-helm", chart: "argo-rollouts", version: "2.41.0" };
const EMPTY: ChartLock = { lockVersion: 1, charts: [] };

/** sha256 of each package, as the mirror's SOURCES.tsv records it. */
function sourcesDigest(chart: string, version: string): string {
  const rows = readFileSync(path.join(UPSTREAM_CHARTS, "SOURCES.tsv"), "utf8").split("\n").map((l) => l.split("\t"));
  const header = rows[0];
  const row = rows.find((r) => r[0] === chart && r[1] === version)!;
  return row[header.indexOf("tgz_sha256")];
}

describe.skipIf(skipWithoutUpstream("charts"))("charts through the mirror", () => {
  let mirror: ChartMirror;
  const saved = { cache: process.env.GITOPS_CACHE_DIR, mirror: process.env.GITOPS_CHART_MIRROR };
  const cache = mkdtempSync(path.join(os.tmpdir(), "gitops-charts-cache-"));
  beforeAll(async () => {
    mirror = await startChartMirror();
    process.env.GITOPS_CACHE_DIR = cache;
    process.env.GITOPS_CHART_MIRROR = mirror.url;
  });
  afterAll(async () => {
    await mirror.close();
    for (const [k, v] of [["GITOPS_CACHE_DIR", saved.cache], ["GITOPS_CHART_MIRROR", saved.mirror]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(cache, { recursive: true, force: true });
  });

  test("GIVEN an empty cache WHEN a chart is pulled THEN helm pull fetches it from the mirror, and the next pull finds it by digest without a request", () => {
    const [first] = pullCharts([ARGO_ROLLOUTS], EMPTY);
    expect(first).toMatchObject({ pulled: true, sha256: sourcesDigest("argo-rollouts", "2.41.0") });
    expect(first.problem).toBeUndefined();
    expect(mirror.requests()).toContain("/argo-rollouts-2.41.0.tgz");
    const lock: ChartLock = { lockVersion: 1, charts: [{ ...ARGO_ROLLOUTS, sha256: first.sha256! }] };
    const before = mirror.requests().length;
    const [again] = pullCharts([ARGO_ROLLOUTS], lock);
    expect(again).toMatchObject({ pulled: false, sha256: first.sha256, file: first.file });
    expect(mirror.requests().length).toBe(before);
  });

  test("GIVEN a locked digest the bytes do not match THEN the chart is refused, naming chart, version, file and both digests", () => {
    const wrong = "0".repeat(64);
    const digest = sourcesDigest("argo-rollouts", "2.41.0");
    const [r] = pullCharts([ARGO_ROLLOUTS], { lockVersion: 1, charts: [{ ...ARGO_ROLLOUTS, sha256: wrong }] }, { force: true });
    expect(r.problem).toBe("digest-mismatch");
    expect(r.file).toBeUndefined();
    expect(r.message).toBe(
      `chart argo-rollouts@2.41.0 from https://argoproj.github.io/argo-helm (mirror ${mirror.url}): argo-rollouts-2.41.0.tgz has sha256 ${digest}, but charts.lock.json locks ${wrong}: the chart changed under the same version; refused (if the change is expected, remove its entry from charts.lock.json and pull again)`,
    );
  });

  test("GIVEN a version the repository does not hold THEN 'chart not available' names chart, version, repository and mirror", () => {
    const [r] = pullCharts([{ repoURL: "https://dl.gitea.com/charts/", chart: "gitea", version: "12.7.0" }], EMPTY);
    expect(r.problem).toBe("not-found");
    expect(r.message).toBe(
      `chart not available: gitea@12.7.0 from https://dl.gitea.com/charts (mirror ${mirror.url}): chart "gitea" version "12.7.0" not found in ${mirror.url} repository`,
    );
  });

  test("GIVEN no mirror and a repository that does not answer THEN the chart is unreachable, not silently skipped", () => {
    const mirrorUrl = process.env.GITOPS_CHART_MIRROR;
    delete process.env.GITOPS_CHART_MIRROR;
    try {
      // Port 1 on loopback: nothing listens there.
      const [r] = pullCharts([{ repoURL: "http://127.0.0.1:1/charts", chart: "web", version: "1.0.0" }], EMPTY);
      expect(r.problem).toBe("unreachable");
      expect(r.message).toMatch(/^chart not available: web@1\.0\.0 from http:\/\/127\.0\.0\.1:1\/charts: looks like "http:\/\/127\.0\.0\.1:1\/charts" is not a valid chart repository or cannot be reached/);
    } finally {
      process.env.GITOPS_CHART_MIRROR = mirrorUrl;
    }
  });

  test("GIVEN a pulled chart WHEN templated as Argo CD does THEN objects carry their template, CRDs included, and a second run starts no Helm process", () => {
    const [pulled] = pullCharts([ARGO_ROLLOUTS], EMPTY);
    const job: TemplateJob = {
      ref: ARGO_ROLLOUTS,
      file: pulled.file!,
      sha256: pulled.sha256!,
      releaseName: "argo-rollouts",
      namespace: "argo-rollouts",
      kubeVersion: "1.34",
      apiVersions: ["argoproj.io/v1alpha1"],
      values: { controller: { replicas: 3 } },
      includeCrds: true,
    };
    const [first] = templateCharts([job]);
    expect(first.error).toBeUndefined();
    expect(first.cached).toBe(false);
    const deployment = first.objects!.find((o) => o.object.kind === "Deployment");
    expect(deployment?.template).toBe("argo-rollouts/templates/controller/deployment.yaml");
    expect((deployment?.object.spec as { replicas: number }).replicas).toBe(3);
    expect(crdApiVersions(first.objects!.map((o) => o.object))).toContain("argoproj.io/v1alpha1/Rollout");
    const [second] = templateCharts([job]);
    expect(second).toEqual({ ...first, cached: true });
    // Other values: templated again.
    const [third] = templateCharts([{ ...job, values: { controller: { replicas: 2 } } }]);
    expect(third.cached).toBe(false);
  });

  test("GIVEN chart output with a value JSON cannot hold (-0; Helm itself refuses .inf and .nan) THEN the run that templates it gets the objects a warm run reads back from the cache", () => {
    const chart = mkdtempSync(path.join(os.tmpdir(), "gitops-chart-inf-"));
    try {
      writeFileSync(path.join(chart, "Chart.yaml"), "apiVersion: v2\nname: limits\nversion: 0.1.0\n");
      mkdirSync(path.join(chart, "templates"));
      writeFileSync(path.join(chart, "templates", "thing.yaml"), "apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: t\nspec:\n  zero: -0\n  float: -0.0\n");
      const job: TemplateJob = {
        ref: { repoURL: "file://local", chart: "limits", version: "0.1.0" },
        file: chart,
        sha256: "local-limits-0.1.0",
        releaseName: "limits",
        namespace: "limits",
        kubeVersion: "1.34",
        apiVersions: [],
        values: {},
        includeCrds: true,
      };
      const [first] = templateCharts([job]);
      expect(first.error).toBeUndefined();
      expect(first.cached).toBe(false);
      const [second] = templateCharts([job]);
      expect(second.cached).toBe(true);
      expect(first.objects).toEqual(second.objects);
      expect(first.objects![0].object.spec).toEqual({ zero: 0, float: 0 });
    } finally {
      rmSync(chart, { recursive: true, force: true });
    }
  });

  test("GIVEN values the chart rejects THEN Helm's message is returned", () => {
    // The collector's chart requires image.repository and mode (its NOTES.txt fails without them).
    const [pulled] = pullCharts([{ repoURL: "https://open-telemetry.github.io/opentelemetry-helm-charts", chart: "opentelemetry-collector", version: "0.170.0" }], EMPTY);
    const [r] = templateCharts([
      { ref: pulled.ref, file: pulled.file!, sha256: pulled.sha256!, releaseName: "otel", namespace: "monitoring", kubeVersion: "1.34", apiVersions: [], values: {}, includeCrds: true },
    ]);
    expect(r.objects).toBeUndefined();
    expect(r.error).toMatch(/^execution error at \(opentelemetry-collector\/templates\/NOTES\.txt:2:3\): \[ERROR\] 'image\.repository' must be set\./);
  });
});

describe("pull commands", () => {
  test("HTTP, OCI and mirror", () => {
    expect(pullArgs({ repoURL: "https://charts.jetstack.io/", chart: "cert-manager", version: "v1.21.1" }, "/d", undefined)).toEqual([
      "pull", "cert-manager", "--repo", "https://charts.jetstack.io", "--version", "v1.21.1", "--destination", "/d",
    ]);
    expect(pullArgs({ repoURL: "oci://ghcr.io/akuity/kargo-charts", chart: "kargo", version: "1.11.2" }, "/d", undefined)).toEqual([
      "pull", "oci://ghcr.io/akuity/kargo-charts/kargo", "--version", "1.11.2", "--destination", "/d",
    ]);
    expect(pullArgs({ repoURL: "oci://ghcr.io/akuity/kargo-charts", chart: "kargo", version: "1.11.2" }, "/d", "http://127.0.0.1:1")).toEqual([
      "pull", "kargo", "--repo", "http://127.0.0.1:1", "--version", "1.11.2", "--destination", "/d",
    ]);
  });
});

describe.skipIf(skipWithoutUpstream("charts"))("this repository's lock file", () => {
  test("locks each chart at the digest of the package the chart mirror serves, and every pin but Gitea's is locked", () => {
    const lock = readLock(path.resolve(import.meta.dirname, "../.."));
    expect(lock.charts.length).toBe(22);
    for (const c of lock.charts) expect({ chart: c.chart, sha256: c.sha256 }).toEqual({ chart: c.chart, sha256: sourcesDigest(c.chart, c.version) });
    expect(lock.charts.map((c) => c.chart)).not.toContain("gitea");
  });
});

describe("the lock file", () => {
  test("sorted, one entry per pin, stable bytes", () => {
    const a = { repoURL: "https://b.example", chart: "b", version: "1.0.0", sha256: "b".repeat(64) };
    const b = { repoURL: "https://a.example", chart: "a", version: "2.0.0", sha256: "a".repeat(64) };
    expect(lockText([a, b, a])).toBe(lockText([b, a]));
    expect(JSON.parse(lockText([a, b])).charts.map((c: { chart: string }) => c.chart)).toEqual(["a", "b"]);
  });

  test("a broken entry names its field", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-lock-"));
    try {
      const file = path.join(dir, "charts.lock.json");
      writeFileSync(file, JSON.stringify({ lockVersion: 1, charts: [{ repoURL: "x", chart: "y", version: "1", sha256: "nothex" }] }));
      expect(() => readLock(dir)).toThrow("charts.lock.json: charts[0].sha256: expected 64 lowercase hex digits");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Helm's output", () => {
  test("each object keeps its # Source template; a flow sequence closed at its key's indentation (as go-yaml reads it) parses", () => {
    const text = `---\n# Source: c/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# Source: c/templates/b.yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  containers:\n    - name: x\n      command: [\n        "/bin/sh",\n        "-c"\n      ]\n      image: x:1\n---\n# Source: c/templates/empty.yaml\n`;
    const objects = parseHelmOutput(text, "test");
    expect(objects.map((o) => o.template)).toEqual(["c/templates/a.yaml", "c/templates/b.yaml"]);
    expect((objects[1].object.spec as { containers: { command: string[] }[] }).containers[0].command).toEqual(["/bin/sh", "-c"]);
  });
});

describe("engine processes", () => {
  test("run a few at a time; results come back in the jobs' order, with failures and unstartable commands", () => {
    const results = runProcessesSync([
      { command: "sh", args: ["-c", "sleep 0.2; echo first"] },
      { command: "sh", args: ["-c", "echo oops >&2; exit 3"] },
      { command: "/nonexistent/helm", args: [] },
      { command: "sh", args: ["-c", "echo last"] },
    ]);
    expect(results.map((r) => [r.status, r.stdout, r.stderr])).toEqual([
      [0, "first\n", ""],
      [3, "", "oops\n"],
      [null, "", ""],
      [0, "last\n", ""],
    ]);
    expect(results[2].error).toBe("spawn /nonexistent/helm ENOENT");
  });
});
