import { describe, expect, it } from "vitest";
import type { KubeObject } from "../model/kube-object.ts";
import type { ClusterObjects } from "./compare.ts";
import { diffClusters } from "./diff.ts";
import { markdownReport } from "./report.ts";

type Obj = Record<string, unknown> & { apiVersion: string; kind: string; metadata: KubeObject["metadata"] };
const o = (apiVersion: string, kind: string, name: string, rest: Record<string, unknown> = {}, namespace: string | undefined = "shop"): Obj => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}), ...((rest.metadata as object) ?? {}) },
  ...Object.fromEntries(Object.entries(rest).filter(([k]) => k !== "metadata")),
});
const pod = (spec: Record<string, unknown>, labels = { app: "api" }) => ({ template: { metadata: { labels }, spec } });
const deploy = (spec: Record<string, unknown>) => o("apps/v1", "Deployment", "api", { spec: { selector: { matchLabels: { app: "api" } }, ...spec } });
const container = (extra: Record<string, unknown> = {}) => ({ name: "api", image: "ghcr.io/acme/api:1.0.0", ...extra });

function cluster(objects: Obj[], wave = 1, extraApps: ClusterObjects["apps"] = []): ClusterObjects {
  return { cluster: "dev", apps: [{ name: "shop", wave, objects: objects as KubeObject[] }, ...extraApps] };
}

function risks(before: Obj[], after: Obj[]) {
  return diffClusters([cluster(before)], [cluster(after)])[0].risks.map((r) => `${r.rule} ${r.title} ${r.field}`);
}

describe("risk classes", () => {
  it.each([
    ["a StatefulSet's volumeClaimTemplates", o("apps/v1", "StatefulSet", "db", { spec: { serviceName: "db", volumeClaimTemplates: [{ metadata: { name: "data" } }] } }), o("apps/v1", "StatefulSet", "db", { spec: { serviceName: "db", volumeClaimTemplates: [{ metadata: { name: "data2" } }] } }), "immutable/statefulset-volumeClaimTemplates StatefulSet shop/db spec.volumeClaimTemplates"],
    ["a StatefulSet's serviceName", o("apps/v1", "StatefulSet", "db", { spec: { serviceName: "db" } }), o("apps/v1", "StatefulSet", "db", { spec: { serviceName: "db-headless" } }), "immutable/statefulset-serviceName StatefulSet shop/db spec.serviceName"],
    ["a Job's template", o("batch/v1", "Job", "migrate", { spec: pod({ containers: [container()] }) }), o("batch/v1", "Job", "migrate", { spec: pod({ containers: [container({ args: ["up"] })] }) }), "immutable/job-template Job shop/migrate spec.template"],
    ["a Service turning headless", o("v1", "Service", "api", { spec: { ports: [{ port: 80 }] } }), o("v1", "Service", "api", { spec: { clusterIP: "None", ports: [{ port: 80 }] } }), "immutable/service-clusterip Service shop/api spec.clusterIP"],
    ["a PVC's storage class", o("v1", "PersistentVolumeClaim", "data", { spec: { storageClassName: "fast" } }), o("v1", "PersistentVolumeClaim", "data", { spec: { storageClassName: "slow" } }), "immutable/pvc-storageclass PersistentVolumeClaim shop/data spec.storageClassName"],
    ["a PVC shrinking", o("v1", "PersistentVolumeClaim", "data", { spec: { resources: { requests: { storage: "10Gi" } } } }), o("v1", "PersistentVolumeClaim", "data", { spec: { resources: { requests: { storage: "5Gi" } } } }), "immutable/pvc-shrink PersistentVolumeClaim shop/data spec.resources.requests.storage"],
    ["an immutable ConfigMap's data", o("v1", "ConfigMap", "cfg", { immutable: true, data: { a: "1" } }), o("v1", "ConfigMap", "cfg", { immutable: true, data: { a: "2" } }), "immutable/immutable-data ConfigMap shop/cfg data"],
    ["a CRD losing a version", o("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.acme.io", { spec: { group: "acme.io", names: { kind: "Widget" }, versions: [{ name: "v1" }, { name: "v1beta1" }] } }, undefined), o("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.acme.io", { spec: { group: "acme.io", names: { kind: "Widget" }, versions: [{ name: "v1" }] } }, undefined), "immutable/crd-version-removed CustomResourceDefinition widgets.acme.io spec.versions"],
    ["a PV's reclaim policy becoming Delete", o("v1", "PersistentVolume", "pv1", { spec: { persistentVolumeReclaimPolicy: "Retain" } }, undefined), o("v1", "PersistentVolume", "pv1", { spec: { persistentVolumeReclaimPolicy: "Delete" } }, undefined), "data-at-risk/reclaim-delete PersistentVolume pv1 spec.persistentVolumeReclaimPolicy"],
    ["a readiness probe removed", deploy({ replicas: 2, ...pod({ containers: [container({ readinessProbe: { httpGet: { path: "/", port: 80 } } })] }) }), deploy({ replicas: 2, ...pod({ containers: [container()] }) }), "availability/probe-removed Deployment shop/api spec.template.spec.containers[0].readinessProbe"],
    ["a canary dropped", o("argoproj.io/v1alpha1", "Rollout", "api", { spec: { strategy: { canary: { steps: [] } } } }), o("argoproj.io/v1alpha1", "Rollout", "api", { spec: { strategy: { blueGreen: {} } } }), "availability/canary-dropped Rollout shop/api spec.strategy.canary"],
    ["a Role gaining escalate", o("rbac.authorization.k8s.io/v1", "Role", "r", { rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }] }), o("rbac.authorization.k8s.io/v1", "Role", "r", { rules: [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: ["escalate"] }] }), "security/rbac-escalation Role shop/r rules[].verbs"],
    ["a NetworkPolicy opened to every source", o("networking.k8s.io/v1", "NetworkPolicy", "np", { spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: { matchLabels: { app: "web" } } }] }] } }), o("networking.k8s.io/v1", "NetworkPolicy", "np", { spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] } }), "security/networkpolicy-loosened NetworkPolicy shop/np spec"],
    ["a privileged container", deploy(pod({ containers: [container()] })), deploy(pod({ containers: [container({ securityContext: { privileged: true } })] })), "security/privileged Deployment shop/api spec.template.spec.containers[0].securityContext.privileged"],
    ["a hostPath volume", deploy(pod({ containers: [container()] })), deploy(pod({ containers: [container()], volumes: [{ name: "root", hostPath: { path: "/" } }] })), "security/host-access Deployment shop/api spec.template.spec.volumes[0].hostPath"],
    ["Kyverno Enforce → Audit", o("kyverno.io/v1", "ClusterPolicy", "p", { spec: { validationFailureAction: "Enforce" } }, undefined), o("kyverno.io/v1", "ClusterPolicy", "p", { spec: { validationFailureAction: "Audit" } }, undefined), "security/kyverno-audit ClusterPolicy p spec.validationFailureAction"],
  ])("flags %s", (_what, before, after, expected) => {
    expect(risks([before], [after])).toEqual([expected]);
  });

  it.each([
    ["an HPA removed", o("autoscaling/v2", "HorizontalPodAutoscaler", "api"), "availability/hpa-removed HorizontalPodAutoscaler shop/api "],
    ["a default-deny NetworkPolicy removed", o("networking.k8s.io/v1", "NetworkPolicy", "default-deny", { spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } }), "security/default-deny-removed NetworkPolicy shop/default-deny "],
    ["a Namespace removed", o("v1", "Namespace", "shop", {}, undefined), "data-at-risk/delete-namespace Namespace shop "],
  ])("flags %s", (_what, before, expected) => {
    expect(risks([before], [])).toEqual([expected]);
  });

  it("does not flag a removal protected by Prune=false", () => {
    expect(risks([o("v1", "PersistentVolumeClaim", "data", { metadata: { annotations: { "argocd.argoproj.io/sync-options": "Prune=false" } } })], [])).toEqual([]);
  });

  it("flags a Kyverno PolicyException added, a ClusterRoleBinding to every authenticated user, and a new registry", () => {
    expect(risks([], [o("kyverno.io/v2", "PolicyException", "skip")])).toEqual(["security/exception-added PolicyException shop/skip "]);
    expect(risks([], [o("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "all", { roleRef: { kind: "ClusterRole", name: "view" }, subjects: [{ kind: "Group", name: "system:authenticated" }] }, undefined)])).toEqual([
      "security/broad-binding ClusterRoleBinding all subjects",
    ]);
    const before = [deploy(pod({ containers: [container()] }))];
    expect(risks(before, [deploy(pod({ containers: [container({ image: "quay.io/acme/api:1.0.0" })] }))])).toEqual([
      "supply-chain/image-changed Deployment shop/api spec.template.spec.containers[0].image",
      "supply-chain/new-registry Deployment shop/api spec.template.spec.containers[0].image",
    ]);
  });

  it("flags a Flux HelmRelease's chart version change with the app versions its rendered objects declare", () => {
    const release = (version: string) => o("helm.toolkit.fluxcd.io/v2", "HelmRelease", "loki", { spec: { chart: { spec: { chart: "loki", version, sourceRef: { kind: "HelmRepository", name: "grafana" } } } } }, "flux-system");
    const chartObject = (version: string, app: string) => o("v1", "ServiceAccount", "loki", { metadata: { labels: { "helm.sh/chart": `loki-${version}`, "app.kubernetes.io/version": app } } }, "monitoring");
    const [c] = diffClusters([cluster([release("6.1.0"), chartObject("6.1.0", "3.1.0")])], [cluster([release("6.2.0"), chartObject("6.2.0", "3.2.0")])]);
    expect(c.risks.map((r) => [r.rule, r.field, r.reason])).toEqual([["supply-chain/chart-version", "spec.chart.spec.version", "chart loki 6.1.0 → 6.2.0; app version 3.1.0 → 3.2.0."]]);
  });

  it("flags replicas below a PodDisruptionBudget's minAvailable", () => {
    const pdb = o("policy/v1", "PodDisruptionBudget", "api", { spec: { minAvailable: 2, selector: { matchLabels: { app: "api" } } } });
    expect(risks([deploy({ replicas: 3, ...pod({ containers: [container()] }) }), pdb], [deploy({ replicas: 1, ...pod({ containers: [container()] }) }), pdb])).toEqual([
      "availability/below-pdb Deployment shop/api spec.replicas",
    ]);
  });

  it("flags a sync-wave change that puts a consumer with its CRD's installer", () => {
    const crd = o("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.acme.io", { spec: { group: "acme.io", names: { kind: "Widget" }, versions: [{ name: "v1" }] } }, undefined);
    const widget = o("acme.io/v1", "Widget", "w");
    const side = (consumerWave: number): ClusterObjects => ({ cluster: "dev", apps: [{ name: "operator", wave: 1, objects: [crd as KubeObject] }, { name: "shop", wave: consumerWave, objects: [widget as KubeObject] }] });
    const found = diffClusters([side(2)], [side(1)])[0].risks;
    expect(found.map((r) => `${r.rule} ${r.app} ${r.title}`)).toEqual(["availability/wave-order shop Widget shop/w"]);
    expect(found[0].reason).toBe("Application shop (wave 1) now syncs with operator (wave 1), which installs the Widget CRD: the sync fails until the CRD exists.");
  });

  it("shows in Markdown the risk to an Application whose own objects did not change (its provider moved to a later wave)", () => {
    const crd = o("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.acme.io", { spec: { group: "acme.io", names: { kind: "Widget" }, versions: [{ name: "v1" }] } }, undefined);
    const widget = o("acme.io/v1", "Widget", "w");
    const side = (operatorWave: number): ClusterObjects => ({ cluster: "dev", apps: [{ name: "operator", wave: operatorWave, objects: [crd as KubeObject] }, { name: "shop", wave: 2, objects: [widget as KubeObject] }] });
    const report = { base: { ref: "main", commit: "a".repeat(40) }, head: { ref: "HEAD" }, clusters: diffClusters([side(1)], [side(3)]) };
    const md = markdownReport(report);
    expect(md).toContain("<summary><b>dev</b> / risks to unchanged Applications: ⚠️ 1 risk</summary>");
    expect(md).toContain("| **availability** | Widget shop/w | `metadata.annotations[argocd.argoproj.io/sync-wave]` | Application shop (wave 2) now syncs before operator (wave 3), which installs the Widget CRD: the sync fails until the CRD exists.");
  });

  describe("a consumer moved before what it needs", () => {
    const secret = o("v1", "Secret", "db", { data: { url: "eA==" } });
    const config = o("v1", "ConfigMap", "settings", { data: { mode: "fast" } });
    const sa = o("v1", "ServiceAccount", "api");
    const pvc = o("v1", "PersistentVolumeClaim", "data", { spec: { resources: { requests: { storage: "1Gi" } } } });
    const ns = o("v1", "Namespace", "shop", {}, undefined);
    const waveOf = (obj: Obj, wave: string): Obj => ({ ...obj, metadata: { ...obj.metadata, annotations: { "argocd.argoproj.io/sync-wave": wave } } });
    const workload = (extra: Record<string, unknown> = {}) =>
      deploy(
        pod({
          serviceAccountName: "api",
          containers: [container({ envFrom: [{ secretRef: { name: "db" } }], env: [{ name: "MODE", valueFrom: { configMapKeyRef: { name: "settings", key: "mode" } } }] })],
          volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data" } }],
          ...extra,
        }),
      );
    const twoApps = (providerWave: number, provided: Obj[], consumer: Obj = workload(), root: Obj[] = []): ClusterObjects => ({
      cluster: "dev",
      apps: [
        ...(root.length ? [{ name: "root", wave: 0, objects: root as KubeObject[] }] : []),
        { name: "base", wave: providerWave, objects: provided as KubeObject[] },
        { name: "shop", wave: 1, objects: [consumer as KubeObject] },
      ],
    });
    const found = (before: ClusterObjects, after: ClusterObjects) => diffClusters([before], [after])[0].risks.filter((r) => r.rule === "availability/wave-order");

    it("flags a workload's Secret, ConfigMap, ServiceAccount and PVC now created by a later Application", () => {
      const risks = found(twoApps(0, [secret, config, sa, pvc]), twoApps(2, [secret, config, sa, pvc]));
      expect(risks.map((r) => r.reason)).toEqual([
        "Application shop (wave 1) now syncs before base (wave 2), which creates ServiceAccount shop/api that Deployment shop/api needs: its pods are refused until it exists.",
        "Application shop (wave 1) now syncs before base (wave 2), which creates PersistentVolumeClaim shop/data that Deployment shop/api needs: its pods stay Pending until it exists.",
        "Application shop (wave 1) now syncs before base (wave 2), which creates Secret shop/db that Deployment shop/api needs: its pods cannot start until it exists.",
        "Application shop (wave 1) now syncs before base (wave 2), which creates ConfigMap shop/settings that Deployment shop/api needs: its pods cannot start until it exists.",
      ]);
      expect(risks[0]).toMatchObject({ class: "availability", app: "shop", title: "Deployment shop/api", field: "metadata.annotations[argocd.argoproj.io/sync-wave]", doc: "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/" });
    });

    it("flags an object whose namespace is now created in a later wave, unless its Application creates the namespace", () => {
      const configOnly = o("v1", "ConfigMap", "plain", { data: {} });
      expect(found(twoApps(0, [ns], configOnly), twoApps(1, [ns], configOnly)).map((r) => r.reason)).toEqual([
        "Application shop (wave 1) now syncs with base (wave 1), which creates Namespace shop that ConfigMap shop/plain needs: the sync fails until the namespace exists.",
      ]);
      const app = o("argoproj.io/v1alpha1", "Application", "shop", { spec: { destination: { namespace: "shop" }, syncPolicy: { syncOptions: ["CreateNamespace=true"] } } }, "argocd");
      expect(found(twoApps(0, [ns], configOnly, [app]), twoApps(1, [ns], configOnly, [app]))).toEqual([]);
    });

    it("names one risk per Application and what it needs, counting the other objects that need it", () => {
      const objects = [o("v1", "ConfigMap", "a", { data: {} }), o("v1", "ConfigMap", "b", { data: {} }), o("v1", "Service", "c", { spec: {} })];
      const side = (nsWave: number): ClusterObjects => ({ cluster: "dev", apps: [{ name: "base", wave: nsWave, objects: [ns] as KubeObject[] }, { name: "shop", wave: 1, objects: objects as KubeObject[] }] });
      expect(found(side(0), side(2)).map((r) => r.reason)).toEqual([
        "Application shop (wave 1) now syncs before base (wave 2), which creates Namespace shop that ConfigMap shop/a and 2 other objects need: the sync fails until the namespace exists.",
      ]);
    });

    it("leaves alone a namespace that a Flux HelmRelease creates (install.createNamespace)", () => {
      const release = o("helm.toolkit.fluxcd.io/v2", "HelmRelease", "shop", { spec: { targetNamespace: "shop", install: { createNamespace: true } } }, "flux-system");
      const chartObject = o("v1", "ConfigMap", "from-chart", { data: {} });
      const side = (nsWave: number, create: boolean): ClusterObjects => ({
        cluster: "dev",
        apps: [{ name: "shop-chart", wave: 0, objects: [create ? release : { ...release, spec: { targetNamespace: "shop" } }, chartObject] as KubeObject[] }, { name: "shop", wave: nsWave, objects: [ns] as KubeObject[] }],
      });
      expect(found(side(-1, true), side(1, true))).toEqual([]);
      expect(found(side(-1, false), side(1, false)).map((r) => r.title)).toEqual(["ConfigMap shop/from-chart"]);
    });

    it("flags an object wave inside one Application that applies a workload before its Secret", () => {
      const side = (secretWave: string): ClusterObjects => ({ cluster: "dev", apps: [{ name: "shop", wave: 1, objects: [waveOf(secret, secretWave), config, sa, pvc, workload()] as KubeObject[] }] });
      expect(found(side("0"), side("5")).map((r) => r.reason)).toEqual([
        "Deployment shop/api (sync wave 0) is now applied before Secret shop/db (sync wave 5) in Application shop: its pods cannot start until it exists.",
      ]);
      // The same wave: Argo CD applies Secrets before Deployments.
      expect(found(side("5"), side("0"))).toEqual([]);
      // Flux applies a Kustomization's objects together, whatever their Argo CD annotation says.
      const flux = (secretWave: string): ClusterObjects => ({ ...side(secretWave), engine: "flux" });
      expect(found(flux("0"), flux("5"))).toEqual([]);
    });

    it("leaves alone an optional reference, and an order that was already so in the base", () => {
      const optional = workload({ serviceAccountName: undefined, containers: [container({ envFrom: [{ secretRef: { name: "db", optional: true } }] })], volumes: [] });
      expect(found(twoApps(0, [secret], optional), twoApps(2, [secret], optional))).toEqual([]);
      expect(found(twoApps(3, [secret, config, sa, pvc]), twoApps(2, [secret, config, sa, pvc]))).toEqual([]);
    });
  });
});

describe("what counts as a change", () => {
  it("keeps identity across an apiVersion bump: one change, not a delete and an add", () => {
    const [c] = diffClusters([cluster([o("autoscaling/v1", "HorizontalPodAutoscaler", "api", { spec: { maxReplicas: 3 } })])], [cluster([o("autoscaling/v2", "HorizontalPodAutoscaler", "api", { spec: { maxReplicas: 3 } })])]);
    expect(c.apps[0].objects.map((x) => [x.change, x.apiVersion])).toEqual([["changed", { before: "autoscaling/v1", after: "autoscaling/v2" }]]);
  });

  it("ignores chart noise unless asked, and names the fields that changed", () => {
    const labelled = (chart: string, version: string) => ({ ...deploy({ replicas: 1, ...pod({ containers: [container()] }) }), metadata: { name: "api", namespace: "shop", labels: { "helm.sh/chart": chart, "app.kubernetes.io/version": version } } });
    const webhook = (bundle: string) => o("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "hook", { webhooks: [{ name: "a.acme.io", clientConfig: { caBundle: bundle } }] }, undefined);
    const annotated = (sum: string) => deploy({ template: { metadata: { labels: { app: "api" }, annotations: { "checksum/config": sum } }, spec: { containers: [container()] } } });
    expect(diffClusters([cluster([labelled("api-1.0.0", "1.0"), webhook("AAA")])], [cluster([labelled("api-1.1.0", "1.1"), webhook("BBB")])])[0].apps).toEqual([]);
    expect(diffClusters([cluster([annotated("1")])], [cluster([annotated("2")])])[0].apps).toEqual([]);
    const shown = diffClusters([cluster([annotated("1"), webhook("AAA")])], [cluster([annotated("2"), webhook("BBB")])], { showNoise: true })[0].apps[0].objects;
    expect(shown.map((x) => x.fields.map((f) => f.path.join(".")))).toEqual([["webhooks.0.clientConfig.caBundle"], ["spec.template.metadata.annotations.checksum/config"]]);
  });

  it("masks a Secret whose value is unchanged as (masked), and never shows content", () => {
    const secret = (password: string, user: string) => o("v1", "Secret", "creds", { data: { password, user } });
    const [c] = diffClusters([cluster([secret("b2xk", "dXNlcg==")])], [cluster([secret("bmV3", "dXNlcg==")])]);
    const object = c.apps[0].objects[0];
    expect(object.before?.data).toEqual({ password: "(masked)", user: "(masked)" });
    expect(object.after?.data).toEqual({ password: "(masked, changed)", user: "(masked)" });
    expect(JSON.stringify(c)).not.toMatch(/b2xk|bmV3|dXNlcg/);
  });
});

describe("markdown under GitHub's limit", () => {
  it("cuts whole Application sections and points at the full diff", () => {
    const many = (value: string): ClusterObjects => ({
      cluster: "dev",
      apps: Array.from({ length: 30 }, (_, i) => ({ name: `app-${String(i).padStart(2, "0")}`, objects: [o("v1", "ConfigMap", "big", { data: { text: value.repeat(200) } }, `ns-${i}`) as KubeObject] })),
    });
    const report = { base: { ref: "main", commit: "a".repeat(40) }, head: { ref: "HEAD", commit: "b".repeat(40) }, clusters: diffClusters([many("x")], [many("y")]) };
    const md = markdownReport(report, { limit: 10_000, detailsUrl: "https://example.invalid/run/1" });
    expect(md.length).toBeLessThanOrEqual(10_000);
    expect(md).toContain("| dev | 0 | 30 | 0 |");
    expect(md).toMatch(/\*\*\d+ Applications left out to stay under the 10,000-character limit\*\* \(dev\/app-\d\d, .*\): see the full diff in the \[workflow artifact\]\(https:\/\/example\.invalid\/run\/1\)\.$/);
    expect(md.split("<details>").length - 1 + Number(/(\d+) Applications left out/.exec(md)![1])).toBe(30);
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
  });
});

describe("side-by-side rows", () => {
  it("folds long unchanged runs of a changed object, keeping three lines around each change", async () => {
    const { foldUnchanged } = await import("./lines.ts");
    const same = (n: number) => ({ type: "same" as const, left: { n, text: `l${n}` }, right: { n, text: `l${n}` } });
    const rows = [...Array.from({ length: 10 }, (_, i) => same(i + 1)), { type: "changed" as const, left: { n: 11, text: "a" }, right: { n: 11, text: "b" } }, ...Array.from({ length: 10 }, (_, i) => same(i + 12))];
    expect(foldUnchanged(rows).map((r) => (r.type === "fold" ? `fold ${r.folded}` : r.left?.text))).toEqual(["fold 7", "l8", "l9", "l10", "a", "l12", "l13", "l14", "fold 7"]);
  });
});

describe("chart objects", () => {
  it("compares what an Application's chart renders beside what its git folder builds", async () => {
    const { clusterObjects } = await import("./compare.ts");
    const sa = o("v1", "ServiceAccount", "from-git");
    const fromChart = o("v1", "ServiceAccount", "from-chart");
    const rendered = {
      cluster: "dev",
      engine: "argocd" as const,
      root: [],
      appObjects: [],
      apps: [{ name: "shop", wave: 1, namespace: "shop", objects: [sa as KubeObject], chartObjects: [{ object: fromChart as KubeObject, template: "templates/sa.yaml" }] }],
      builtWithKubectl: [],
      charts: [],
    };
    expect(clusterObjects(rendered).apps[1].objects.map((x) => x.metadata.name)).toEqual(["from-git", "from-chart"]);
  });
});
