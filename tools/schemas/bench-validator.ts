/**
 * Throughput of the strict schema validator on mixed, valid objects once every kind is compiled.
 * `npx tsx tools/schemas/bench-validator.ts [objects=20000] [runs=9]` prints the median objects/s.
 * Not a test: wall time depends on the machine.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createSchemaValidator } from "../validate/schema-validator.ts";

export function sampleObjects(count: number): Record<string, unknown>[] {
  const makers: ((i: number) => Record<string, unknown>)[] = [
    (i) => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: `backend-${i}`, namespace: "apps", labels: { "app.kubernetes.io/name": "backend" } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { "app.kubernetes.io/name": "backend" } },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
        template: {
          metadata: { labels: { "app.kubernetes.io/name": "backend" } },
          spec: {
            serviceAccountName: "backend",
            securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "backend",
                image: `registry.example.com/backend:1.${i % 50}.0`,
                imagePullPolicy: "IfNotPresent",
                ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
                env: [
                  { name: "LOG_LEVEL", value: "info" },
                  { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
                ],
                resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
                readinessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 10 },
                livenessProbe: { httpGet: { path: "/healthz", port: 8080 }, initialDelaySeconds: 5 },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              },
            ],
          },
        },
      },
    }),
    (i) => ({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: `backend-${i}`, namespace: "apps" },
      spec: { type: "ClusterIP", selector: { app: "backend" }, ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] },
    }),
    (i) => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: `config-${i}`, namespace: "apps" },
      data: { "app.yaml": "a: 1\n", LOG_LEVEL: "info" },
    }),
    (i) => ({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: { name: `app-${i}`, namespace: "argocd", annotations: { "argocd.argoproj.io/sync-wave": "2" } },
      spec: {
        project: "platform",
        source: { repoURL: "https://git.example.com/platform.git", targetRevision: "main", path: `apps/app-${i}/overlays/prod` },
        destination: { server: "https://kubernetes.default.svc", namespace: "apps" },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] },
      },
    }),
    (i) => ({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: `sa-${i}`, namespace: "apps" },
    }),
    (i) => ({
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: `web-${i}`, namespace: "apps" },
      spec: {
        ingressClassName: "nginx",
        tls: [{ hosts: ["app.example.com"], secretName: "app-tls" }],
        rules: [{ host: "app.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] } }],
      },
    }),
  ];
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) out.push(makers[i % makers.length]!(i));
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const count = Number(process.argv[2] ?? 20_000);
  const runs = Number(process.argv[3] ?? 9);
  const objects = sampleObjects(count);
  const validator = createSchemaValidator();
  const compileStart = performance.now();
  for (const o of objects.slice(0, 6)) validator.validate(o);
  const compileMs = performance.now() - compileStart;
  const rates: number[] = [];
  let findings = 0;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    for (const o of objects) findings += validator.validate(o).length;
    rates.push(count / ((performance.now() - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)]!;
  console.log(
    `compile (6 kinds): ${compileMs.toFixed(0)} ms; ${count} objects x ${runs} runs; median ${Math.round(median).toLocaleString("en")} objects/s ` +
      `(min ${Math.round(rates[0]!).toLocaleString("en")}, max ${Math.round(rates[rates.length - 1]!).toLocaleString("en")}); findings ${findings}`,
  );
}
