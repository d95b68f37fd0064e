import { describe, expect, it } from "vitest";
import { checkCluster, type ClusterInput, type CrdProvider } from "./cluster-checks.ts";

type Placed = { object: unknown; app?: string; wave?: number };

/** Runs the checks; ids are the objects' positions. Findings read `#id rule severity: message`. */
function check(objects: (unknown | Placed)[], options: Partial<Omit<ClusterInput, "objects">> = {}): string[] {
  const placed = objects.map((o, id) => {
    const p = o as Placed;
    return p && typeof p === "object" && "object" in p ? { ...p, id } : { object: o, id };
  });
  return checkCluster({ objects: placed, crdProviders: options.crdProviders ?? PROVIDERS, emptyApps: options.emptyApps ?? [], opaqueNamespaces: options.opaqueNamespaces }).map(
    (f) => `#${f.id} ${f.finding.rule} ${f.finding.severity}: ${f.finding.message}`,
  );
}

const PROVIDERS: CrdProvider[] = [
  { group: "cert-manager.io", kind: "Certificate", wave: 0, component: "cert-manager", versions: ["v1"] },
  { group: "cert-manager.io", kind: "ClusterIssuer", wave: 0, component: "cert-manager", versions: ["v1"] },
  { group: "cert-manager.io", kind: "Issuer", wave: 0, component: "cert-manager", versions: ["v1"] },
  { group: "external-secrets.io", kind: "ExternalSecret", wave: 0, component: "external-secrets" },
  { group: "external-secrets.io", kind: "SecretStore", wave: 0, component: "external-secrets" },
  { group: "external-secrets.io", kind: "ClusterSecretStore", wave: 0, component: "external-secrets" },
  { group: "external-secrets.io", kind: "ClusterExternalSecret", wave: 0, component: "external-secrets" },
  { group: "argoproj.io", kind: "Rollout", wave: 0, component: "argo-rollouts" },
  { group: "argoproj.io", kind: "AnalysisTemplate", wave: 0, component: "argo-rollouts" },
  { group: "argoproj.io", kind: "Application", wave: 0, component: "argo-cd" },
  { group: "networking.istio.io", kind: "VirtualService", wave: 0, component: "istio" },
  { group: "networking.istio.io", kind: "DestinationRule", wave: 0, component: "istio" },
  { group: "bitnami.com", kind: "SealedSecret", wave: 0, component: "sealed-secrets" },
];

const meta = (name: string, namespace = "shop") => ({ name, namespace });
const labels = { app: "web" };

function deployment(podSpec: Record<string, unknown>, name = "web"): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(name),
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  };
}

const service = (spec: Record<string, unknown> = {}, name = "web") => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: meta(name),
  spec: { selector: labels, ports: [{ name: "http", port: 80, targetPort: "http" }], ...spec },
});

const container = (fields: Record<string, unknown> = {}) => ({ name: "app", image: "web:1", ports: [{ name: "http", containerPort: 8080 }], ...fields });

describe("checkCluster: a consistent cluster", () => {
  it("GIVEN every reference resolving THEN finds nothing", () => {
    const objects = [
      { apiVersion: "v1", kind: "ServiceAccount", metadata: meta("web") },
      { apiVersion: "v1", kind: "ConfigMap", metadata: meta("web"), data: { LOG_LEVEL: "info" } },
      { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: meta("data") },
      { apiVersion: "external-secrets.io/v1", kind: "SecretStore", metadata: meta("vault") },
      { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", metadata: meta("db"), spec: { secretStoreRef: { name: "vault" }, target: { name: "db-credentials" } } },
      { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "letsencrypt" } },
      { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: meta("web"), spec: { secretName: "web-tls", issuerRef: { name: "letsencrypt", kind: "ClusterIssuer" } } },
      deployment({
        serviceAccountName: "web",
        containers: [
          container({
            envFrom: [{ secretRef: { name: "db-credentials" } }, { configMapRef: { name: "optional-cm", optional: true } }],
            env: [
              { name: "LOG_LEVEL", valueFrom: { configMapKeyRef: { name: "web", key: "LOG_LEVEL" } } },
              { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "db-credentials", key: "password" } } },
            ],
          }),
        ],
        volumes: [
          { name: "tls", secret: { secretName: "web-tls" } },
          { name: "data", persistentVolumeClaim: { claimName: "data" } },
          { name: "ca", configMap: { name: "kube-root-ca.crt" } },
        ],
      }),
      service(),
      {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: { ...meta("web"), annotations: { "cert-manager.io/cluster-issuer": "letsencrypt" } },
        spec: { rules: [{ http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] } }] },
      },
      { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: meta("web"), spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" } } },
      { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: meta("web"), spec: { selector: { matchLabels: labels } } },
    ];
    expect(check(objects)).toEqual([]);
  });
});

describe("checkCluster: CRDs (cluster/missing-crd, cluster/crd-order)", () => {
  const certificate = { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: meta("web"), spec: { secretName: "t", issuerRef: { name: "i" } } };
  const issuer = { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: meta("i") };

  it("reports a custom resource whose CRD no component installs", () => {
    expect(check([{ apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: meta("web") }])).toEqual([
      '#0 cluster/missing-crd error: apiVersion "monitoring.coreos.com/v1", kind "ServiceMonitor": no component of this cluster installs the CustomResourceDefinition of ServiceMonitor (monitoring.coreos.com)',
    ]);
  });

  it("reports a version the CRD does not serve", () => {
    expect(check([{ ...certificate, apiVersion: "cert-manager.io/v1alpha2" }, issuer])).toEqual([
      '#0 cluster/missing-crd error: apiVersion "cert-manager.io/v1alpha2", kind "Certificate": the installed Certificate CRD does not serve version "v1alpha2" (it serves v1)',
    ]);
  });

  it("counts CRDs among the objects, at their app's wave", () => {
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.example.com" },
      spec: { group: "example.com", names: { kind: "Widget", plural: "widgets" }, versions: [{ name: "v1", served: true }, { name: "v0", served: false }] },
    };
    const widget = (version: string, app: string, wave: number) => ({ object: { apiVersion: `example.com/${version}`, kind: "Widget", metadata: meta("w") }, app, wave });
    expect(check([{ object: crd, app: "widgets", wave: 1 }, widget("v1", "shop", 2), widget("v1", "widgets", 1), widget("v0", "shop", 2), widget("v1", "other", 1)])).toEqual([
      '#3 cluster/missing-crd error: apiVersion "example.com/v0", kind "Widget": the installed Widget CRD does not serve version "v0" (it serves v1)',
      '#4 cluster/crd-order error: apiVersion "example.com/v1", kind "Widget": synced in wave 1 (app "other", wave of the custom resource) but its CRD is installed by "widgets" in wave 1; the CRD must come in an earlier wave',
    ]);
  });

  it("reports a custom resource synced no later than the app installing its CRD, unless it is that app", () => {
    const providers: CrdProvider[] = [
      { group: "cert-manager.io", kind: "Certificate", wave: 2, component: "cert-manager" },
      { group: "cert-manager.io", kind: "Issuer", wave: 2, component: "cert-manager" },
    ];
    const out = check(
      [
        { object: certificate, app: "web", wave: 1 },
        { object: issuer, app: "cert-manager", wave: 2 },
        { object: { ...certificate, metadata: meta("late") }, app: "web", wave: 3 },
        { object: { ...certificate, metadata: meta("unplaced") } },
      ],
      { crdProviders: providers },
    );
    expect(out).toEqual([
      '#0 cluster/crd-order error: apiVersion "cert-manager.io/v1", kind "Certificate": synced in wave 1 (app "web", wave of the custom resource) but its CRD is installed by "cert-manager" in wave 2; the CRD must come in an earlier wave',
    ]);
  });

  it("does not judge the order against a CRD whose wave is unknown", () => {
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.example.com" },
      spec: { group: "example.com", names: { kind: "Widget", plural: "widgets" }, versions: [{ name: "v1" }] },
    };
    const widget = { object: { apiVersion: "example.com/v1", kind: "Widget", metadata: meta("w") }, app: "shop", wave: 0 };
    expect(check([crd, widget], { crdProviders: [] })).toEqual([]);
  });

  it("never asks for a CRD of a built-in group", () => {
    expect(check([{ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "fast" } }], { crdProviders: [] })).toEqual([]);
  });
});

describe("checkCluster: references (cluster/dangling-reference)", () => {
  it("Service selector → pod templates, and named target ports", () => {
    expect(check([service({ selector: { app: "api" } })])).toEqual(['#0 cluster/dangling-reference error: spec.selector: {app: api} matches no pod template in namespace "shop"']);
    expect(check([service({ ports: [{ name: "http", port: 80, targetPort: "web" }] }), deployment({ containers: [container()] })])).toEqual([
      '#0 cluster/dangling-reference error: spec.ports[0].targetPort: "web" is not a port name of the pods it selects (Deployment web)',
    ]);
    expect(check([service({ type: "ExternalName", externalName: "example.com" }), service({ selector: {} }, "manual")])).toEqual([]);
  });

  it("Service selector → the labels a StatefulSet's controller adds to each pod", () => {
    const statefulSet = (replicas: number) => ({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: meta("web"),
      spec: { selector: { matchLabels: labels }, serviceName: "web", replicas, template: { metadata: { labels }, spec: { containers: [container()] } } },
    });
    const announce = (ordinal: number) => service({ selector: { app: "web", "statefulset.kubernetes.io/pod-name": `web-${ordinal}` } }, `web-announce-${ordinal}`);
    expect(check([announce(0), announce(2), statefulSet(3)])).toEqual([]);
    expect(check([announce(3), statefulSet(3)])).toEqual([
      '#0 cluster/dangling-reference error: spec.selector: {app: web, statefulset.kubernetes.io/pod-name: web-3} matches no pod template in namespace "shop"',
    ]);
  });

  it("Ingress backend → Service and its port", () => {
    const ingress = {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: meta("web"),
      spec: {
        defaultBackend: { service: { name: "missing", port: { number: 80 } } },
        rules: [
          {
            http: {
              paths: [
                { path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 8080 } } } },
                { path: "/x", pathType: "Prefix", backend: { service: { name: "web", port: { name: "https" } } } },
              ],
            },
          },
        ],
      },
    };
    expect(check([ingress, service(), deployment({ containers: [container()] })])).toEqual([
      '#0 cluster/dangling-reference error: spec.defaultBackend.service.name: Service "missing" in namespace "shop" does not exist',
      "#0 cluster/dangling-reference error: spec.rules[0].http.paths[0].backend.service.port.number: 8080 is not a port of Service shop/web (ports: 80)",
      '#0 cluster/dangling-reference error: spec.rules[0].http.paths[1].backend.service.port.name: "https" is not a port name of Service shop/web (port names: http)',
    ]);
  });

  it("Ingress cert-manager annotations → (Cluster)Issuer", () => {
    const ingress = { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { ...meta("web"), annotations: { "cert-manager.io/cluster-issuer": "prod", "cert-manager.io/issuer": "local" } } };
    expect(check([ingress])).toEqual([
      `#0 cluster/dangling-reference error: metadata.annotations["cert-manager.io/cluster-issuer"]: ClusterIssuer "prod" does not exist`,
      `#0 cluster/dangling-reference error: metadata.annotations["cert-manager.io/issuer"]: Issuer "local" in namespace "shop" does not exist`,
    ]);
  });

  it("Certificate → Issuer in its namespace or ClusterIssuer; external issuers are not checked", () => {
    const certificate = (issuerRef: Record<string, unknown>) => ({ apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: meta("web"), spec: { secretName: "web-tls", issuerRef } });
    expect(
      check([
        certificate({ name: "ca" }),
        certificate({ name: "letsencrypt", kind: "ClusterIssuer" }),
        certificate({ name: "pca", kind: "AWSPCAClusterIssuer", group: "awspca.cert-manager.io" }),
        { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: meta("ca", "other") },
      ]),
    ).toEqual([
      '#0 cluster/dangling-reference error: spec.issuerRef.name: Issuer "ca" in namespace "shop" does not exist',
      '#1 cluster/dangling-reference error: spec.issuerRef.name: ClusterIssuer "letsencrypt" does not exist',
    ]);
  });

  it("ExternalSecret → SecretStore / ClusterSecretStore, also per data item", () => {
    const externalSecret = {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: meta("db"),
      spec: {
        secretStoreRef: { name: "vault" },
        data: [{ secretKey: "a", remoteRef: { key: "a" }, sourceRef: { storeRef: { name: "global", kind: "ClusterSecretStore" } } }],
      },
    };
    const clusterExternalSecret = {
      apiVersion: "external-secrets.io/v1",
      kind: "ClusterExternalSecret",
      metadata: { name: "shared" },
      spec: { externalSecretSpec: { secretStoreRef: { name: "everywhere", kind: "ClusterSecretStore" } } },
    };
    expect(check([externalSecret, clusterExternalSecret])).toEqual([
      '#0 cluster/dangling-reference error: spec.secretStoreRef.name: SecretStore "vault" in namespace "shop" does not exist',
      '#0 cluster/dangling-reference error: spec.data[0].sourceRef.storeRef.name: ClusterSecretStore "global" does not exist',
      '#1 cluster/dangling-reference error: spec.externalSecretSpec.secretStoreRef.name: ClusterSecretStore "everywhere" does not exist',
    ]);
  });

  it("Rollout → canary, stable, active and preview Services, VirtualService, DestinationRule, analysis templates, workloadRef", () => {
    const rollout = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Rollout",
      metadata: meta("web"),
      spec: {
        workloadRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web-template" },
        strategy: {
          canary: {
            canaryService: "web-canary",
            stableService: "web",
            trafficRouting: { istio: { virtualService: { name: "web-vs" }, destinationRule: { name: "web-dr" } } },
            steps: [{ setWeight: 20 }, { analysis: { templates: [{ templateName: "success-rate" }, { templateName: "global", clusterScope: true }] } }],
          },
        },
      },
    };
    const blueGreen = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Rollout",
      metadata: meta("admin"),
      spec: {
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [container()] } },
        strategy: { blueGreen: { activeService: "admin", previewService: "admin-preview" } },
      },
    };
    expect(check([rollout, blueGreen, service(), service({}, "admin"), { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: meta("web-vs") }])).toEqual([
      '#0 cluster/dangling-reference error: spec.strategy.canary.canaryService: Service "web-canary" in namespace "shop" does not exist',
      '#0 cluster/dangling-reference error: spec.strategy.canary.trafficRouting.istio.destinationRule.name: DestinationRule "web-dr" in namespace "shop" does not exist',
      '#0 cluster/dangling-reference error: spec.workloadRef.name: Deployment "web-template" in namespace "shop" does not exist',
      '#0 cluster/dangling-reference error: spec.strategy.canary.steps[1].analysis.templates[0].templateName: AnalysisTemplate "success-rate" in namespace "shop" does not exist',
      '#0 cluster/dangling-reference error: spec.strategy.canary.steps[1].analysis.templates[1].templateName: ClusterAnalysisTemplate "global" does not exist',
      '#1 cluster/dangling-reference error: spec.strategy.blueGreen.previewService: Service "admin-preview" in namespace "shop" does not exist',
    ]);
  });

  it("Rollout VirtualService as name.namespace", () => {
    const rollout = (name: string) => ({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Rollout",
      metadata: meta("web"),
      spec: { strategy: { canary: { trafficRouting: { istio: { virtualServices: [{ name }] } } } } },
    });
    const vs = { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: meta("web-vs", "mesh") };
    expect(check([rollout("web-vs.mesh"), vs])).toEqual([]);
    expect(check([rollout("web-vs.gateways"), vs])).toEqual([
      '#0 cluster/dangling-reference error: spec.strategy.canary.trafficRouting.istio.virtualServices[0].name: VirtualService "web-vs" in namespace "gateways" does not exist',
    ]);
  });

  it("pod spec → ConfigMaps, Secrets, ServiceAccount, PVCs; optional ones skipped", () => {
    const object = deployment({
      serviceAccountName: "web",
      imagePullSecrets: [{ name: "registry" }],
      containers: [
        container({
          envFrom: [{ configMapRef: { name: "settings" } }, { secretRef: { name: "maybe", optional: true } }],
          env: [
            { name: "A", valueFrom: { secretKeyRef: { name: "creds", key: "a" } } },
            { name: "B", valueFrom: { configMapKeyRef: { name: "web", key: "MISSING" } } },
            { name: "C", valueFrom: { configMapKeyRef: { name: "nothing", key: "x", optional: true } } },
          ],
        }),
      ],
      volumes: [
        { name: "a", configMap: { name: "files" } },
        { name: "b", secret: { secretName: "certs" } },
        { name: "c", projected: { sources: [{ configMap: { name: "proj" } }, { secret: { name: "proj-secret", optional: true } }] } },
        { name: "d", persistentVolumeClaim: { claimName: "data" } },
      ],
    });
    expect(check([object, { apiVersion: "v1", kind: "ConfigMap", metadata: meta("web"), data: { LEVEL: "1" }, binaryData: { BIN: "AA==" } }])).toEqual([
      '#0 cluster/dangling-reference error: spec.template.spec.serviceAccountName: ServiceAccount "web" in namespace "shop" does not exist',
      '#0 cluster/dangling-reference warning: spec.template.spec.imagePullSecrets[0].name: Secret "registry" in namespace "shop" does not exist; pulling a private image will fail',
      '#0 cluster/dangling-reference error: spec.template.spec.volumes[0].configMap.name: ConfigMap "files" in namespace "shop" does not exist',
      '#0 cluster/dangling-reference error: spec.template.spec.volumes[1].secret.secretName: Secret "certs" in namespace "shop" does not exist',
      '#0 cluster/dangling-reference error: spec.template.spec.volumes[2].projected.sources[0].configMap.name: ConfigMap "proj" in namespace "shop" does not exist',
      '#0 cluster/dangling-reference error: spec.template.spec.volumes[3].persistentVolumeClaim.claimName: PersistentVolumeClaim "data" in namespace "shop" does not exist',
      '#0 cluster/dangling-reference error: spec.template.spec.containers[0].envFrom[0].configMapRef.name: ConfigMap "settings" in namespace "shop" does not exist',
      '#0 cluster/dangling-reference error: spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name: Secret "creds" in namespace "shop" does not exist',
      '#0 cluster/dangling-reference error: spec.template.spec.containers[0].env[1].valueFrom.configMapKeyRef.key: "MISSING" is not a key of ConfigMap "web" in namespace "shop" (keys: LEVEL, BIN)',
    ]);
  });

  it("Secrets produced in the cluster count: ExternalSecret, SealedSecret, Certificate, ClusterExternalSecret, service-account tokens; declared Secrets' keys are checked", () => {
    const uses = (name: string, key?: string) => ({ name: name.toUpperCase(), valueFrom: { secretKeyRef: { name, key: key ?? "k" } } });
    const object = deployment({ containers: [container({ env: [uses("from-eso"), uses("sealed"), uses("tls"), uses("everywhere"), uses("plain", "user"), uses("plain", "nope"), uses("web-token", "token")] })] });
    const objects = [
      object,
      { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", metadata: meta("from-eso"), spec: { secretStoreRef: { name: "s", kind: "ClusterSecretStore" } } },
      { apiVersion: "external-secrets.io/v1", kind: "ClusterSecretStore", metadata: { name: "s" } },
      { apiVersion: "bitnami.com/v1alpha1", kind: "SealedSecret", metadata: meta("sealed-source"), spec: { template: { metadata: { name: "sealed" } } } },
      { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: meta("c"), spec: { secretName: "tls", issuerRef: { name: "i", kind: "ClusterIssuer" } } },
      { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "i" } },
      { apiVersion: "external-secrets.io/v1", kind: "ClusterExternalSecret", metadata: { name: "everywhere" }, spec: { externalSecretSpec: { secretStoreRef: { name: "s", kind: "ClusterSecretStore" } } } },
      { apiVersion: "v1", kind: "Secret", metadata: meta("plain"), stringData: { user: "u" } },
      { apiVersion: "v1", kind: "Secret", metadata: { ...meta("web-token"), annotations: { "kubernetes.io/service-account.name": "web" } }, type: "kubernetes.io/service-account-token" },
    ];
    expect(check(objects)).toEqual([
      '#0 cluster/dangling-reference error: spec.template.spec.containers[0].env[5].valueFrom.secretKeyRef.key: "nope" is not a key of Secret "plain" in namespace "shop" (keys: user)',
    ]);
  });

  it("a StatefulSet's claim names resolve", () => {
    const sts = {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: meta("db"),
      spec: { selector: { matchLabels: { app: "db" } }, template: { metadata: { labels: { app: "db" } }, spec: { containers: [container()] } }, volumeClaimTemplates: [{ metadata: { name: "data" } }] },
    };
    const backup = (claimName: string) => deployment({ containers: [container()], volumes: [{ name: "d", persistentVolumeClaim: { claimName } }] }, "backup");
    expect(check([sts, backup("data-db-0")])).toEqual([]);
    expect(check([sts, backup("data-db")])).toEqual([
      '#1 cluster/dangling-reference error: spec.template.spec.volumes[0].persistentVolumeClaim.claimName: PersistentVolumeClaim "data-db" in namespace "shop" does not exist',
    ]);
  });

  it("serviceAccount (the old field) is checked when serviceAccountName is not set; default always exists", () => {
    expect(check([deployment({ serviceAccount: "legacy", containers: [container()] }), deployment({ serviceAccountName: "default", containers: [container()] }, "other")])).toEqual([
      '#0 cluster/dangling-reference error: spec.template.spec.serviceAccount: ServiceAccount "legacy" in namespace "shop" does not exist',
    ]);
  });

  it("HPA scaleTargetRef → the workload", () => {
    const hpa = (kind: string, apiVersion: string) => ({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: meta("web"), spec: { scaleTargetRef: { apiVersion, kind, name: "web" } } });
    expect(check([hpa("StatefulSet", "apps/v1"), hpa("Rollout", "argoproj.io/v1alpha1"), hpa("Deployment", "apps/v1"), deployment({ containers: [container()] })])).toEqual([
      '#0 cluster/dangling-reference error: spec.scaleTargetRef.name: StatefulSet "web" in namespace "shop" does not exist',
      '#1 cluster/dangling-reference error: spec.scaleTargetRef.name: Rollout "web" in namespace "shop" does not exist',
    ]);
  });

  it("PDB selecting nothing is a warning", () => {
    const pdb = { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: meta("web"), spec: { selector: { matchLabels: { app: "gone" } } } };
    expect(check([pdb, deployment({ containers: [container()] })])).toEqual([
      '#0 cluster/dangling-reference warning: spec.selector: {app: gone} matches no pod template in namespace "shop"; the budget protects nothing',
    ]);
  });
});

describe("checkCluster: namespaces a Helm chart deploys into (opaqueNamespaces)", () => {
  it("turns references into them into warnings", () => {
    const objects = [
      service({ selector: { "app.kubernetes.io/name": "ingress-nginx" } }),
      deployment({ serviceAccountName: "chart-sa", containers: [container()] }),
      { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: meta("pdb"), spec: { selector: { matchLabels: { app: "chart" } } } },
    ];
    expect(check(objects, { opaqueNamespaces: ["shop"] })).toEqual([
      '#0 cluster/dangling-reference warning: spec.selector: {app.kubernetes.io/name: ingress-nginx} matches no pod template in namespace "shop"; a Helm chart deploys into namespace "shop" and may provide what is missing',
      '#1 cluster/dangling-reference warning: spec.template.spec.serviceAccountName: ServiceAccount "chart-sa" in namespace "shop" does not exist; a Helm chart deploys into namespace "shop" and may provide what is missing',
      '#2 cluster/dangling-reference warning: spec.selector: {app: chart} matches no pod template in namespace "shop"; the budget protects nothing; a Helm chart deploys into namespace "shop" and may provide what is missing',
    ]);
  });

  it("custom resources that make pods or objects turn references into their namespace into warnings", () => {
    const prometheus = { apiVersion: "monitoring.coreos.com/v1", kind: "Prometheus", metadata: meta("k8s") };
    const serviceMonitor = { apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: meta("web") };
    const claim = { apiVersion: "database.example.org/v1alpha1", kind: "PostgresInstance", metadata: meta("db") };
    const providers: CrdProvider[] = [
      ...PROVIDERS,
      { group: "monitoring.coreos.com", kind: "Prometheus", wave: 0, component: "monitoring" },
      { group: "monitoring.coreos.com", kind: "ServiceMonitor", wave: 0, component: "monitoring" },
      { group: "database.example.org", kind: "PostgresInstance", wave: 0, component: "crossplane" },
    ];
    const usesSecret = deployment({ containers: [container({ envFrom: [{ secretRef: { name: "db-conn" } }] })] });
    expect(check([service({ selector: { "app.kubernetes.io/name": "prometheus" } }), prometheus], { crdProviders: providers })).toEqual([
      '#0 cluster/dangling-reference warning: spec.selector: {app.kubernetes.io/name: prometheus} matches no pod template in namespace "shop"; Prometheus "k8s" (monitoring.coreos.com) in namespace "shop" may create what is missing',
    ]);
    // A ServiceMonitor makes no pods; a Prometheus makes pods but no Secrets for others; an unknown kind may make anything.
    expect(check([service({ selector: { app: "none" } }), serviceMonitor, usesSecret, prometheus], { crdProviders: providers })).toEqual([
      '#0 cluster/dangling-reference warning: spec.selector: {app: none} matches no pod template in namespace "shop"; Prometheus "k8s" (monitoring.coreos.com) in namespace "shop" may create what is missing',
      '#2 cluster/dangling-reference error: spec.template.spec.containers[0].envFrom[0].secretRef.name: Secret "db-conn" in namespace "shop" does not exist',
    ]);
    expect(check([usesSecret, claim], { crdProviders: providers })).toEqual([
      '#0 cluster/dangling-reference warning: spec.template.spec.containers[0].envFrom[0].secretRef.name: Secret "db-conn" in namespace "shop" does not exist; PostgresInstance "db" (database.example.org) in namespace "shop" may create what is missing',
    ]);
  });

  it("keeps cluster-scoped references errors", () => {
    const certificate = { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: meta("web"), spec: { secretName: "t", issuerRef: { name: "x", kind: "ClusterIssuer" } } };
    expect(check([certificate], { opaqueNamespaces: ["shop"] })).toEqual([
      '#0 cluster/dangling-reference error: spec.issuerRef.name: ClusterIssuer "x" does not exist',
    ]);
  });
});

describe("checkCluster: Applications that render nothing (cluster/empty-application)", () => {
  const application = (name: string, spec: Record<string, unknown>) => ({ apiVersion: "argoproj.io/v1alpha1", kind: "Application", metadata: { name, namespace: "argocd" }, spec });

  it("names the Application and its path", () => {
    const objects = [
      application("backend", { source: { repoURL: "https://git.example.com/repo.git", path: "apps/backend/overlays/prod" } }),
      application("mixed", { sources: [{ repoURL: "https://charts.example.com", chart: "x" }, { repoURL: "https://git.example.com/repo.git", path: "apps/mixed/overlays/prod" }] }),
      application("chart-only", { source: { repoURL: "https://charts.example.com", chart: "x" } }),
    ];
    const out = checkCluster({ objects: objects.map((object, id) => ({ object, id })), crdProviders: PROVIDERS, emptyApps: ["backend", "mixed", "chart-only", "ghost"] });
    expect(out).toEqual([
      {
        id: 0,
        finding: {
          rule: "cluster/empty-application",
          severity: "error",
          message: 'spec.source.path: "apps/backend/overlays/prod" renders no objects, so Application "backend" would sync nothing',
          path: ["spec", "source", "path"],
        },
      },
      {
        id: 1,
        finding: {
          rule: "cluster/empty-application",
          severity: "error",
          message: 'spec.sources[1].path: "apps/mixed/overlays/prod" renders no objects, so Application "mixed" would sync nothing',
          path: ["spec", "sources", 1, "path"],
        },
      },
      { id: 2, finding: { rule: "cluster/empty-application", severity: "error", message: 'Application "chart-only" renders no objects' } },
      { id: undefined, finding: { rule: "cluster/empty-application", severity: "error", message: 'Application "ghost" renders no objects' } },
    ]);
  });
});
