import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Rollout } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout";
import { VirtualService } from "@kubernetes-models/istio/networking.istio.io/v1/VirtualService";
import argoRollouts from "../../infrastructure/argo-rollouts/component.ts";
import istioGateway, { GATEWAY_NAMESPACE, PUBLIC_GATEWAY } from "../../infrastructure/istio-gateway/component.ts";
import { defineComponent } from "../../tools/model/index.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";
import { readPromotedImage } from "../../tools/platform/images.ts";
import { contentChecksum } from "../../tools/platform/checksum.ts";

/** The image and per-stage tags Kargo promotes (apps/images/images.yaml). */
export const BACKEND_IMAGE = readPromotedImage(new URL("../images/images.yaml", import.meta.url), "backend");

export interface BackendValues {
  /** Image tag; Kargo's stage tag from images.yaml. */
  readonly tag: string;
  /** The autoscaler owns the replica count (the Rollout sets none, so Argo CD's self-heal never fights it). */
  readonly autoscaling: { readonly min: number; readonly max: number; readonly cpuUtilization: number };
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
  readonly host: string;
  readonly logLevel: "debug" | "info" | "warn";
  /** Keep at least this many pods through voluntary disruptions; no PodDisruptionBudget when undefined. */
  readonly minAvailable?: number;
}

const name = "backend";
const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "platform-apps" };
const port = 8080;

/** The canary the issue of record asks for: 20% → 30 s → 50% → 30 s → 100%, traffic split by Istio. */
export const CANARY_STEPS = [{ setWeight: 20 }, { pause: { duration: "30s" } }, { setWeight: 50 }, { pause: { duration: "30s" } }, { setWeight: 100 }];

export default defineComponent<BackendValues>({
  name,
  description: "The sample API service: an Argo Rollouts canary (20% → 50% → 100%) behind the Istio gateway.",
  namespace: "backend",
  dependsOn: [argoRollouts, istioGateway],
  values: {
    dev: {
      tag: BACKEND_IMAGE.tags.dev,
      autoscaling: { min: 1, max: 3, cpuUtilization: 80 },
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } },
      host: "backend.127.0.0.1.nip.io",
      logLevel: "debug",
    },
    prod: {
      tag: BACKEND_IMAGE.tags.prod,
      autoscaling: { min: 3, max: 10, cpuUtilization: 70 },
      resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
      host: "api.example.com",
      logLevel: "info",
      minAvailable: 2,
    },
  },
  resources: (v, { namespace }) => {
    const config = new ConfigMap({
      metadata: { name: `${name}-config`, namespace, labels },
      data: { LOG_LEVEL: v.logLevel, HTTP_PORT: String(port) },
    });
    return [
    ...namespaceBaseline({
      namespace,
      ingressFrom: [
        { namespace: GATEWAY_NAMESPACE, ports: [{ port }] },
        { namespace: "monitoring", ports: [{ port }] },
      ],
      quota: { cpu: "8", memory: "8Gi", pods: 30 },
      defaults: { cpu: "50m", memory: "64Mi", memoryLimit: "256Mi" },
    }),
    config,
    new Rollout({
      metadata: { name, namespace, labels },
      spec: {
        revisionHistoryLimit: 3,
        selector: { matchLabels: labels },
        template: {
          // A change of the config changes the template, so the Rollout rolls it out (pods read it at start).
          metadata: { labels, annotations: { [`checksum/${name}-config`]: contentChecksum(config.data) } },
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name,
                image: `${BACKEND_IMAGE.repository}:${v.tag}`,
                ports: [{ name: "http", containerPort: port }],
                envFrom: [{ configMapRef: { name: `${name}-config` } }],
                resources: v.resources,
                readinessProbe: { httpGet: { path: "/ready", port: "http" }, periodSeconds: 5 },
                livenessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 10 },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              },
            ],
          },
        },
        strategy: {
          canary: {
            stableService: `${name}-stable`,
            canaryService: `${name}-canary`,
            trafficRouting: { istio: { virtualService: { name, routes: ["primary"] } } },
            steps: CANARY_STEPS,
          },
        },
      },
    }),
    // Argo Rollouts points these at the stable and canary ReplicaSets (it adds the pod-template-hash).
    ...["stable", "canary"].map(
      (track) =>
        new Service({
          metadata: { name: `${name}-${track}`, namespace, labels },
          spec: { selector: labels, ports: [{ name: "http", port: 80, targetPort: "http" }] },
        }),
    ),
    new VirtualService({
      metadata: { name, namespace, labels },
      spec: {
        hosts: [v.host, `${name}.${namespace}.svc.cluster.local`],
        gateways: [PUBLIC_GATEWAY, "mesh"],
        http: [
          {
            name: "primary",
            route: [
              { destination: { host: `${name}-stable`, port: { number: 80 } }, weight: 100 },
              { destination: { host: `${name}-canary`, port: { number: 80 } }, weight: 0 },
            ],
          },
        ],
      },
    }),
    new HorizontalPodAutoscaler({
      metadata: { name, namespace, labels },
      spec: {
        scaleTargetRef: { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name },
        minReplicas: v.autoscaling.min,
        maxReplicas: v.autoscaling.max,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: v.autoscaling.cpuUtilization } } }],
      },
    }),
    ...(v.minAvailable === undefined
      ? []
      : [new PodDisruptionBudget({ metadata: { name, namespace, labels }, spec: { minAvailable: v.minAvailable, selector: { matchLabels: labels } } })]),
    ];
  },
});
