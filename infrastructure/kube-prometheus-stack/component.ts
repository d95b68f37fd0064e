import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { AlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig";
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";
import { type ChartValues, type Environment, type ObjectLike, defineComponent } from "../../tools/model/index.ts";
import { CLUSTER_ISSUER } from "../cert-manager/component.ts";
import externalSecrets, { CLUSTER_SECRET_STORE } from "../external-secrets/component.ts";
import { INGRESS_CLASS } from "../ingress-nginx/component.ts";
import postgresql, { POSTGRES, POSTGRES_CLUSTER, POSTGRES_TENANTS } from "../postgresql/component.ts";
import { MONITORING_TOLERATIONS } from "../../tools/platform/node-pools.ts";

/** The observability namespace: this component creates it; Loki, Tempo, the log agents and the collector join it. */
export const MONITORING_NAMESPACE = "monitoring";
const namespace = MONITORING_NAMESPACE;

/**
 * In-cluster endpoints of the observability stack. The Services are named by the charts' release
 * names (set explicitly in each component), so the names below hold as long as those do.
 */
export const OBSERVABILITY = {
  /** Prometheus (fullnameOverride kube-prometheus-stack); accepts remote write. */
  prometheusUrl: `http://kube-prometheus-stack-prometheus.${namespace}.svc:9090`,
  prometheusRemoteWriteUrl: `http://kube-prometheus-stack-prometheus.${namespace}.svc:9090/api/v1/write`,
  /** Loki's gateway (release `loki`): queries, pushes (/loki/api/v1/push) and OTLP (/otlp). */
  lokiUrl: `http://loki-gateway.${namespace}.svc`,
  lokiPushUrl: `http://loki-gateway.${namespace}.svc/loki/api/v1/push`,
  /** Tempo (release `tempo`): query API on 3200, OTLP gRPC on 4317. */
  tempoUrl: `http://tempo.${namespace}.svc:3200`,
  tempoOtlpGrpc: `tempo.${namespace}.svc:4317`,
} as const;

/** Alertmanager receivers; credentials are keys of the `alertmanager-receivers` Secret (from Vault). */
export interface AlertingValues {
  readonly slack: { readonly channel: string };
  readonly email: { readonly to: string; readonly from: string; readonly smarthost: string; readonly username: string };
  /**
   * Alerts of this severity go to the PagerDuty service whose routing key the environment's Vault
   * holds (prod: the paging on-call service; dev: a low-urgency service that notifies, never pages).
   * Omit to send nothing to PagerDuty.
   */
  readonly pagerduty?: { readonly severity: "critical" };
}

export interface KubePrometheusStackValues {
  readonly prometheus: {
    readonly replicas: number;
    readonly retention: string;
    readonly retentionSize: string;
    readonly storage: string;
    readonly resources: { readonly cpu: string; readonly memory: string };
  };
  readonly alertmanager: { readonly replicas: number; readonly storage: string; readonly resources: { readonly cpu: string; readonly memory: string } };
  readonly grafana: { readonly replicas: number; readonly host: string; readonly resources: { readonly cpu: string; readonly memory: string } };
  readonly alerting: AlertingValues;
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

type Resources = { requests: { cpu: string; memory: string }; limits: { memory: string } };
type Pvc = { volumeClaimTemplate: { spec: { accessModes: string[]; resources: { requests: { storage: string } } } } };

/** The kube-prometheus-stack chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type KubePrometheusStackChartValues = ChartValues<"kube-prometheus-stack">;

const resources = (r: { cpu: string; memory: string }): Resources => ({ requests: { cpu: r.cpu, memory: r.memory }, limits: { memory: r.memory } });
const pvc = (size: string): Pvc => ({ volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } } } } });

const GLOBAL_ALERTMANAGER_CONFIG = "platform-routes";
const GLOBAL_LABEL = "alertmanager.typed-platform.dev/global";
const RECEIVERS_SECRET = "alertmanager-receivers";

function vaultSecret(name: string, entries: { secretKey: string; vaultKey: string; property: string }[]): ExternalSecret {
  return new ExternalSecret({
    metadata: { name, namespace },
    spec: {
      refreshInterval: "1h",
      secretStoreRef: { kind: "ClusterSecretStore", name: CLUSTER_SECRET_STORE },
      target: { name, creationPolicy: "Owner" },
      data: entries.map((e) => ({ secretKey: e.secretKey, remoteRef: { key: e.vaultKey, property: e.property } })),
    },
  });
}

/** Alertmanager's whole configuration: Slack for warnings and up, email and (prod) PagerDuty for critical. */
function alertRouting(a: AlertingValues, environment: Environment): ObjectLike[] {
  const secret = (key: string) => ({ name: RECEIVERS_SECRET, key });
  const receivers = [
    { name: "null" },
    {
      name: "slack",
      slackConfigs: [
        {
          apiURL: secret("slack-webhook-url"),
          channel: a.slack.channel,
          sendResolved: true,
          title: `[${environment}] {{ .CommonLabels.alertname }} ({{ .Status }})`,
          text: "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}",
        },
      ],
    },
    {
      name: "email",
      emailConfigs: [
        {
          to: a.email.to,
          from: a.email.from,
          smarthost: a.email.smarthost,
          authUsername: a.email.username,
          authPassword: secret("smtp-password"),
          requireTLS: true,
          sendResolved: true,
        },
      ],
    },
    ...(a.pagerduty ? [{ name: "pagerduty", pagerdutyConfigs: [{ routingKey: secret("pagerduty-routing-key"), sendResolved: true }] }] : []),
  ];
  const severity = (value: string) => ({ name: "severity", value, matchType: "=~" as const });
  const routes = [
    // The always-firing Watchdog proves the pipeline works; it needs no notification.
    { receiver: "null", matchers: [{ name: "alertname", value: "Watchdog|InfoInhibitor", matchType: "=~" as const }] },
    ...(a.pagerduty ? [{ receiver: "pagerduty", matchers: [severity(a.pagerduty.severity)], continue: true }] : []),
    { receiver: "email", matchers: [severity("critical")], continue: true },
    { receiver: "slack", matchers: [severity("warning|critical")] },
  ];
  return [
    new AlertmanagerConfig({
      metadata: { name: GLOBAL_ALERTMANAGER_CONFIG, namespace, labels: { [GLOBAL_LABEL]: "true" } },
      spec: {
        route: {
          receiver: "null",
          groupBy: ["alertname", "namespace", "severity"],
          groupWait: "30s",
          groupInterval: "5m",
          repeatInterval: "4h",
          routes,
        },
        receivers,
        inhibitRules: [
          // A critical alert silences the warning of the same alert and namespace.
          { sourceMatch: [{ name: "severity", value: "critical", matchType: "=" }], targetMatch: [{ name: "severity", value: "warning", matchType: "=" }], equal: ["alertname", "namespace"] },
        ],
      },
    }),
    vaultSecret(RECEIVERS_SECRET, [
      { secretKey: "slack-webhook-url", vaultKey: "platform/monitoring/alertmanager", property: "slack-webhook-url" },
      { secretKey: "smtp-password", vaultKey: "platform/monitoring/alertmanager", property: "smtp-password" },
      ...(a.pagerduty ? [{ secretKey: "pagerduty-routing-key", vaultKey: "platform/monitoring/alertmanager", property: "pagerduty-routing-key" }] : []),
    ]),
  ];
}

/** Scrape targets of the platform's own parts, all defined here so they exist once the CRDs do. */
function platformMonitors(): ObjectLike[] {
  const labels = { "app.kubernetes.io/part-of": "platform-monitoring" };
  const serviceMonitor = (name: string, ns: string, matchLabels: Record<string, string>, port: string, path?: string) =>
    new ServiceMonitor({
      metadata: { name, namespace, labels },
      spec: {
        namespaceSelector: { matchNames: [ns] },
        selector: { matchLabels },
        endpoints: [{ port, interval: "30s", ...(path ? { path } : {}) }],
      },
    });
  return [
    // Argo CD's metrics Services (application controller, server, repo-server, ApplicationSet, notifications).
    serviceMonitor("argo-cd", "argocd", { "app.kubernetes.io/part-of": "argocd" }, "http-metrics"),
    serviceMonitor("cert-manager", "cert-manager", { "app.kubernetes.io/name": "cert-manager", "app.kubernetes.io/component": "controller" }, "tcp-prometheus-servicemonitor"),
    serviceMonitor("ingress-nginx", "ingress-nginx", { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller" }, "metrics"),
    serviceMonitor("external-secrets", "external-secrets", { "app.kubernetes.io/name": "external-secrets" }, "metrics"),
    serviceMonitor("velero", "velero", { "app.kubernetes.io/name": "velero" }, "http-monitoring"),
    serviceMonitor("gitea", "gitea", { "app.kubernetes.io/name": "gitea" }, "http", "/metrics"),
    // MinIO's pods (a Service selector would also match the console and headless Services).
    new PodMonitor({
      metadata: { name: "minio", namespace, labels },
      spec: {
        namespaceSelector: { matchNames: ["minio"] },
        selector: { matchLabels: { app: "minio", release: "minio" } },
        podMetricsEndpoints: [{ port: "http", path: "/minio/v2/metrics/cluster", interval: "60s" }],
      },
    }),
    // CloudNativePG: every instance exports metrics on its `metrics` port, the operator on its own.
    new PodMonitor({
      metadata: { name: "postgresql", namespace, labels },
      spec: {
        namespaceSelector: { matchNames: ["postgresql"] },
        selector: { matchLabels: { "cnpg.io/cluster": POSTGRES_CLUSTER } },
        podMetricsEndpoints: [{ port: "metrics", interval: "30s" }],
      },
    }),
    new PodMonitor({
      metadata: { name: "cloudnative-pg", namespace, labels },
      spec: {
        namespaceSelector: { matchNames: ["postgresql"] },
        selector: { matchLabels: { "app.kubernetes.io/name": "cloudnative-pg" } },
        podMetricsEndpoints: [{ port: "metrics", interval: "30s" }],
      },
    }),
  ];
}

/** One alerting rule; `severity` routes it (warning: Slack; critical: also email and, in prod, PagerDuty). */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: "warning" | "critical";
  readonly summary: string;
}

/** A PrometheusRule in the monitoring namespace (Prometheus selects every rule of the cluster). */
export function prometheusRule(name: string, groups: Record<string, readonly AlertRule[]>): PrometheusRule {
  return new PrometheusRule({
    metadata: { name, namespace, labels: { "app.kubernetes.io/part-of": "platform-monitoring" } },
    spec: {
      groups: Object.entries(groups).map(([group, list]) => ({
        name: group,
        rules: list.map((r) => ({
          alert: r.alert,
          expr: r.expr,
          for: r.for,
          labels: { severity: r.severity },
          annotations: { summary: r.summary },
        })),
      })),
    },
  });
}

/** Alerts for the platform's own parts (the chart's defaultRules cover Kubernetes itself). */
function platformRules(): ObjectLike[] {
  return [
    prometheusRule("argo-cd", {
      "argo-cd.applications": [
        { alert: "ArgoCdAppOutOfSync", expr: 'argocd_app_info{sync_status!="Synced"} == 1', for: "15m", severity: "warning", summary: "Argo CD Application {{ $labels.name }} has been out of sync for 15 minutes." },
        { alert: "ArgoCdAppUnhealthy", expr: 'argocd_app_info{health_status!~"Healthy|Progressing"} == 1', for: "15m", severity: "critical", summary: "Argo CD Application {{ $labels.name }} is {{ $labels.health_status }}." },
        { alert: "ArgoCdSyncFailing", expr: 'increase(argocd_app_sync_total{phase=~"Error|Failed"}[30m]) > 0', for: "5m", severity: "warning", summary: "Syncs of Argo CD Application {{ $labels.name }} are failing." },
      ],
    }),
    prometheusRule("cert-manager", {
      "cert-manager.certificates": [
        { alert: "CertificateNotReady", expr: 'max by (namespace, name) (certmanager_certificate_ready_status{condition="False"}) == 1', for: "15m", severity: "warning", summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} is not ready." },
        { alert: "CertificateExpiresSoon", expr: "(certmanager_certificate_expiration_timestamp_seconds - time()) < 7 * 24 * 3600", for: "1h", severity: "critical", summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} expires within 7 days and was not renewed." },
      ],
    }),
    prometheusRule("ingress-nginx", {
      "ingress-nginx.traffic": [
        {
          alert: "IngressHighErrorRate",
          expr: 'sum by (ingress, namespace) (rate(nginx_ingress_controller_requests{status=~"5.."}[5m])) / sum by (ingress, namespace) (rate(nginx_ingress_controller_requests[5m])) > 0.05',
          for: "10m",
          severity: "warning",
          summary: "More than 5% of the requests to Ingress {{ $labels.namespace }}/{{ $labels.ingress }} fail with 5xx.",
        },
        { alert: "IngressControllerDown", expr: 'absent(up{job=~".*ingress-nginx.*"} == 1)', for: "5m", severity: "critical", summary: "No NGINX ingress controller is being scraped." },
      ],
    }),
    prometheusRule("postgresql", {
      "postgresql.cluster": [
        { alert: "PostgresInstanceDown", expr: `cnpg_collector_up{cluster="${POSTGRES_CLUSTER}"} == 0`, for: "5m", severity: "critical", summary: "PostgreSQL instance {{ $labels.pod }} does not answer." },
        { alert: "PostgresReplicationLag", expr: "cnpg_pg_replication_lag > 300", for: "10m", severity: "warning", summary: "Replica {{ $labels.pod }} is more than 5 minutes behind the primary." },
        {
          alert: "PostgresConnectionsNearLimit",
          expr: "sum by (pod) (cnpg_backends_total) / max by (pod) (cnpg_pg_settings_setting{name=\"max_connections\"}) > 0.8",
          for: "10m",
          severity: "warning",
          summary: "PostgreSQL instance {{ $labels.pod }} uses more than 80% of max_connections.",
        },
      ],
    }),
    prometheusRule("velero", {
      "velero.backups": [
        { alert: "VeleroBackupFailed", expr: "increase(velero_backup_failure_total[1h]) > 0", for: "5m", severity: "warning", summary: "A Velero backup of schedule {{ $labels.schedule }} failed." },
        { alert: "VeleroNoRecentBackup", expr: 'time() - velero_backup_last_successful_timestamp{schedule!=""} > 26 * 3600', for: "30m", severity: "critical", summary: "Schedule {{ $labels.schedule }} has had no successful backup for 26 hours." },
      ],
    }),
  ];
}

export default defineComponent<KubePrometheusStackValues>({
  name: "kube-prometheus-stack",
  description: "Prometheus, Alertmanager (Slack, email, PagerDuty) and Grafana (database on PostgreSQL), with monitors and alerts for the platform.",
  namespace,
  dependsOn: [externalSecrets, postgresql],
  // node-exporter uses the host's network, PID namespace and filesystem; the log agents joining this
  // namespace read /var/log from the host.
  podSecurity: "privileged",
  crds: [
    { group: "monitoring.coreos.com", kind: "ServiceMonitor", versions: ["v1"] },
    { group: "monitoring.coreos.com", kind: "PodMonitor", versions: ["v1"] },
    { group: "monitoring.coreos.com", kind: "PrometheusRule", versions: ["v1"] },
    { group: "monitoring.coreos.com", kind: "Prometheus", versions: ["v1"] },
    { group: "monitoring.coreos.com", kind: "Alertmanager", versions: ["v1"] },
    { group: "monitoring.coreos.com", kind: "AlertmanagerConfig", versions: ["v1alpha1"] },
    { group: "monitoring.coreos.com", kind: "Probe", versions: ["v1"] },
    { group: "monitoring.coreos.com", kind: "ThanosRuler", versions: ["v1"] },
    { group: "monitoring.coreos.com", kind: "ScrapeConfig", versions: ["v1alpha1"] },
    { group: "monitoring.coreos.com", kind: "PrometheusAgent", versions: ["v1alpha1"] },
  ],
  chart: {
    repoURL: "https://prometheus-community.github.io/helm-charts",
    chart: "kube-prometheus-stack",
    // Prometheus Operator v0.93.1: the version the chart mirror (GITOPS_CHART_MIRROR) holds.
    version: "88.5.3",
    values: (v, { environment }): KubePrometheusStackChartValues => ({
      fullnameOverride: "kube-prometheus-stack",
      crds: { enabled: true },
      defaultRules: { create: true },
      kubeControllerManager: { enabled: false },
      kubeScheduler: { enabled: false },
      kubeEtcd: { enabled: false },
      kubeProxy: { enabled: false },
      // Every monitoring workload may run on a monitoring pool (DOKS), whose taint keeps the others off.
      prometheusOperator: {
        resources: resources({ cpu: "50m", memory: "128Mi" }),
        tolerations: MONITORING_TOLERATIONS,
        // The hook Jobs that create and patch the admission webhook's certificate.
        admissionWebhooks: { patch: { resources: resources({ cpu: "10m", memory: "64Mi" }) } },
      },
      "kube-state-metrics": { resources: resources({ cpu: "20m", memory: "128Mi" }), tolerations: MONITORING_TOLERATIONS },
      "prometheus-node-exporter": {
        resources: resources({ cpu: "20m", memory: "64Mi" }),
        containerSecurityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
      },
      prometheus: {
        podDisruptionBudget: { enabled: v.prometheus.replicas > 1 },
        prometheusSpec: {
          replicas: v.prometheus.replicas,
          retention: v.prometheus.retention,
          retentionSize: v.prometheus.retentionSize,
          resources: resources(v.prometheus.resources),
          storageSpec: pvc(v.prometheus.storage),
          // The OpenTelemetry Collector pushes OTLP metrics here.
          enableRemoteWriteReceiver: true,
          externalLabels: { environment },
          // Select every ServiceMonitor, PodMonitor, rule, probe and scrape config, not only the chart's.
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
          probeSelectorNilUsesHelmValues: false,
          scrapeConfigSelectorNilUsesHelmValues: false,
          tolerations: MONITORING_TOLERATIONS,
        },
      },
      alertmanager: {
        podDisruptionBudget: { enabled: v.alertmanager.replicas > 1 },
        alertmanagerSpec: {
          replicas: v.alertmanager.replicas,
          resources: resources(v.alertmanager.resources),
          storage: pvc(v.alertmanager.storage),
          alertmanagerConfiguration: { name: GLOBAL_ALERTMANAGER_CONFIG },
          // The whole configuration is the AlertmanagerConfig above (it takes precedence over the
          // config Secret): the chart's own Secret, a plain-text default config, is not rendered.
          useExistingSecret: true,
          alertmanagerConfigSelector: { matchExpressions: [{ key: GLOBAL_LABEL, operator: "DoesNotExist" }] },
          tolerations: MONITORING_TOLERATIONS,
        },
      },
      grafana: {
        replicas: v.grafana.replicas,
        resources: resources(v.grafana.resources),
        // The dashboard and datasource sidecars.
        sidecar: { resources: resources({ cpu: "10m", memory: "128Mi" }) },
        // Grafana on a read-only root filesystem: it writes its data to /var/lib/grafana (the chart's
        // storage emptyDir, persistence being off), logs to the console (the chart's grafana.ini), installs
        // no plugins, and needs a writable /tmp.
        containerSecurityContext: { readOnlyRootFilesystem: true },
        extraEmptyDirMounts: [{ name: "tmp", mountPath: "/tmp" }],
        tolerations: MONITORING_TOLERATIONS,
        admin: { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" },
        envValueFrom: { GF_DATABASE_PASSWORD: { secretKeyRef: { name: "grafana-database", key: "password" } } },
        "grafana.ini": {
          server: { root_url: `https://${v.grafana.host}` },
          // Dashboards, users and sessions in PostgreSQL: Grafana pods are stateless and can be replicated.
          database: {
            type: "postgres",
            host: POSTGRES.address,
            name: POSTGRES_TENANTS.grafana.database,
            user: POSTGRES_TENANTS.grafana.user,
            ssl_mode: "require",
          },
          // Alerts go through Prometheus and Alertmanager; Grafana's own alerting would need HA peering.
          unified_alerting: { enabled: false },
          analytics: { reporting_enabled: false, check_for_updates: false },
        },
        persistence: { enabled: false },
        ...(v.grafana.replicas > 1 ? { podDisruptionBudget: { maxUnavailable: 1 } } : {}),
        ingress: {
          enabled: true,
          ingressClassName: INGRESS_CLASS,
          annotations: { "cert-manager.io/cluster-issuer": CLUSTER_ISSUER[environment] },
          hosts: [v.grafana.host],
          tls: [{ secretName: "grafana-tls", hosts: [v.grafana.host] }],
        },
        additionalDataSources: [
          { name: "Loki", type: "loki", uid: "loki", url: OBSERVABILITY.lokiUrl, access: "proxy" },
          {
            name: "Tempo",
            type: "tempo",
            uid: "tempo",
            url: OBSERVABILITY.tempoUrl,
            access: "proxy",
            jsonData: { tracesToLogsV2: { datasourceUid: "loki" }, serviceMap: { datasourceUid: "prometheus" } },
          },
        ],
      },
    }),
  },
  policyExceptions: [
    {
      rule: "no-host-path",
      objects: [{ kind: "DaemonSet", name: "kube-prometheus-stack-prometheus-node-exporter" }],
      reason: "node-exporter reports the node's own metrics from its /proc, /sys and root filesystem (read-only mounts)",
    },
    {
      rule: "no-host-namespaces",
      objects: [{ kind: "DaemonSet", name: "kube-prometheus-stack-prometheus-node-exporter" }],
      reason: "node-exporter reports the node's network interfaces and processes, which only the host network and PID namespaces show",
    },
  ],
  validateExceptions: [
    {
      rule: "cluster/dangling-reference",
      objects: [{ kind: "Service", namespace: "kube-system", name: "kube-prometheus-stack-coredns" }],
      reason: "every supported distribution (kind, K3s, DOKS) runs CoreDNS in kube-system with the label k8s-app: kube-dns; the cluster provides those pods, not the render",
    },
  ],
  values: {
    dev: {
      prometheus: { replicas: 1, retention: "2d", retentionSize: "4GB", storage: "5Gi", resources: { cpu: "200m", memory: "1Gi" } },
      alertmanager: { replicas: 1, storage: "1Gi", resources: { cpu: "20m", memory: "64Mi" } },
      grafana: { replicas: 1, host: "grafana.127.0.0.1.nip.io", resources: { cpu: "50m", memory: "256Mi" } },
      alerting: {
        slack: { channel: "#alerts-dev" },
        email: { to: "platform-dev-alerts@example.com", from: "alertmanager@example.com", smarthost: "smtp.example.com:587", username: "alertmanager@example.com" },
        pagerduty: { severity: "critical" },
      },
      quota: { cpu: "8", memory: "16Gi", pods: 40 },
    },
    prod: {
      prometheus: { replicas: 2, retention: "10d", retentionSize: "45GB", storage: "50Gi", resources: { cpu: "1", memory: "4Gi" } },
      alertmanager: { replicas: 3, storage: "2Gi", resources: { cpu: "50m", memory: "128Mi" } },
      grafana: { replicas: 2, host: "grafana.example.com", resources: { cpu: "200m", memory: "512Mi" } },
      alerting: {
        slack: { channel: "#alerts-prod" },
        email: { to: "platform-oncall@example.com", from: "alertmanager@example.com", smarthost: "smtp.example.com:587", username: "alertmanager@example.com" },
        pagerduty: { severity: "critical" },
      },
      quota: { cpu: "20", memory: "64Gi", pods: 100 },
    },
  },
  resources: (v, { environment }) => [
    ...namespaceBaseline({
      namespace,
      ingressFrom: [
        { namespace: "ingress-nginx", ports: [{ port: 3000 }] },
        // The API server calls the operator's admission webhook from outside the pod network.
        { cidr: "0.0.0.0/0", ports: [{ port: 10250 }] },
      ],
      egressTo: [
        { namespace: "postgresql", ports: [{ port: POSTGRES.port }] },
        { namespace: "minio", ports: [{ port: 9000 }] },
      ],
      apiServerEgress: true,
      // Alertmanager notifies Slack, PagerDuty and the SMTP relay; Prometheus scrapes kubelets and node-exporters on node IPs.
      internetEgress: true,
      quota: v.quota,
      defaults: { cpu: "50m", memory: "128Mi", memoryLimit: "512Mi" },
    }),
    // Prometheus scrapes pods in every namespace (those namespaces allow ingress from monitoring).
    new NetworkPolicy({
      metadata: { name: "allow-prometheus-scrape", namespace, labels: { "app.kubernetes.io/part-of": "platform-baseline" } },
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
        policyTypes: ["Egress"],
        egress: [{ to: [{ namespaceSelector: {} }] }],
      },
    }),
    vaultSecret("grafana-admin", [
      { secretKey: "admin-user", vaultKey: "platform/monitoring/grafana", property: "admin-user" },
      { secretKey: "admin-password", vaultKey: "platform/monitoring/grafana", property: "admin-password" },
    ]),
    vaultSecret("grafana-database", [{ secretKey: "password", vaultKey: POSTGRES_TENANTS.grafana.vaultKey, property: "password" }]),
    ...alertRouting(v.alerting, environment),
    ...platformMonitors(),
    ...platformRules(),
  ],
});
