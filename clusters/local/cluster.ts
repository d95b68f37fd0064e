import backend from "../../apps/backend/component.ts";
import certManager from "../../infrastructure/cert-manager/component.ts";
import ingressNginx from "../../infrastructure/ingress-nginx/component.ts";
import { defineCluster } from "../../tools/model/index.ts";

export default defineCluster({
  name: "local",
  description: "A kind cluster on a developer's machine: one control plane and three workers.",
  environment: "dev",
  kubernetesVersion: "1.34",
  distribution: "kind",
  repo: { url: "https://github.com/acme/platform.git", revision: "main" },
  components: [certManager, ingressNginx, backend],
});
