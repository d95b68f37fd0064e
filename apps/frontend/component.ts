import { Service } from "kubernetes-models/v1/Service";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Rollout } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout";
import { VirtualService } from "@kubernetes-models/istio/networking.istio.io/v1/VirtualService";
import argoRollouts from "../../infrastructure/argo-rollouts/component.ts";
import istioGateway, { GATEWAY_NAMESPACE, PUBLIC_GATEWAY } from "../../infrastructure/istio-gateway/component.ts";
import { defineComponent } from "../../tools/model/index.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";
import { readPromotedImage } from "../../tools/platform/images.ts";

/** The image and per-stage tags Kargo promotes (apps/images/images.yaml). */
export const FRONTEND_IMAGE = readPromotedImage(new URL("../images/images.yaml", import.meta.url), "frontend");

export interface FrontendValues {
  readonly tag: string;
  readonly replicas: number;
  readonly resources: { readonly cpu: string; readonly memory: string; readonly memoryLimit: string };
  readonly host: string;
  /** Promote the preview to active without a manual step. */
  readonly autoPromote: boolean;
}

const name = "frontend";
const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "platform-apps" };
const port = 8080;

export default defineComponent<FrontendValues>({
  name,
  description: "The web frontend: an Argo Rollouts blue-green deployment with active and preview Services.",
  namespace: "frontend",
  dependsOn: [argoRollouts, istioGateway],
  values: {
    dev: { tag: FRONTEND_IMAGE.tags.dev, replicas: 1, resources: { cpu: "20m", memory: "32Mi", memoryLimit: "64Mi" }, host: "app.127.0.0.1.nip.io", autoPromote: true },
    prod: { tag: FRONTEND_IMAGE.tags.prod, replicas: 2, resources: { cpu: "100m", memory: "64Mi", memoryLimit: "128Mi" }, host: "app.example.com", autoPromote: false },
  },
  resources: (v, { namespace }) => [
    ...namespaceBaseline({
      namespace,
      ingressFrom: [{ namespace: GATEWAY_NAMESPACE, ports: [{ port }] }],
      egressTo: [{ namespace: "backend", ports: [{ port: 8080 }] }],
      quota: { cpu: "4", memory: "4Gi", pods: 20 },
      defaults: { cpu: "20m", memory: "32Mi", memoryLimit: "128Mi" },
    }),
    new Rollout({
      metadata: { name, namespace, labels },
      spec: {
        replicas: v.replicas,
        revisionHistoryLimit: 3,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name,
                image: `${FRONTEND_IMAGE.repository}:${v.tag}`,
                ports: [{ name: "http", containerPort: port }],
                env: [{ name: "API_URL", value: `http://backend-stable.backend.svc.cluster.local` }],
                resources: { requests: { cpu: v.resources.cpu, memory: v.resources.memory }, limits: { memory: v.resources.memoryLimit } },
                readinessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 5 },
                livenessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 10 },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
          },
        },
        strategy: {
          blueGreen: {
            activeService: `${name}-active`,
            previewService: `${name}-preview`,
            autoPromotionEnabled: v.autoPromote,
            scaleDownDelaySeconds: 30,
          },
        },
      },
    }),
    ...["active", "preview"].map(
      (track) =>
        new Service({
          metadata: { name: `${name}-${track}`, namespace, labels },
          spec: { selector: labels, ports: [{ name: "http", port: 80, targetPort: "http" }] },
        }),
    ),
    new VirtualService({
      metadata: { name, namespace, labels },
      spec: {
        hosts: [v.host],
        gateways: [PUBLIC_GATEWAY],
        http: [{ name: "active", route: [{ destination: { host: `${name}-active`, port: { number: 80 } } }] }],
      },
    }),
    ...(v.replicas > 1
      ? [new PodDisruptionBudget({ metadata: { name, namespace, labels }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } })]
      : []),
  ],
});
