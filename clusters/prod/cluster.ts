import backend from "../../apps/backend/component.ts";
import certManager from "../../infrastructure/cert-manager/component.ts";
import ingressNginx from "../../infrastructure/ingress-nginx/component.ts";
import { defineCluster } from "../../tools/model/index.ts";

export default defineCluster({
  name: "prod",
  description: "The production cluster.",
  environment: "prod",
  kubernetesVersion: "1.34",
  distribution: "generic",
  repo: { url: "https://github.com/acme/platform.git", revision: "main" },
  components: [
    certManager,
    { component: ingressNginx, values: { replicas: 3 } },
    { component: backend, values: { host: "api.acme.example" } },
  ],
});
