import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipWithoutUpstream, upstreamPath } from "../testing/upstream.ts";
import { apiVersionsSeen, apiVersionUseOf } from "./api-version-use.ts";
import { binaryIdentity, engineBinary } from "../engines/binaries.ts";
import { templateCacheKey, templateCharts, type TemplateJob } from "./template.ts";

/** A packaged chart (real tar + gzip) with these files under `<name>/`. */
function pack(name: string, files: Record<string, string | Buffer>): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-apiuse-"));
  for (const [rel, content] of Object.entries({ "Chart.yaml": `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n`, ...files })) {
    mkdirSync(path.dirname(path.join(dir, name, rel)), { recursive: true });
    writeFileSync(path.join(dir, name, rel), content);
  }
  const file = path.join(dir, `${name}.tgz`);
  execFileSync("tar", ["-czf", file, "-C", dir, name]);
  return readFileSync(file);
}

describe("apiVersionUseOf", () => {
  it("GIVEN templates that test literal API versions THEN those literals, sorted, wherever they are (helpers, subcharts)", () => {
    const sub = pack("sub", { "templates/pdb.yaml": '{{- if .Capabilities.APIVersions.Has "policy/v1" }}\nkind: PodDisruptionBudget\n{{- end }}\n' });
    const chart = pack("app", {
      "templates/_helpers.tpl": '{{- define "x" -}}{{- if $.Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor" }}yes{{ end }}{{- end }}',
      "templates/hpa.yaml": '{{ if (.Capabilities.APIVersions.Has "autoscaling/v2") }}kind: HorizontalPodAutoscaler{{ end }}\n',
      // A CRD's description and a comment name the word outside any action.
      "crds/crd.yaml": "description: APIVersions is the API versions the resources belong to\n",
      "values.yaml": "# Override APIVersions\n",
      "charts/sub-1.0.0.tgz": sub,
    });
    expect(apiVersionUseOf(chart, "app.tgz")).toEqual(["autoscaling/v2", "monitoring.coreos.com/v1/ServiceMonitor", "policy/v1"]);
    expect(apiVersionUseOf(pack("plain", { "templates/cm.yaml": "kind: ConfigMap\n" }), "plain.tgz")).toEqual([]);
  });

  it.each([
    ["a computed argument", '{{ if .Capabilities.APIVersions.Has $apiVersion }}x{{ end }}'],
    ["the set passed on", '{{ include "has" (list "x" .Capabilities.APIVersions) }}'],
    ["the set ranged over", "{{ range .Capabilities.APIVersions }}{{ . }}{{ end }}"],
    ["Capabilities used whole", "{{ toYaml .Capabilities }}"],
    ["Capabilities kept in a variable", "{{ $caps := $.Capabilities }}"],
  ])("GIVEN %s THEN every API version counts", (_what, template) => {
    expect(apiVersionUseOf(pack("c", { "templates/t.yaml": template, "templates/ok.yaml": '{{ if .Capabilities.APIVersions.Has "a/v1" }}{{ end }}' }), "c.tgz")).toBe("all");
  });

  it("GIVEN a use THEN only the served literals are seen; values that could reach the set through tpl see all", () => {
    expect(apiVersionsSeen(["autoscaling/v2", "policy/v1"], ["v1", "policy/v1", "apps/v1"])).toEqual(["policy/v1"]);
    expect(apiVersionsSeen("all", ["v1", "apps/v1", "v1"])).toEqual(["apps/v1", "v1"]);
    expect(apiVersionsSeen([], ["v1"], '{"a":"{{ .Capabilities.APIVersions }}"}')).toEqual(["v1"]);
  });
});

describe("templateCacheKey", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-apikey-"));
  const chart = path.join(dir, "c.tgz");
  writeFileSync(chart, pack("c", { "templates/pdb.yaml": '{{- if .Capabilities.APIVersions.Has "policy/v1" }}kind: PodDisruptionBudget{{- end }}\n' }));
  // The use is remembered in the toolchain cache: this test's own.
  const saved = process.env.GITOPS_CACHE_DIR;
  beforeAll(() => {
    process.env.GITOPS_CACHE_DIR = path.join(dir, "cache");
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.GITOPS_CACHE_DIR;
    else process.env.GITOPS_CACHE_DIR = saved;
  });
  const job = (apiVersions: string[], values: unknown = {}): TemplateJob => ({
    ref: { repoURL: "https://charts.example", chart: "c", version: "1.0.0" },
    file: chart,
    sha256: "0".repeat(64),
    releaseName: "c",
    namespace: "c",
    kubeVersion: "1.34",
    apiVersions,
    values,
    includeCrds: true,
  });
  it("GIVEN two clusters or passes that differ only in API versions the chart does not test THEN one cache entry; a tested one THEN two", () => {
    const base = job(["v1", "apps/v1"]);
    const withCrd = { ...base, apiVersions: ["v1", "apps/v1", "cert-manager.io/v1"] };
    const withPdb = { ...base, apiVersions: ["v1", "apps/v1", "policy/v1"] };
    expect(templateCacheKey(withCrd, "helm")).toBe(templateCacheKey(base, "helm"));
    expect(templateCacheKey(withPdb, "helm")).not.toBe(templateCacheKey(base, "helm"));
    expect(templateCacheKey({ ...base, values: { a: "{{ .Capabilities.KubeVersion }}" } }, "helm")).not.toBe(templateCacheKey({ ...withCrd, values: { a: "{{ .Capabilities.KubeVersion }}" } }, "helm"));
    expect(JSON.parse(readFileSync(path.join(dir, "cache", "charts", "api-version-use", `${"0".repeat(64)}.json`), "utf8"))).toEqual({ format: 1, use: ["policy/v1"] });
  });

  it("GIVEN the second pass of a render WHEN a job's key is that of a first-pass result THEN that result is taken as it is (no cache read, no Helm)", () => {
    const base = job(["v1"]);
    const objects = [{ object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "first-pass" } }, template: "c/templates/cm.yaml" }];
    const first = { objects, cached: false, key: templateCacheKey(base, binaryIdentity(engineBinary("helm"))) };
    const [again] = templateCharts([{ ...base, apiVersions: ["v1", "cert-manager.io/v1"] }], { reuse: [first] });
    expect(again).toBe(first);
  });
});

describe.skipIf(skipWithoutUpstream("charts"))("apiVersionUseOf on the real charts (../shared/upstream/charts)", () => {
  it("reads which API versions each chart tests", () => {
    const use = (file: string) => apiVersionUseOf(readFileSync(upstreamPath("charts", file)), file);
    expect(use("metallb-0.16.1.tgz")).toEqual([]);
    expect(use("ingress-nginx-4.15.1.tgz")).toEqual(["autoscaling/v2"]);
    // argo-cd tests a version it computes ($apiVersion); external-secrets hands the set to a helper.
    expect(use("argo-cd-10.1.1.tgz")).toBe("all");
    expect(use("external-secrets-2.9.0.tgz")).toBe("all");
  });
});
