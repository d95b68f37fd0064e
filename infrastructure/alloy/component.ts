import { type ChartValues, type Environment, defineComponent } from "../../tools/model/index.ts";
import { MONITORING_NAMESPACE, OBSERVABILITY, prometheusRule } from "../kube-prometheus-stack/component.ts";
import loki, { LOG_AGENT_ROLE } from "../loki/component.ts";

export interface AlloyValues {
  readonly resources: { readonly cpu: string; readonly memory: string };
}

/** The alloy chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type AlloyChartValues = ChartValues<"alloy">;

/**
 * Alloy configuration: the pods of this node, their log files under /var/log/pods, CRI parsing, and
 * a push to Loki with namespace/pod/container/app labels. (The chart sets HOSTNAME to the node name.)
 */
export function alloyLogsConfig(lokiPushUrl: string, environment: Environment): string {
  return `discovery.kubernetes "pods" {
  role = "pod"
  selectors {
    role  = "pod"
    field = "spec.nodeName=" + sys.env("HOSTNAME")
  }
}

discovery.relabel "pods" {
  targets = discovery.kubernetes.pods.targets
  rule {
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]
    target_label  = "app"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_uid", "__meta_kubernetes_pod_container_name"]
    separator     = "/"
    target_label  = "__path__"
    replacement   = "/var/log/pods/*$1/*.log"
  }
}

local.file_match "pods" {
  path_targets = discovery.relabel.pods.output
}

loki.source.file "pods" {
  targets    = local.file_match.pods.targets
  forward_to = [loki.process.pods.receiver]
}

loki.process "pods" {
  stage.cri {}
  forward_to = [loki.write.default.receiver]
}

loki.write "default" {
  endpoint {
    url = "${lokiPushUrl}"
  }
  external_labels = {
    environment = "${environment}",
  }
}
`;
}

/**
 * Grafana Alloy as the log agent, the successor of Promtail. A cluster picks alloy or promtail (see
 * the cluster role LOG_AGENT_ROLE), never both.
 */
export default defineComponent<AlloyValues>({
  name: "alloy",
  role: LOG_AGENT_ROLE,
  description: "Grafana Alloy log agent (DaemonSet): tails every pod's logs and pushes them to Loki. Alternative to promtail.",
  namespace: MONITORING_NAMESPACE,
  createNamespace: false,
  dependsOn: [loki],
  policyExceptions: [
    {
      rule: "no-host-path",
      objects: [{ kind: "DaemonSet", name: "alloy" }],
      reason: "A log agent tails the node's pod logs, which only exist under the host's /var/log.",
    },
    {
      rule: "run-as-non-root",
      objects: [{ kind: "DaemonSet", name: "alloy" }],
      reason: "The kubelet writes pod logs root-owned and not world-readable; the agent runs as root without capabilities to read them.",
    },
    {
      rule: "config-change-restarts",
      objects: [{ kind: "DaemonSet", name: "alloy" }],
      reason: "The chart's config-reloader sidecar watches the mounted ConfigMap and makes Alloy reload it in place, so a changed configuration is used without a restart (the chart adds a checksum annotation only when the reloader is off).",
    },
  ],
  chart: {
    repoURL: "https://grafana.github.io/helm-charts",
    chart: "alloy",
    // Alloy v1.18.1.
    version: "1.11.1",
    releaseName: "alloy",
    values: (v, { environment }): AlloyChartValues => ({
      alloy: {
        configMap: { create: true, content: alloyLogsConfig(OBSERVABILITY.lokiPushUrl, environment) },
        mounts: { varlog: true, dockercontainers: false, extra: [{ name: "tmp", mountPath: "/tmp" }] },
        resources: { requests: { cpu: v.resources.cpu, memory: v.resources.memory }, limits: { memory: v.resources.memory } },
        // Root (without capabilities) to read the kubelet's root-owned log files under /var/log/pods; nothing more.
        // A read-only root filesystem: Alloy writes only under its storage path (/tmp/alloy: positions,
        // WAL), which is the emptyDir mounted at /tmp below.
        securityContext: {
          runAsUser: 0,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
          seccompProfile: { type: "RuntimeDefault" },
        },
      },
      configReloader: { resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "64Mi" } } },
      controller: { type: "daemonset", tolerations: [{ operator: "Exists" }], volumes: { extra: [{ name: "tmp", emptyDir: {} }] } },
      serviceMonitor: { enabled: true },
    }),
  },
  values: {
    dev: { resources: { cpu: "20m", memory: "128Mi" } },
    prod: { resources: { cpu: "100m", memory: "384Mi" } },
  },
  resources: () => [
    prometheusRule("alloy", {
      "alloy.logs": [
        {
          alert: "AlloyDroppingLogs",
          expr: "sum by (instance) (rate(loki_write_dropped_entries_total[5m])) > 0",
          for: "15m",
          severity: "warning",
          summary: "Alloy on {{ $labels.instance }} drops log entries it cannot push to Loki.",
        },
        { alert: "AlloyComponentUnhealthy", expr: "sum by (instance) (alloy_component_controller_running_components{health_type!=\"healthy\"}) > 0", for: "15m", severity: "warning", summary: "Alloy on {{ $labels.instance }} has unhealthy components." },
      ],
    }),
  ],
});
