import { describe, expect, it } from "vitest";
import { API_LIFECYCLES, checkApiVersion, lifecycleOf, parseKubernetesVersion } from "./api-versions.ts";
import { definedTypes, loadSpec, servedTypes, SKIP_SPECS, SPEC_VERSIONS } from "./upstream.test-helpers.ts";

const object = (apiVersion: string, kind: string) => ({ apiVersion, kind, metadata: { name: "x" } });

describe("checkApiVersion", () => {
  it.each([
    ["policy/v1beta1", "PodDisruptionBudget", "1.34", "policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25; use policy/v1"],
    ["extensions/v1beta1", "Ingress", "1.32", "extensions/v1beta1 Ingress was removed in Kubernetes 1.22; use networking.k8s.io/v1"],
    ["networking.k8s.io/v1beta1", "Ingress", "1.22", "networking.k8s.io/v1beta1 Ingress was removed in Kubernetes 1.22; use networking.k8s.io/v1"],
    ["networking.k8s.io/v1beta1", "IngressClass", "1.36", "networking.k8s.io/v1beta1 IngressClass was removed in Kubernetes 1.22; use networking.k8s.io/v1"],
    ["extensions/v1beta1", "Deployment", "1.16", "extensions/v1beta1 Deployment was removed in Kubernetes 1.16; use apps/v1"],
    ["batch/v1beta1", "CronJob", "1.25", "batch/v1beta1 CronJob was removed in Kubernetes 1.25; use batch/v1"],
    ["autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.30", "autoscaling/v2beta1 HorizontalPodAutoscaler was removed in Kubernetes 1.25; use autoscaling/v2"],
    ["autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.26", "autoscaling/v2beta2 HorizontalPodAutoscaler was removed in Kubernetes 1.26; use autoscaling/v2"],
    ["flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "1.32", "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema was removed in Kubernetes 1.32; use flowcontrol.apiserver.k8s.io/v1"],
    ["storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.27", "storage.k8s.io/v1beta1 CSIStorageCapacity was removed in Kubernetes 1.27; use storage.k8s.io/v1"],
    ["discovery.k8s.io/v1beta1", "EndpointSlice", "1.33", "discovery.k8s.io/v1beta1 EndpointSlice was removed in Kubernetes 1.25; use discovery.k8s.io/v1"],
    [
      "policy/v1beta1",
      "PodSecurityPolicy",
      "1.25",
      "policy/v1beta1 PodSecurityPolicy was removed in Kubernetes 1.25; use Pod Security Admission (pod-security.kubernetes.io/* labels on the namespace) instead; it has no successor API",
    ],
    ["admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy", "1.34", "admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy was removed in Kubernetes 1.34; use admissionregistration.k8s.io/v1"],
  ])("%s %s on %s is removed", (apiVersion, kind, version, message) => {
    expect(checkApiVersion(object(apiVersion, kind), version)).toEqual([
      { rule: "api/removed", severity: "error", message, path: ["apiVersion"], hint: `the cluster runs Kubernetes ${version}, which does not serve ${apiVersion} ${kind}` },
    ]);
  });

  it.each([
    ["v1", "Endpoints", "1.33", "v1 Endpoints is deprecated since Kubernetes 1.33; use discovery.k8s.io/v1 EndpointSlice"],
    ["v1", "ComponentStatus", "1.34", "v1 ComponentStatus is deprecated since Kubernetes 1.19; use the API server's /livez and /readyz endpoints"],
    ["policy/v1beta1", "PodDisruptionBudget", "1.24", "policy/v1beta1 PodDisruptionBudget is deprecated since Kubernetes 1.21, and is removed in 1.25; use policy/v1"],
    ["admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy", "1.33", "admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy is deprecated since Kubernetes 1.31, and is removed in 1.34; use admissionregistration.k8s.io/v1"],
  ])("%s %s on %s is deprecated", (apiVersion, kind, version, message) => {
    expect(checkApiVersion(object(apiVersion, kind), version)).toEqual([{ rule: "api/deprecated", severity: "warning", message, path: ["apiVersion"] }]);
  });

  it.each([
    ["v1", "Endpoints", "1.32"],
    ["policy/v1beta1", "PodDisruptionBudget", "1.20"],
    ["policy/v1", "PodDisruptionBudget", "1.36"],
    ["apps/v1", "Deployment", "1.36"],
    ["cert-manager.io/v1", "Certificate", "1.36"],
  ])("%s %s on %s is fine", (apiVersion, kind, version) => {
    expect(checkApiVersion(object(apiVersion, kind), version)).toEqual([]);
  });

  it("accepts v-prefixed and patch versions, and refuses others", () => {
    expect(parseKubernetesVersion("v1.34.2")).toEqual({ major: 1, minor: 34 });
    expect(parseKubernetesVersion("1.36")).toEqual({ major: 1, minor: 36 });
    expect(() => checkApiVersion(object("v1", "Endpoints"), "latest")).toThrow('invalid Kubernetes version "latest": expected MAJOR.MINOR such as 1.34');
  });

  it("ignores what is not an object", () => {
    expect(checkApiVersion("text", "1.34")).toEqual([]);
  });

  it("covers the removals the design names", () => {
    for (const [apiVersion, kind] of [
      ["extensions/v1beta1", "Ingress"],
      ["extensions/v1beta1", "Deployment"],
      ["policy/v1beta1", "PodDisruptionBudget"],
      ["policy/v1beta1", "PodSecurityPolicy"],
      ["batch/v1beta1", "CronJob"],
      ["autoscaling/v2beta1", "HorizontalPodAutoscaler"],
      ["autoscaling/v2beta2", "HorizontalPodAutoscaler"],
      ["flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"],
      ["flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration"],
      ["flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"],
      ["storage.k8s.io/v1beta1", "CSIStorageCapacity"],
      ["networking.k8s.io/v1beta1", "Ingress"],
      ["networking.k8s.io/v1beta1", "IngressClass"],
      ["discovery.k8s.io/v1beta1", "EndpointSlice"],
    ]) {
      expect(lifecycleOf(apiVersion, kind)?.removedIn, `${apiVersion} ${kind}`).toBeDefined();
    }
  });
});

describe.skipIf(SKIP_SPECS)("API_LIFECYCLES cross-checked with the Kubernetes OpenAPI specs 1.32-1.36", () => {
  const minor = (v: string) => Number(v.split(".")[1]);

  it.each(SPEC_VERSIONS)("in %s, what is removed is absent and what is served is present", (version) => {
    const spec = loadSpec(version);
    const defined = definedTypes(spec);
    const served = servedTypes(spec);
    const problems: string[] = [];
    for (const entry of API_LIFECYCLES) {
      const type = `${entry.apiVersion} ${entry.kind}`;
      const removed = entry.removedIn !== undefined && minor(version) >= minor(entry.removedIn);
      const introduced = entry.introducedIn === undefined || minor(version) >= minor(entry.introducedIn);
      if (removed && (defined.has(type) || served.has(type))) problems.push(`${type} is said removed in ${entry.removedIn} but ${version} has it`);
      if (!removed && introduced && !(defined.has(type) && served.has(type))) problems.push(`${type} is said served in ${version} but the spec lacks it`);
    }
    expect(problems).toEqual([]);
  });

  it("from the version that removes (or deprecates) a type, the replacement it names is served", () => {
    const problems: string[] = [];
    for (const version of SPEC_VERSIONS) {
      const served = servedTypes(loadSpec(version));
      for (const entry of API_LIFECYCLES) {
        const match = /^([a-z0-9.]+\/)?v\d+\w*( [A-Z]\w+)?$/.exec(entry.replacement);
        const from = entry.removedIn ?? entry.deprecatedIn;
        if (!match || !from || minor(version) < minor(from)) continue;
        const type = match[2] ? entry.replacement : `${entry.replacement} ${entry.kind}`;
        if (!served.has(type)) problems.push(`${version}: ${type}, the replacement of ${entry.apiVersion} ${entry.kind}, is not served`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("checkApiVersion: a v1 List", () => {
  it("checks each item", () => {
    const list = { apiVersion: "v1", kind: "List", items: [object("apps/v1", "Deployment"), object("batch/v1beta1", "CronJob")] };
    expect(checkApiVersion(list, "1.34").map((f) => [f.message, f.path])).toEqual([
      ["items[1]: batch/v1beta1 CronJob was removed in Kubernetes 1.25; use batch/v1", ["items", 1, "apiVersion"]],
    ]);
  });
});
