/**
 * One small, valid custom resource per upstream project, and where to misspell a field in it. Shared by the
 * CRD import tests and the cross-check of npm-derived schemas.
 */
export interface CrdSample {
  /** The folder under ../shared/upstream/crds. */
  readonly project: string;
  readonly object: Record<string, unknown>;
  /** Path of an existing field to rename, and the misspelled name. */
  readonly misspell: { readonly path: readonly (string | number)[]; readonly as: string };
}

export const CRD_SAMPLES: readonly CrdSample[] = [
  {
    project: "argo-cd",
    object: {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: { name: "backend", namespace: "argocd" },
      spec: {
        project: "platform",
        source: { repoURL: "https://git.example.com/platform.git", targetRevision: "main", path: "apps/backend/overlays/prod" },
        destination: { server: "https://kubernetes.default.svc", namespace: "backend" },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] },
      },
    },
    misspell: { path: ["spec", "syncPolicy", "automated", "selfHeal"], as: "selfHael" },
  },
  {
    project: "argo-rollouts",
    object: {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Rollout",
      metadata: { name: "backend", namespace: "backend" },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: "backend" } },
        template: {
          metadata: { labels: { app: "backend" } },
          spec: { containers: [{ name: "backend", image: "registry.example.com/backend:1.2.3", ports: [{ containerPort: 8080 }] }] },
        },
        strategy: {
          canary: {
            canaryService: "backend-canary",
            stableService: "backend-stable",
            steps: [{ setWeight: 20 }, { pause: { duration: "30s" } }, { setWeight: 50 }, { pause: { duration: "30s" } }, { setWeight: 100 }],
          },
        },
      },
    },
    misspell: { path: ["spec", "strategy", "canary", "steps", 2, "setWeight"], as: "setWieght" },
  },
  {
    project: "cert-manager",
    object: {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: "web", namespace: "web" },
      spec: {
        secretName: "web-tls",
        dnsNames: ["web.example.com"],
        issuerRef: { name: "letsencrypt", kind: "ClusterIssuer", group: "cert-manager.io" },
        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      },
    },
    misspell: { path: ["spec", "privateKey", "size"], as: "sise" },
  },
  {
    project: "external-secrets",
    object: {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: "db", namespace: "backend" },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { name: "vault", kind: "ClusterSecretStore" },
        target: { name: "db", creationPolicy: "Owner" },
        data: [{ secretKey: "password", remoteRef: { key: "backend/db", property: "password" } }],
      },
    },
    misspell: { path: ["spec", "data", 0, "remoteRef", "property"], as: "proprety" },
  },
  {
    project: "istio",
    object: {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "backend", namespace: "backend" },
      spec: {
        hosts: ["backend"],
        http: [
          {
            name: "primary",
            route: [
              { destination: { host: "backend-stable", port: { number: 80 } }, weight: 80 },
              { destination: { host: "backend-canary", port: { number: 80 } }, weight: 20 },
            ],
          },
        ],
      },
    },
    misspell: { path: ["spec", "http", 0, "route", 1, "destination", "port"], as: "prot" },
  },
  {
    project: "kargo",
    object: {
      apiVersion: "kargo.akuity.io/v1alpha1",
      kind: "Stage",
      metadata: { name: "prod", namespace: "backend" },
      spec: {
        requestedFreight: [{ origin: { kind: "Warehouse", name: "backend" }, sources: { stages: ["staging"] } }],
        promotionTemplate: { spec: { steps: [{ uses: "argocd-update", config: { apps: [{ name: "backend-prod" }] } }] } },
      },
    },
    misspell: { path: ["spec", "requestedFreight", 0, "sources", "stages"], as: "stage" },
  },
  {
    project: "kyverno",
    object: {
      apiVersion: "kyverno.io/v1",
      kind: "ClusterPolicy",
      metadata: { name: "require-limits" },
      spec: {
        background: true,
        rules: [
          {
            name: "require-limits",
            match: { any: [{ resources: { kinds: ["Pod"] } }] },
            validate: { failureAction: "Enforce", message: "CPU and memory limits are required.", pattern: { spec: { containers: [{ resources: { limits: { memory: "?*" } } }] } } },
          },
        ],
      },
    },
    misspell: { path: ["spec", "rules", 0, "validate", "message"], as: "mesage" },
  },
  {
    project: "metallb",
    object: {
      apiVersion: "metallb.io/v1beta1",
      kind: "IPAddressPool",
      metadata: { name: "kind", namespace: "metallb-system" },
      spec: { addresses: ["172.18.255.200-172.18.255.250"], autoAssign: true, serviceAllocation: { priority: 10, namespaces: ["web"] } },
    },
    misspell: { path: ["spec", "serviceAllocation", "priority"], as: "priorty" },
  },
  {
    project: "prometheus-operator",
    object: {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: { name: "backend", namespace: "backend" },
      spec: { selector: { matchLabels: { app: "backend" } }, endpoints: [{ port: "http", interval: "30s", path: "/metrics" }] },
    },
    misspell: { path: ["spec", "endpoints", 0, "interval"], as: "intervall" },
  },
  {
    project: "sealed-secrets",
    object: {
      apiVersion: "bitnami.com/v1alpha1",
      kind: "SealedSecret",
      metadata: { name: "db", namespace: "backend" },
      spec: { encryptedData: { password: "AgBy3i4OJSWK+PiTySYZZA==" }, template: { metadata: { name: "db", namespace: "backend" }, type: "Opaque" } },
    },
    misspell: { path: ["spec", "template", "type"], as: "tpye" },
  },
];

/** A deep copy of `object` with the field at `path` renamed to `as`. */
export function withMisspelling(sample: CrdSample): Record<string, unknown> {
  const copy = structuredClone(sample.object);
  const { path, as } = sample.misspell;
  let parent: any = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  const last = path[path.length - 1]!;
  if (!(last in parent)) throw new Error(`${sample.project}: no field ${path.join(".")} to misspell`);
  parent[as] = parent[last];
  delete parent[last];
  return copy;
}
