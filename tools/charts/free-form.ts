import type { FreeFormPath } from "./values-types.ts";

/**
 * Maps in a chart's values that take free keys although the chart sets defaults in them: the chart
 * passes them through to the application's own configuration, so their defaults are examples, not the
 * list of keys. Each is opened at every depth. An entry marked `undeclared` is a key the chart's templates
 * read although its values.yaml leaves it out; it is added. A path the chart does not have is reported by
 * `gitops charts types`, and a test checks every entry against the pinned charts.
 */
export const FREE_FORM_PATHS: readonly FreeFormPath[] = [
  { chart: "argo-cd", path: ["configs", "cm"], reason: "data of the argocd-cm ConfigMap: any Argo CD setting, e.g. resource.customizations.*" },
  { chart: "argo-cd", path: ["configs", "params"], reason: "data of the argocd-cmd-params-cm ConfigMap: any component flag, e.g. server.insecure" },
  { chart: "argo-cd", path: ["configs", "rbac"], reason: "data of the argocd-rbac-cm ConfigMap: policy.csv, scopes, per-project policies" },
  { chart: "loki", path: ["loki", "limits_config"], reason: "Loki's limits_config block, passed through to Loki's configuration" },
  { chart: "loki", path: ["loki", "storage_config"], reason: "Loki's storage_config block, passed through to Loki's configuration" },
  { chart: "opentelemetry-collector", path: ["config"], reason: "the collector's own configuration (receivers, processors, exporters, connectors, service pipelines by name)" },
  { chart: "istiod", path: ["meshConfig"], reason: "Istio's MeshConfig (istio.mesh.v1alpha1): every mesh-wide option, e.g. accessLogFile" },
  { chart: "gitea", path: ["gitea", "config"], reason: "sections and settings of Gitea's app.ini" },
  { chart: "kube-prometheus-stack", path: ["grafana", "grafana.ini"], reason: "grafana.ini sections and settings, passed through to Grafana" },
  { chart: "kube-prometheus-stack", path: ["alertmanager", "config"], reason: "Alertmanager's configuration file: receivers and routes by name" },
  // Keys the templates read that values.yaml leaves out: each is added as a map of free keys.
  ...["makePolicyJob", "makeBucketJob", "makeUserJob", "customCommandJob", "makeServiceAccountJob"].map(
    (job): FreeFormPath => ({
      chart: "minio",
      path: [job, "containerSecurityContext"],
      undeclared: "templates/post-job.yaml",
      reason: `the ${job} container's securityContext, read by the post job's template although values.yaml does not list it`,
    }),
  ),
];
