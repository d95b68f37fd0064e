import { Namespace } from "kubernetes-models/v1/Namespace";
import argoCd from "../argo-cd/component.ts";
import certManager from "../cert-manager/component.ts";
import { type ChartValues, type CustomResource, defineComponent } from "../../tools/model/index.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";
import { readPromotedImage, STAGES, type PromotedImage, type Stage as StageName } from "../../tools/platform/images.ts";

export interface KargoValues {
  readonly apiReplicas: number;
  readonly resources: { readonly cpu: string; readonly memory: string; readonly memoryLimit: string };
  /** The git repository Kargo commits promotions to (this repository). */
  readonly repoURL: string;
  readonly branch: string;
}

/** The kargo chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type KargoChartValues = ChartValues<"kargo">;
/** The Kargo project (and namespace) holding the apps' promotion pipeline. */
export const KARGO_PROJECT = "platform-apps";
const WAREHOUSE = "apps";
const KARGO = "kargo.akuity.io/v1alpha1";

/** Kargo's kinds, typed from the pinned chart's CRDs (`gitops charts types`; loose until generated). */
type KargoProject = CustomResource<typeof KARGO, "Project">;
type Warehouse = CustomResource<typeof KARGO, "Warehouse">;
type Stage = CustomResource<typeof KARGO, "Stage">;
/** One step of a Stage's promotion template. */
export type KargoPromotionStep = NonNullable<NonNullable<NonNullable<NonNullable<Stage["spec"]>["promotionTemplate"]>["spec"]>["steps"]>[number];

/** The file Kargo's promotions write, relative to the repository root, and the apps it promotes. */
export const IMAGES_FILE = "apps/images/images.yaml";
const IMAGES_URL = new URL("../../apps/images/images.yaml", import.meta.url);
const PROMOTED: readonly PromotedImage[] = ["backend", "frontend"].map((app) => readPromotedImage(IMAGES_URL, app));

/**
 * Promotion steps of a stage: clone the repo, set `tags.<stage>` in each app's images.yaml to the
 * freight's tag, commit and push. CI then runs `npm run generate` on that commit, which rolls the tag
 * into the generated overlays that Argo CD syncs.
 */
export function promotionSteps(stage: StageName, repoURL: string, branch: string): KargoPromotionStep[] {
  return [
    { uses: "git-clone", config: { repoURL, checkout: [{ branch, path: "./src" }] } },
    {
      uses: "yaml-update",
      config: {
        path: `./src/${IMAGES_FILE}`,
        updates: PROMOTED.map((image) => ({ key: image.keyOf(stage), value: `\${{ imageFrom("${image.repository}").Tag }}` })),
      },
    },
    { uses: "git-commit", as: "commit", config: { path: "./src", message: `promote ${stage}: ${PROMOTED.map((p) => p.app).join(", ")}` } },
    { uses: "git-push", config: { path: "./src" } },
  ];
}

export default defineComponent<KargoValues>({
  name: "kargo",
  description: "Kargo: promotes the apps' images dev → staging → prod by committing the tags to git.",
  namespace: "kargo",
  dependsOn: [certManager, argoCd],
  crds: [
    { group: "kargo.akuity.io", kind: "Project", versions: ["v1alpha1"] },
    { group: "kargo.akuity.io", kind: "ProjectConfig", versions: ["v1alpha1"] },
    { group: "kargo.akuity.io", kind: "ClusterConfig", versions: ["v1alpha1"] },
    { group: "kargo.akuity.io", kind: "Warehouse", versions: ["v1alpha1"] },
    { group: "kargo.akuity.io", kind: "Stage", versions: ["v1alpha1"] },
    { group: "kargo.akuity.io", kind: "Freight", versions: ["v1alpha1"] },
    { group: "kargo.akuity.io", kind: "Promotion", versions: ["v1alpha1"] },
    { group: "kargo.akuity.io", kind: "PromotionTask", versions: ["v1alpha1"] },
    { group: "kargo.akuity.io", kind: "ClusterPromotionTask", versions: ["v1alpha1"] },
  ],
  chart: {
    repoURL: "oci://ghcr.io/akuity/kargo-charts",
    chart: "kargo",
    version: "1.11.2",
    values: (v): KargoChartValues => {
      const resources = { requests: { cpu: v.resources.cpu, memory: v.resources.memory }, limits: { memory: v.resources.memoryLimit } };
      return {
        // The chart applies this to every Kargo container that sets no securityContext of its own
        // (the images run as a non-root user).
        global: {
          securityContext: {
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
          },
        },
        // Sign-in goes through the cluster's SSO; no shared admin password in git.
        api: {
          replicas: v.apiReplicas,
          adminAccount: { enabled: false },
          resources,
          podDisruptionBudget: { enabled: v.apiReplicas > 1, minAvailable: 1 },
        },
        // No replica count: the chart runs one controller (a singleton, Recreate strategy); `controller.replicas` was never read.
        controller: { resources },
        webhooksServer: { resources },
        externalWebhooksServer: { resources },
        managementController: { resources },
        garbageCollector: { resources },
      };
    },
  },
  values: {
    dev: {
      apiReplicas: 1,
      resources: { cpu: "50m", memory: "128Mi", memoryLimit: "512Mi" },
      repoURL: "https://github.com/acme/platform.git",
      branch: "main",
    },
    prod: {
      apiReplicas: 2,
      resources: { cpu: "100m", memory: "256Mi", memoryLimit: "1Gi" },
      repoURL: "https://github.com/acme/platform.git",
      branch: "main",
    },
  },
  resources: (v, { namespace }) => {
    const project: KargoProject = { apiVersion: KARGO, kind: "Project", metadata: { name: KARGO_PROJECT } };
    const warehouse: Warehouse = {
      apiVersion: KARGO,
      kind: "Warehouse",
      metadata: { name: WAREHOUSE, namespace: KARGO_PROJECT },
      spec: {
        interval: "5m0s",
        freightCreationPolicy: "Automatic",
        subscriptions: PROMOTED.map((image) => ({ image: { repoURL: image.repository, imageSelectionStrategy: "SemVer", constraint: ">=0.0.0", discoveryLimit: 20 } })),
      },
    };
    const stages: Stage[] = STAGES.map((stage, i) => ({
      apiVersion: KARGO,
      kind: "Stage",
      metadata: { name: stage, namespace: KARGO_PROJECT },
      spec: {
        requestedFreight: [
          { origin: { kind: "Warehouse", name: WAREHOUSE }, sources: i === 0 ? { direct: true } : { stages: [STAGES[i - 1]] } },
        ],
        promotionTemplate: { spec: { steps: promotionSteps(stage, v.repoURL, v.branch) } },
      },
    }));
    return [
      ...namespaceBaseline({
        namespace,
        apiServerEgress: true,
        internetEgress: true,
        ingressFrom: [{ namespace: "ingress-nginx" }, { namespace: "monitoring" }],
        quota: { cpu: "4", memory: "8Gi", pods: 20 },
        defaults: { cpu: "50m", memory: "64Mi", memoryLimit: "512Mi" },
      }),
      project,
      // Kargo adopts a project namespace that carries this label, so Argo CD can create it first.
      new Namespace({ metadata: { name: KARGO_PROJECT, labels: { "kargo.akuity.io/project": "true", "pod-security.kubernetes.io/enforce": "restricted" } } }),
      warehouse,
      ...stages,
    ];
  },
});
