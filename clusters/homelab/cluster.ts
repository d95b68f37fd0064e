import backend, { BACKEND_IMAGE } from "../../apps/backend/component.ts";
import frontend, { FRONTEND_IMAGE } from "../../apps/frontend/component.ts";
import argoRollouts from "../../infrastructure/argo-rollouts/component.ts";
import certManager from "../../infrastructure/cert-manager/component.ts";
import externalSecrets from "../../infrastructure/external-secrets/component.ts";
import ingressNginx from "../../infrastructure/ingress-nginx/component.ts";
import istioBase from "../../infrastructure/istio-base/component.ts";
import istioGateway from "../../infrastructure/istio-gateway/component.ts";
import istiod from "../../infrastructure/istiod/component.ts";
import kyverno from "../../infrastructure/kyverno/component.ts";
import metallb from "../../infrastructure/metallb/component.ts";
import sealedSecrets from "../../infrastructure/sealed-secrets/component.ts";
import vault from "../../infrastructure/vault/component.ts";
import kubePrometheusStack from "../../infrastructure/kube-prometheus-stack/component.ts";
import postgresql from "../../infrastructure/postgresql/component.ts";
import minio from "../../infrastructure/minio/component.ts";
import loki from "../../infrastructure/loki/component.ts";
import alloy from "../../infrastructure/alloy/component.ts";
import gitea from "../../infrastructure/gitea/component.ts";
import velero from "../../infrastructure/velero/component.ts";
import docs from "../../apps/docs/component.ts";
import { defineCluster, withValues } from "../../tools/model/index.ts";

export default defineCluster({
  name: "homelab",
  description: "A K3s homelab (prod values, Kargo's staging stage), delivered by Flux v2: Gitea, MinIO and the docs live here.",
  environment: "prod",
  kubernetesVersion: "1.34",
  distribution: "k3s",
  delivery: "flux",
  repo: { url: "https://github.com/acme/platform.git", revision: "main" },
  bootstrap: {
    provider: "k3s",
    k3sVersion: "v1.34.1+k3s1",
    // ingress-nginx and MetalLB take their place.
    disable: ["traefik", "servicelb"],
    podSubnet: "10.42.0.0/16",
    serviceSubnet: "10.43.0.0/16",
    fluxVersion: "v2.7.5",
  },
  // Single-node K3s: many homelab charts ship without probes, and an audit report of them is noise here.
  policy: { rules: { "probes-set": "off" } },
  components: [
    certManager,
    withValues(ingressNginx, { replicas: 1 }),
    // The home network's DHCP range stops at .199.
    withValues(metallb, { addresses: ["192.168.1.200-192.168.1.250"] }),
    istioBase,
    istiod,
    istioGateway,
    sealedSecrets,
    vault,
    externalSecrets,
    argoRollouts,
    kyverno,
    withValues(backend, { tag: BACKEND_IMAGE.tags.staging, host: "api.home.example.com" }),
    withValues(frontend, { tag: FRONTEND_IMAGE.tags.staging, host: "app.home.example.com" }),
    postgresql,
    minio,
    kubePrometheusStack,
    loki,
    alloy,
    gitea,
    velero,
    docs,
  ],
});
