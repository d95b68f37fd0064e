import backend from "../../apps/backend/component.ts";
import frontend from "../../apps/frontend/component.ts";
import argoCd from "../../infrastructure/argo-cd/component.ts";
import argoRollouts from "../../infrastructure/argo-rollouts/component.ts";
import certManager from "../../infrastructure/cert-manager/component.ts";
import externalSecrets from "../../infrastructure/external-secrets/component.ts";
import ingressNginx from "../../infrastructure/ingress-nginx/component.ts";
import istioBase from "../../infrastructure/istio-base/component.ts";
import istioGateway from "../../infrastructure/istio-gateway/component.ts";
import istiod from "../../infrastructure/istiod/component.ts";
import kargo from "../../infrastructure/kargo/component.ts";
import kyverno from "../../infrastructure/kyverno/component.ts";
import metallb from "../../infrastructure/metallb/component.ts";
import sealedSecrets from "../../infrastructure/sealed-secrets/component.ts";
import vault from "../../infrastructure/vault/component.ts";
import kubePrometheusStack from "../../infrastructure/kube-prometheus-stack/component.ts";
import postgresql from "../../infrastructure/postgresql/component.ts";
import minio from "../../infrastructure/minio/component.ts";
import loki from "../../infrastructure/loki/component.ts";
import promtail from "../../infrastructure/promtail/component.ts";
import tempo from "../../infrastructure/tempo/component.ts";
import openTelemetryCollector from "../../infrastructure/opentelemetry-collector/component.ts";
import { defineCluster, withValues } from "../../tools/model/index.ts";
import { INGRESS_NODE_LABELS } from "../../tools/platform/node-pools.ts";

export default defineCluster({
  name: "local",
  description: "A kind cluster on a developer's machine: one control plane and three workers on 172.18.0.0/16.",
  environment: "dev",
  kubernetesVersion: "1.34",
  distribution: "kind",
  repo: { url: "https://github.com/acme/platform.git", revision: "main" },
  bootstrap: {
    provider: "kind",
    kindVersion: "v0.30.0",
    // The image kind v0.30.0's release notes list for Kubernetes 1.34.
    nodeImage: "kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a",
    workers: 3,
    network: { name: "kind", subnet: "172.18.0.0/16" },
    podSubnet: "10.244.0.0/16",
    serviceSubnet: "10.96.0.0/12",
    // *.127.0.0.1.nip.io reaches the ingress controller on the control plane.
    portMappings: [
      { containerPort: 80, hostPort: 80 },
      { containerPort: 443, hostPort: 443 },
    ],
  },
  components: [
    argoCd,
    certManager,
    // *.127.0.0.1.nip.io: the host's ports 80/443 are the ingress node's (bootstrap.portMappings).
    withValues(ingressNginx, { hostPortNode: INGRESS_NODE_LABELS }),
    // kind's docker network is 172.18.0.0/16; MetalLB hands out the top of it.
    withValues(metallb, { addresses: ["172.18.255.200-172.18.255.250"] }),
    istioBase,
    istiod,
    istioGateway,
    sealedSecrets,
    vault,
    externalSecrets,
    argoRollouts,
    kyverno,
    kargo,
    backend,
    frontend,
    postgresql,
    minio,
    kubePrometheusStack,
    loki,
    promtail,
    tempo,
    openTelemetryCollector,
  ],
});
