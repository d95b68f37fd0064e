import { describe, expect, it } from "vitest";
import { checkCluster, checkClusterWithExceptions, type ClusterInput, type CrdProvider } from "./cluster-checks.ts";

type Placed = { object: unknown; app?: string; wave?: number };

/** Runs the checks; ids are the objects' positions. Findings read `#id rule severity: message`. */
function check(objects: (unknown | Placed)[], options: Partial<Omit<ClusterInput, "objects">> = {}): string[] {
  const placed = objects.map((o, id) => {
    const p = o as Placed;
    return p && typeof p === "object" && "object" in p ? { ...p, id } : { object: o, id };
  });
  return checkCluster({ objects: placed, crdProviders: options.crdProviders ?? PROVIDERS, emptyApps: options.emptyApps ?? [], exceptions: options.exceptions }).map(
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

describe("checkCluster: what a chart's workloads and operators make at run time", () => {
  const role = (name: string, rules: unknown[], kind = "Role") => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind, metadata: kind === "Role" ? meta(name) : { name }, rules });
  const binding = (name: string, roleKind: string, account: string, kind = "RoleBinding") => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind,
    metadata: kind === "RoleBinding" ? meta(name) : { name },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: roleKind, name },
    subjects: [{ kind: "ServiceAccount", name: account, namespace: "shop" }],
  });
  const job = (account: string, fields: Record<string, unknown> = {}) => [{ apiVersion: "v1", kind: "ServiceAccount", metadata: meta(account) }, {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { ...meta("secret-init"), annotations: { "helm.sh/hook": "pre-install" } },
    spec: { template: { spec: { serviceAccountName: account, restartPolicy: "Never", containers: [{ name: "init", image: "init:1", ...fields }] } } },
  }];
  const usesRedis = deployment({ containers: [container({ env: [{ name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: "redis", key: "auth" } } }] })] });
  const missingRedis = '#0 cluster/dangling-reference error: spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name: Secret "redis" in namespace "shop" does not exist';

  it("GIVEN a hook Job whose Role may create Secrets and names one in resourceNames THEN that Secret (any key) resolves", () => {
    const rbac = [role("secret-init", [{ apiGroups: [""], resources: ["secrets"], resourceNames: ["redis"], verbs: ["get"] }, { apiGroups: [""], resources: ["secrets"], verbs: ["create"] }]), binding("secret-init", "Role", "secret-init")];
    expect(check([usesRedis, ...rbac, ...job("secret-init")])).toEqual([]);
  });

  it("GIVEN a Job told the Secret's name (--secret-name=, SECRET_NAME) by an account that may create Secrets THEN it resolves", () => {
    const rbac = [role("certgen", [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "create"] }], "ClusterRole"), binding("certgen", "ClusterRole", "certgen", "ClusterRoleBinding")];
    expect(check([usesRedis, ...rbac, ...job("certgen", { args: ["create", "--namespace=$(POD_NAMESPACE)", "--secret-name=redis"] })])).toEqual([]);
    expect(check([usesRedis, ...rbac, ...job("certgen", { env: [{ name: "ML_SECRET_NAME", value: "redis" }] })])).toEqual([]);
  });

  it("GIVEN a name without the authority to create, or the authority without the name THEN the Secret is still missing", () => {
    const readOnly = [role("reader", [{ apiGroups: [""], resources: ["secrets"], resourceNames: ["redis"], verbs: ["get"] }]), binding("reader", "Role", "reader")];
    expect(check([usesRedis, ...readOnly, ...job("reader", { args: ["--secret-name=redis"] })])).toEqual([missingRedis]);
    const writer = [role("writer", [{ apiGroups: [""], resources: ["secrets"], verbs: ["create"] }]), binding("writer", "Role", "writer")];
    expect(check([usesRedis, ...writer, ...job("writer", { args: ["--secret-name=$(NAME)"] })])).toEqual([missingRedis]);
    // The permission belongs to another account than the Job's.
    expect(check([usesRedis, ...writer, ...job("default", { args: ["--secret-name=redis"] })])).toEqual([missingRedis]);
  });

  it("GIVEN Prometheus and Alertmanager resources THEN Services select the pods the operator makes, by its labels and ports", () => {
    const providers: CrdProvider[] = [
      ...PROVIDERS,
      { group: "monitoring.coreos.com", kind: "Prometheus", wave: 0, component: "monitoring" },
      { group: "monitoring.coreos.com", kind: "Alertmanager", wave: 0, component: "monitoring" },
    ];
    const prometheus = { apiVersion: "monitoring.coreos.com/v1", kind: "Prometheus", metadata: meta("k8s"), spec: { replicas: 2, podMetadata: { labels: { team: "platform" } } } };
    const alertmanager = { apiVersion: "monitoring.coreos.com/v1", kind: "Alertmanager", metadata: meta("main"), spec: { portName: "http-web" } };
    const promService = service({ selector: { "app.kubernetes.io/name": "prometheus", "operator.prometheus.io/name": "k8s", team: "platform" }, ports: [{ name: "web", port: 9090, targetPort: "web" }, { name: "reloader", port: 8080, targetPort: "reloader-web" }] }, "prometheus");
    const amService = service({ selector: { "app.kubernetes.io/name": "alertmanager", alertmanager: "main" }, ports: [{ name: "web", port: 9093, targetPort: "http-web" }] }, "alertmanager");
    const pod0 = service({ selector: { "statefulset.kubernetes.io/pod-name": "prometheus-k8s-1" }, ports: [] }, "prometheus-1");
    expect(check([promService, amService, pod0, prometheus, alertmanager], { crdProviders: providers })).toEqual([]);
    // A selector the operator's pods do not carry is an error now that their labels are known.
    const wrong = service({ selector: { "app.kubernetes.io/name": "prometheus", prometheus: "other" } }, "wrong");
    expect(check([wrong, prometheus], { crdProviders: providers })).toEqual([
      '#0 cluster/dangling-reference error: spec.selector: {app.kubernetes.io/name: prometheus, prometheus: other} matches no pod template in namespace "shop"',
    ]);
    const wrongPort = service({ selector: { alertmanager: "main" }, ports: [{ name: "web", port: 9093, targetPort: "web" }] }, "wrong-port");
    expect(check([wrongPort, alertmanager], { crdProviders: providers })).toEqual([
      '#0 cluster/dangling-reference error: spec.ports[0].targetPort: "web" is not a port name of the pods it selects (StatefulSet alertmanager-main)',
    ]);
  });

  it("GIVEN a reference into kube-system that nothing renders THEN it is an error (no namespace is exempt)", () => {
    const coredns = { apiVersion: "v1", kind: "Service", metadata: meta("coredns", "kube-system"), spec: { selector: { "k8s-app": "kube-dns" }, ports: [{ port: 9153 }] } };
    expect(check([coredns])).toEqual(['#0 cluster/dangling-reference error: spec.selector: {k8s-app: kube-dns} matches no pod template in namespace "kube-system"']);
  });

  it("GIVEN a validate exception naming the object and rule THEN its finding is dropped, and only that one", () => {
    const coredns = { apiVersion: "v1", kind: "Service", metadata: meta("coredns", "kube-system"), spec: { selector: { "k8s-app": "kube-dns" }, ports: [{ port: 9153 }] } };
    const exception = { rule: "cluster/dangling-reference" as const, objects: [{ kind: "Service", namespace: "kube-system", name: "coredns" }], reason: "the distribution runs CoreDNS", component: "monitoring", namespace: "monitoring" };
    expect(check([coredns, usesRedis], { exceptions: [exception] })).toEqual([missingRedis.replace("#0", "#1")]);
    // Without the namespace, the object is looked for in the declaring component's namespace.
    expect(check([coredns], { exceptions: [{ ...exception, objects: [{ name: "coredns" }] }] })).toHaveLength(1);
    expect(check([coredns], { exceptions: [{ ...exception, rule: "cluster/missing-crd" }] })).toHaveLength(1);
  });

  it("GIVEN a validate exception one of whose objects has no finding to waive THEN that object is reported idle, the other not", () => {
    const coredns = { apiVersion: "v1", kind: "Service", metadata: meta("coredns", "kube-system"), spec: { selector: { "k8s-app": "kube-dns" }, ports: [{ port: 9153 }] } };
    const gone = { kind: "Service", namespace: "kube-system", name: "kube-dns-old" };
    const exception = { rule: "cluster/dangling-reference" as const, objects: [{ kind: "Service", namespace: "kube-system", name: "coredns" }, gone], reason: "the distribution runs CoreDNS", component: "monitoring", namespace: "monitoring" };
    const { findings, idle } = checkClusterWithExceptions({ objects: [{ object: coredns, id: 0 }], crdProviders: PROVIDERS, emptyApps: [], exceptions: [exception] });
    expect(findings).toEqual([]);
    expect(idle).toEqual([{ exception, target: gone }]);
  });

  it("GIVEN custom resources that make pods or objects not modelled THEN references into their namespace are warnings", () => {
    const prometheus = { apiVersion: "monitoring.coreos.com/v1alpha1", kind: "PrometheusAgent", metadata: meta("k8s") };
    const serviceMonitor = { apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: meta("web") };
    const claim = { apiVersion: "database.example.org/v1alpha1", kind: "PostgresInstance", metadata: meta("db") };
    const providers: CrdProvider[] = [
      ...PROVIDERS,
      { group: "monitoring.coreos.com", kind: "PrometheusAgent", wave: 0, component: "monitoring" },
      { group: "monitoring.coreos.com", kind: "ServiceMonitor", wave: 0, component: "monitoring" },
      { group: "database.example.org", kind: "PostgresInstance", wave: 0, component: "crossplane" },
    ];
    const usesSecret = deployment({ containers: [container({ envFrom: [{ secretRef: { name: "db-conn" } }] })] });
    expect(check([service({ selector: { "app.kubernetes.io/name": "prometheus" } }), prometheus], { crdProviders: providers })).toEqual([
      '#0 cluster/dangling-reference warning: spec.selector: {app.kubernetes.io/name: prometheus} matches no pod template in namespace "shop"; PrometheusAgent "k8s" (monitoring.coreos.com) in namespace "shop" may create what is missing',
    ]);
    // A ServiceMonitor makes no pods; a PrometheusAgent makes pods (not modelled) but no Secrets for others; an unknown kind may make anything.
    expect(check([service({ selector: { app: "none" } }), serviceMonitor, usesSecret, prometheus], { crdProviders: providers })).toEqual([
      '#0 cluster/dangling-reference warning: spec.selector: {app: none} matches no pod template in namespace "shop"; PrometheusAgent "k8s" (monitoring.coreos.com) in namespace "shop" may create what is missing',
      '#2 cluster/dangling-reference error: spec.template.spec.containers[0].envFrom[0].secretRef.name: Secret "db-conn" in namespace "shop" does not exist',
    ]);
    expect(check([usesSecret, claim], { crdProviders: providers })).toEqual([
      '#0 cluster/dangling-reference warning: spec.template.spec.containers[0].envFrom[0].secretRef.name: Secret "db-conn" in namespace "shop" does not exist; PostgresInstance "db" (database.example.org) in namespace "shop" may create what is missing',
    ]);
  });

  it("keeps cluster-scoped references errors", () => {
    const certificate = { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: meta("web"), spec: { secretName: "t", issuerRef: { name: "x", kind: "ClusterIssuer" } } };
    const claim = { apiVersion: "database.example.org/v1alpha1", kind: "PostgresInstance", metadata: meta("db") };
    expect(check([certificate, claim], { crdProviders: [...PROVIDERS, { group: "database.example.org", kind: "PostgresInstance", wave: 0, component: "crossplane" }] })).toEqual([
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
