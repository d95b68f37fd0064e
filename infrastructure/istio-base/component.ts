import { type ChartValues, defineComponent } from "../../tools/model/index.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";

/** Istio's version; istio-base, istiod and istio-gateway are always upgraded together. */
export const ISTIO_VERSION = "1.30.3";
export const ISTIO_CHARTS = "https://istio-release.storage.googleapis.com/charts";
/** The control plane's namespace, created by this component (it syncs before istiod). */
export const ISTIO_NAMESPACE = "istio-system";

export interface IstioBaseValues {
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

/** The base chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type IstioBaseChartValues = ChartValues<"base">;

export default defineComponent<IstioBaseValues>({
  name: "istio-base",
  description: "Istio's CRDs and cluster-wide resources, and the istio-system namespace for the control plane.",
  namespace: ISTIO_NAMESPACE,
  crds: [
    { group: "networking.istio.io", kind: "DestinationRule", versions: ["v1", "v1alpha3", "v1beta1"] },
    { group: "networking.istio.io", kind: "EnvoyFilter", versions: ["v1alpha3"] },
    { group: "networking.istio.io", kind: "Gateway", versions: ["v1", "v1alpha3", "v1beta1"] },
    { group: "networking.istio.io", kind: "ProxyConfig", versions: ["v1beta1"] },
    { group: "networking.istio.io", kind: "ServiceEntry", versions: ["v1", "v1alpha3", "v1beta1"] },
    { group: "networking.istio.io", kind: "Sidecar", versions: ["v1", "v1alpha3", "v1beta1"] },
    { group: "networking.istio.io", kind: "VirtualService", versions: ["v1", "v1alpha3", "v1beta1"] },
    { group: "networking.istio.io", kind: "WorkloadEntry", versions: ["v1", "v1alpha3", "v1beta1"] },
    { group: "networking.istio.io", kind: "WorkloadGroup", versions: ["v1", "v1alpha3", "v1beta1"] },
    { group: "security.istio.io", kind: "AuthorizationPolicy", versions: ["v1", "v1beta1"] },
    { group: "security.istio.io", kind: "PeerAuthentication", versions: ["v1", "v1beta1"] },
    { group: "security.istio.io", kind: "RequestAuthentication", versions: ["v1", "v1beta1"] },
    { group: "telemetry.istio.io", kind: "Telemetry", versions: ["v1", "v1alpha1"] },
    { group: "extensions.istio.io", kind: "WasmPlugin", versions: ["v1alpha1"] },
    { group: "extensions.istio.io", kind: "TrafficExtension", versions: ["v1alpha1"] },
  ],
  chart: {
    repoURL: ISTIO_CHARTS,
    chart: "base",
    version: ISTIO_VERSION,
    values: (_v, { namespace }): IstioBaseChartValues => ({
      defaultRevision: "default",
      global: { istioNamespace: namespace },
      base: { enableCRDTemplates: true },
    }),
  },
  values: {
    dev: { quota: { cpu: "2", memory: "4Gi", pods: 20 } },
    prod: { quota: { cpu: "8", memory: "16Gi", pods: 30 } },
  },
  // The namespace's baseline; istiod adds the allowances its own ports need.
  resources: (v, { namespace }) =>
    namespaceBaseline({
      namespace,
      ingressFrom: [{ namespace: "monitoring", ports: [{ port: 15014 }] }],
      apiServerEgress: true,
      quota: v.quota,
      defaults: { cpu: "10m", memory: "64Mi", memoryLimit: "256Mi" },
    }),
});
