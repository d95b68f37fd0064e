import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";
import { type ChartValues, defineComponent } from "../../tools/model/index.ts";
import { CLUSTER_ISSUER } from "../cert-manager/component.ts";
import externalSecrets, { CLUSTER_SECRET_STORE } from "../external-secrets/component.ts";
import ingressNginx, { INGRESS_CLASS } from "../ingress-nginx/component.ts";
import postgresql, { POSTGRES, POSTGRES_TENANTS } from "../postgresql/component.ts";

const namespace = "gitea";
const ARGOCD_NAMESPACE = "argocd";

/** Where Gitea delivers push events: Argo CD's webhook endpoint, inside the cluster. */
export const ARGOCD_WEBHOOK_URL = `https://argocd-server.${ARGOCD_NAMESPACE}.svc/api/webhook`;

/** The shared webhook secret in Vault: Gitea signs with it, Argo CD verifies with it. */
export const ARGOCD_WEBHOOK_SECRET = { vaultKey: "platform/argocd/webhook", property: "gitea" } as const;

/** Gitea's HTTP Service (the chart names it after the release) and the rootless image's ports. */
export const GITEA = { httpService: `gitea-http.${namespace}.svc`, httpPort: 3000, sshPort: 2222 } as const;

export interface GiteaValues {
  readonly host: string;
  readonly storage: string;
  readonly resources: { readonly cpu: string; readonly memory: string };
  readonly adminEmail: string;
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

type Resources = { requests: { cpu: string; memory: string }; limits: { memory: string } };

/** The gitea chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type GiteaChartValues = ChartValues<"gitea">;

/**
 * Creates (or updates) the system webhook that sends every repository's pushes to Argo CD. Gitea has
 * no app.ini setting for webhooks, so a Job calls the admin API: idempotent, safe to run on every sync.
 */
const WEBHOOK_SCRIPT = `import base64, json, os, sys, time, urllib.request

api = os.environ["GITEA_URL"].rstrip("/") + "/api/v1/admin/hooks"
user, password = os.environ["GITEA_ADMIN_USERNAME"], os.environ["GITEA_ADMIN_PASSWORD"]
auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
target = os.environ["WEBHOOK_URL"]
config = {"url": target, "content_type": "json", "secret": os.environ["WEBHOOK_SECRET"], "is_system_webhook": "true"}
hook = {"type": "gitea", "active": True, "branch_filter": "*", "events": ["push"], "config": config}


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    headers = {"Authorization": auth, "Content-Type": "application/json", "Accept": "application/json"}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=15) as response:
        text = response.read().decode()
        return json.loads(text) if text else None


for attempt in range(60):
    try:
        hooks = call("GET", api + "?type=system")
        break
    except Exception as error:  # Gitea still starting, or the admin user not created yet
        print(f"waiting for Gitea: {error}", flush=True)
        time.sleep(10)
else:
    sys.exit("Gitea's API did not answer in 10 minutes")

existing = [h for h in hooks or [] if h.get("config", {}).get("url") == target]
if existing:
    call("PATCH", f"{api}/{existing[0]['id']}", {"active": True, "branch_filter": "*", "events": ["push"], "config": config})
    print(f"updated system webhook {existing[0]['id']} -> {target}")
else:
    created = call("POST", api, hook)
    print(f"created system webhook {created.get('id')} -> {target}")
`;

function vaultSecret(name: string, ns: string, entries: { secretKey: string; vaultKey: string; property: string }[]): ExternalSecret {
  return new ExternalSecret({
    metadata: { name, namespace: ns },
    spec: {
      refreshInterval: "1h",
      secretStoreRef: { kind: "ClusterSecretStore", name: CLUSTER_SECRET_STORE },
      target: { name, creationPolicy: "Owner" },
      data: entries.map((e) => ({ secretKey: e.secretKey, remoteRef: { key: e.vaultKey, property: e.property } })),
    },
  });
}

const webhookLabels = { "app.kubernetes.io/name": "gitea-argocd-webhook", "app.kubernetes.io/part-of": "gitea" };

export default defineComponent<GiteaValues>({
  name: "gitea",
  description: "Gitea: the in-cluster git server (database on the platform PostgreSQL); pushes notify Argo CD by webhook.",
  namespace,
  dependsOn: [externalSecrets, postgresql, ingressNginx],
  // The chart's init containers do not all set the restricted profile's fields (seccomp).
  podSecurity: "baseline",
  chart: {
    repoURL: "https://dl.gitea.com/charts/",
    chart: "gitea",
    // Gitea 1.27.0 (rootless image).
    version: "12.7.0",
    values: (v, { environment }): GiteaChartValues => ({
      replicaCount: 1,
      strategy: { type: "Recreate" },
      resources: { requests: { cpu: v.resources.cpu, memory: v.resources.memory }, limits: { memory: v.resources.memory } },
      containerSecurityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
      },
      podSecurityContext: { fsGroup: 1000 },
      persistence: { enabled: true, size: v.storage },
      ingress: {
        enabled: true,
        className: INGRESS_CLASS,
        annotations: { "cert-manager.io/cluster-issuer": CLUSTER_ISSUER[environment], "nginx.ingress.kubernetes.io/proxy-body-size": "512m" },
        hosts: [{ host: v.host, paths: [{ path: "/", pathType: "Prefix" }] }],
        tls: [{ secretName: "gitea-tls", hosts: [v.host] }],
      },
      gitea: {
        admin: { existingSecret: "gitea-admin", email: v.adminEmail, passwordMode: "keepUpdated" },
        metrics: { enabled: true, serviceMonitor: { enabled: false } },
        additionalConfigFromEnvs: [{ name: "GITEA__DATABASE__PASSWD", valueFrom: { secretKeyRef: { name: "gitea-database", key: "password" } } }],
        config: {
          server: { DOMAIN: v.host, ROOT_URL: `https://${v.host}/`, SSH_DOMAIN: v.host },
          database: {
            DB_TYPE: "postgres",
            HOST: POSTGRES.address,
            NAME: POSTGRES_TENANTS.gitea.database,
            USER: POSTGRES_TENANTS.gitea.user,
            SSL_MODE: "require",
          },
          // Webhooks may only reach Argo CD, whose in-cluster certificate is self-signed.
          webhook: { ALLOWED_HOST_LIST: `argocd-server.${ARGOCD_NAMESPACE}.svc`, SKIP_TLS_VERIFY: true },
          session: { PROVIDER: "db" },
          cache: { ADAPTER: "memory" },
          queue: { TYPE: "level" },
          service: { DISABLE_REGISTRATION: true, REQUIRE_SIGNIN_VIEW: true },
          metrics: { ENABLED: true },
        },
      },
      postgresql: { enabled: false },
      "postgresql-ha": { enabled: false },
      valkey: { enabled: false },
      "valkey-cluster": { enabled: false },
    }),
  },
  values: {
    dev: {
      host: "gitea.127.0.0.1.nip.io",
      storage: "5Gi",
      resources: { cpu: "100m", memory: "256Mi" },
      adminEmail: "platform-team@example.com",
      quota: { cpu: "2", memory: "4Gi", pods: 10 },
    },
    prod: {
      host: "git.example.com",
      storage: "50Gi",
      resources: { cpu: "500m", memory: "1Gi" },
      adminEmail: "platform-team@example.com",
      quota: { cpu: "4", memory: "8Gi", pods: 10 },
    },
  },
  resources: (v) => [
    ...namespaceBaseline({
      namespace,
      ingressFrom: [
        { namespace: "ingress-nginx", ports: [{ port: GITEA.httpPort }] },
        // Argo CD's repo-server clones over HTTP or SSH.
        { namespace: ARGOCD_NAMESPACE, ports: [{ port: GITEA.httpPort }, { port: GITEA.sshPort }] },
        { namespace: "monitoring", ports: [{ port: GITEA.httpPort }] },
      ],
      egressTo: [
        { namespace: "postgresql", ports: [{ port: POSTGRES.port }] },
        // Webhook deliveries to argocd-server (Service 443 → pod 8080).
        { namespace: ARGOCD_NAMESPACE, pods: { "app.kubernetes.io/name": "argocd-server" }, ports: [{ port: 8080 }] },
      ],
      quota: v.quota,
      defaults: { cpu: "50m", memory: "64Mi", memoryLimit: "256Mi" },
    }),
    vaultSecret("gitea-admin", namespace, [
      { secretKey: "username", vaultKey: "platform/gitea/admin", property: "username" },
      { secretKey: "password", vaultKey: "platform/gitea/admin", property: "password" },
    ]),
    vaultSecret("gitea-database", namespace, [{ secretKey: "password", vaultKey: POSTGRES_TENANTS.gitea.vaultKey, property: "password" }]),
    vaultSecret("gitea-argocd-webhook", namespace, [{ secretKey: "secret", ...ARGOCD_WEBHOOK_SECRET }]),
    // Cross-namespace: Argo CD verifies Gitea's signature with `webhook.gitea.secret` of argocd-secret.
    // The argo-cd component's chart owns that Secret, so this ExternalSecret only merges the one key
    // into it (creationPolicy Merge) and leaves it in place when deleted.
    new ExternalSecret({
      metadata: { name: "argocd-webhook-gitea", namespace: ARGOCD_NAMESPACE, labels: { "app.kubernetes.io/part-of": "gitea" } },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "ClusterSecretStore", name: CLUSTER_SECRET_STORE },
        target: { name: "argocd-secret", creationPolicy: "Merge", deletionPolicy: "Retain" },
        data: [{ secretKey: "webhook.gitea.secret", remoteRef: { key: ARGOCD_WEBHOOK_SECRET.vaultKey, property: ARGOCD_WEBHOOK_SECRET.property } }],
      },
    }),
    new ConfigMap({
      metadata: { name: "gitea-argocd-webhook", namespace, labels: webhookLabels },
      data: { "webhook.py": WEBHOOK_SCRIPT },
    }),
    new Job({
      metadata: {
        name: "gitea-argocd-webhook",
        namespace,
        labels: webhookLabels,
        annotations: {
          // Argo CD: run after every sync once Gitea is healthy, replacing the previous run.
          "argocd.argoproj.io/hook": "PostSync",
          "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
          // Flux: a Job's template is immutable, so recreate it when it changes.
          "kustomize.toolkit.fluxcd.io/force": "Enabled",
        },
      },
      spec: {
        backoffLimit: 6,
        activeDeadlineSeconds: 900,
        template: {
          metadata: { labels: webhookLabels },
          spec: {
            restartPolicy: "OnFailure",
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "register-webhook",
                image: "python:3.13.7-alpine3.22",
                command: ["python", "/scripts/webhook.py"],
                env: [
                  { name: "GITEA_URL", value: `http://${GITEA.httpService}:${GITEA.httpPort}` },
                  { name: "WEBHOOK_URL", value: ARGOCD_WEBHOOK_URL },
                  { name: "PYTHONDONTWRITEBYTECODE", value: "1" },
                  { name: "GITEA_ADMIN_USERNAME", valueFrom: { secretKeyRef: { name: "gitea-admin", key: "username" } } },
                  { name: "GITEA_ADMIN_PASSWORD", valueFrom: { secretKeyRef: { name: "gitea-admin", key: "password" } } },
                  { name: "WEBHOOK_SECRET", valueFrom: { secretKeyRef: { name: "gitea-argocd-webhook", key: "secret" } } },
                ],
                resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                volumeMounts: [{ name: "scripts", mountPath: "/scripts", readOnly: true }],
              },
            ],
            volumes: [{ name: "scripts", configMap: { name: "gitea-argocd-webhook" } }],
          },
        },
      },
    }),
  ],
});
