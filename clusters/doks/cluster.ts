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
import sealedSecrets from "../../infrastructure/sealed-secrets/component.ts";
import vault from "../../infrastructure/vault/component.ts";
import kubePrometheusStack from "../../infrastructure/kube-prometheus-stack/component.ts";
import postgresql from "../../infrastructure/postgresql/component.ts";
import minio from "../../infrastructure/minio/component.ts";
import loki from "../../infrastructure/loki/component.ts";
import promtail from "../../infrastructure/promtail/component.ts";
import tempo from "../../infrastructure/tempo/component.ts";
import openTelemetryCollector from "../../infrastructure/opentelemetry-collector/component.ts";
import externalPostgres from "../../infrastructure/external-postgres/component.ts";
import externalRedis from "../../infrastructure/external-redis/component.ts";
import velero from "../../infrastructure/velero/component.ts";
import { defineCluster, withValues } from "../../tools/model/index.ts";

/** DigitalOcean's load balancer for a Service: named, with the PROXY protocol off (ingress sees the LB's health checks). */
const doLoadBalancer = (name: string) => ({
  "service.beta.kubernetes.io/do-loadbalancer-name": name,
  "service.beta.kubernetes.io/do-loadbalancer-healthcheck-protocol": "tcp",
});

export default defineCluster({
  name: "doks",
  description: "Production on DigitalOcean Kubernetes: cloud load balancers, a primary pool and a monitoring pool (bootstrap/doks).",
  environment: "prod",
  kubernetesVersion: "1.34",
  distribution: "doks",
  repo: { url: "https://github.com/acme/platform.git", revision: "main" },
  components: [
    argoCd,
    certManager,
    withValues(ingressNginx, { serviceAnnotations: doLoadBalancer("platform-ingress") }),
    istioBase,
    istiod,
    withValues(istioGateway, { serviceAnnotations: doLoadBalancer("platform-gateway") }),
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
    externalPostgres,
    externalRedis,
    velero,
  ],
});
