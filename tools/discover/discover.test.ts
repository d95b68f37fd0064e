import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkSets } from "../pipeline/check-run.ts";
import { fileSets } from "../pipeline/file-sets.ts";
import { engineBinary } from "../engines/binaries.ts";
import { startChartMirror } from "../testing/chart-mirror.ts";
import { REPO_ROOT } from "../testing/temp-workspace.ts";
import { expandTemplate, globToRegExp, setValuePath } from "./discover.ts";
import { substituteObject } from "./substitute.ts";

const REPOS = path.relative(process.cwd(), path.join(REPO_ROOT, "tools/testing/repos")).split(path.sep).join("/");

/** `file:line  severity  rule  message` of every finding of `gitops validate <folder>`, the way the CLI lists them. */
function validate(folder: string): { findings: string[]; objects: number; skipped: string[]; units: string[] } {
  const found = fileSets([folder]);
  const run = checkSets("validate", found.sets, process.cwd());
  const findings = run.findings
    .map((f) => `${f.file.slice(folder.length + 1)}:${f.line}  ${f.severity}  ${f.rule}  ${f.message.split(`${folder}/`).join("")}`)
    .sort();
  return { findings, objects: run.summary.objects, skipped: found.skipped.map((s) => `${s.file.slice(folder.length + 1)}: ${s.reason.split(`${folder}/`).join("")}`), units: found.units.map((u) => u.name.split(`${folder}/`).join("")) };
}

function tree(entries: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-discover-"));
  for (const [name, content] of Object.entries(entries)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  // Named as a user types it: relative to the working folder.
  return path.relative(process.cwd(), dir).split(path.sep).join("/");
}

describe("GIVEN a Flux homelab (HelmReleases, ${VAR} substitutions, app config for a configMapGenerator)", () => {
  const result = validate(`${REPOS}/flux-homelab`);

  it("THEN each Flux Kustomization is built from its path with its substitutions, and HelmReleases are followed", () => {
    expect(result.units).toEqual([
      "Kustomization flux-system/apps",
      "Kustomization flux-system/infra-controllers",
      "Kustomization flux-system/flux-system",
      "HelmRelease podinfo/podinfo",
      "HelmRelease ingress-nginx/ingress-nginx",
    ]);
    expect(result.objects).toBe(16);
  });

  it("THEN the only findings are the unset variable and the charts Helm would template: no bad quantity, no bad name", () => {
    expect(result.findings).toEqual([
      "apps/base/paperless/deployment.yaml:6  warning  flux/unresolved-substitution  unresolved substitution ${BACKUP_BUCKET}: Kustomization flux-system/apps sets it neither in postBuild.substitute nor in a substituteFrom found in this repository, and it has no default",
      "apps/base/podinfo/release.yaml:9  warning  helm/not-rendered  chart podinfo 6.9.2 from https://stefanprodan.github.io/podinfo not rendered: podinfo@6.9.2 from https://stefanprodan.github.io/podinfo is not in the chart cache, and the chart mirror (GITOPS_CHART_MIRROR) has no such chart or version; its objects are not checked",
      "infrastructure/controllers/ingress-nginx.yaml:25  warning  helm/not-rendered  chart ingress-nginx 4.13.3 from https://kubernetes.github.io/ingress-nginx not rendered: ingress-nginx@4.13.3 from https://kubernetes.github.io/ingress-nginx is not in the chart cache, and the chart mirror (GITOPS_CHART_MIRROR) has no such chart or version; its objects are not checked",
    ]);
  });

  it("THEN the app config is skipped, not read as an object", () => {
    expect(result.skipped).toEqual(["apps/base/paperless/config/paperless.yaml: not a Kubernetes object (read by the kustomization in apps/base/paperless)"]);
  });

  it("THEN values come from substitute, substituteFrom and defaults, typed as the substituted YAML reads", () => {
    const found = fileSets([`${REPOS}/flux-homelab`]);
    const deployment = found.units.flatMap((u) => u.items).find((i) => (i.doc.value as { kind?: string }).kind === "Deployment")!.doc.value as Record<string, any>;
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.metadata.namespace).toBe("paperless");
    expect(deployment.spec.template.spec.containers[0].env).toEqual([
      { name: "PAPERLESS_TIME_ZONE", value: "Europe/Berlin" },
      { name: "PAPERLESS_URL", value: "https://paperless.home.example.com" },
    ]);
    expect(deployment.spec.template.spec.containers[0].resources.requests.memory).toBe("512Mi");
  });
});

describe("GIVEN Argo CD examples (app of apps, directory, Helm chart folder, Kustomize via an ApplicationSet, hooks)", () => {
  const result = validate(`${REPOS}/argocd-examples`);

  it("THEN every Application is followed, the ApplicationSet's list generator included", () => {
    expect(result.units).toEqual([
      "files",
      "Application argocd/guestbook",
      "Application argocd/helm-guestbook",
      "Application kustomize-guestbook-dev (from ApplicationSet argocd/kustomize-guestbook)",
      "Application kustomize-guestbook-prod (from ApplicationSet argocd/kustomize-guestbook)",
      "Application argocd/redis",
      "Application argocd/sync-waves",
      "Application argocd/root",
    ]);
  });

  it("THEN no false error: hooks with generateName are valid, the same app twice under two prefixes is no duplicate, and a chart the mirror lacks is reported as not rendered", () => {
    expect(result.findings).toEqual([
      "apps/redis.yaml:10  warning  helm/not-rendered  chart redis 17.11.3 from https://charts.bitnami.com/bitnami not rendered: redis@17.11.3 from https://charts.bitnami.com/bitnami is not in the chart cache, and the chart mirror (GITOPS_CHART_MIRROR) has no such chart or version; its objects are not checked",
    ]);
  });

  it("THEN the chart folder is templated by Helm with the Application's values file over its defaults, release name and namespace", () => {
    const found = fileSets([`${REPOS}/argocd-examples`]);
    const unit = found.units.find((u) => u.name === "Application argocd/helm-guestbook")!;
    expect(unit.items.map((i) => `${i.doc.file.slice(REPOS.length + 1)}:${i.doc.line}`)).toEqual([
      "argocd-examples/apps/helm-guestbook.yaml (helm-guestbook templated):1",
      "argocd-examples/apps/helm-guestbook.yaml (helm-guestbook templated):14",
    ]);
    const [service, deployment] = unit.items.map((i) => i.doc.value as Record<string, any>);
    expect(service.metadata).toEqual({ name: "helm-guestbook-helm-guestbook", namespace: "helm-guestbook" });
    // values-production.yaml wins over values.yaml; the port comes from the defaults.
    expect(service.spec.type).toBe("LoadBalancer");
    expect(service.spec.ports).toEqual([{ port: 80, targetPort: "http" }]);
    expect(deployment.kind).toBe("Deployment");
    expect(deployment.metadata.namespace).toBe("helm-guestbook");
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers[0].image).toBe("gcr.io/heptio-images/ks-guestbook-demo:0.1");
  });

  it("THEN the chart's templates and values files are skipped, never parsed as objects", () => {
    expect(result.skipped).toEqual([
      "helm-guestbook/Chart.yaml: part of chart helm-guestbook",
      "helm-guestbook/templates/deployment.yaml: part of chart helm-guestbook",
      "helm-guestbook/templates/service.yaml: part of chart helm-guestbook",
      "helm-guestbook/values-production.yaml: part of chart helm-guestbook",
      "helm-guestbook/values.yaml: part of chart helm-guestbook",
    ]);
  });
});

describe("GIVEN an Argo CD + Kustomize platform with real defects", () => {
  const result = validate(`${REPOS}/argocd-platform`);

  it("THEN each of the four defects is named, and nothing else", () => {
    expect(result.findings).toEqual([
      'argocd/apps/monitoring.yaml:11  error  argocd/empty-application  path "services/monitoring/overlays/prod" has no kustomization, no Chart.yaml and no manifests: the Application renders nothing',
      'services/api/base/hpa.yaml:10  error  cluster/dangling-reference  spec.scaleTargetRef.name: Rollout "api" in namespace "api" does not exist',
      'services/api/base/rollout.yaml:26  error  cluster/dangling-reference  spec.strategy.canary.canaryService: Service "api-canary" in namespace "api" does not exist',
      'services/api/base/rollout.yaml:27  error  cluster/dangling-reference  spec.strategy.canary.stableService: Service "api-stable" in namespace "api" does not exist',
      expect.stringMatching(
        /^services\/payments\/overlays\/prod\/kustomization\.yaml:4  error  kustomize\/build  kustomize build of services\/payments\/overlays\/prod failed: helmCharts need kustomize build --enable-helm, which Argo CD passes only where argocd-cm sets kustomize.buildOptions: --enable-helm: .*must specify --enable-helm$/,
      ),
      "services/web/overlays/prod/kustomization.yaml:6  error  kustomize/build  kustomize build of services/web/overlays/prod failed: resource with name web does not match a config with the following GVK [Deployment.[noVer].[noGrp] StatefulSet.[noVer].[noGrp] ReplicaSet.[noVer].[noGrp] ReplicationController.[noVer].[noGrp]]",
    ]);
  });

  it("THEN the `_` namespace placeholder, the patch fragment and the app config are no findings", () => {
    expect(result.skipped).toEqual(["services/api/overlays/prod/config/settings.yaml: not a Kubernetes object (read by the kustomization in services/api/overlays/prod)"]);
    expect(result.findings.join("\n")).not.toMatch(/"_"|hpa-bounds|settings\.yaml|quantity/);
  });
});

describe("GIVEN kustomize roots that inflate Helm charts (helmCharts)", () => {
  const folder = `${REPOS}/kustomize-helm`;
  const before = readdirSync(path.join(REPO_ROOT, "tools/testing/repos/kustomize-helm"), { recursive: true }).sort();
  const result = validate(folder);
  const units = fileSets([folder]).units;

  it("THEN each root is built as kustomize build --enable-helm: the chart from the mirror, templated by the pinned Helm, then Kustomize's transformers", () => {
    expect(result.units).toEqual(["kustomize root cache", "kustomize root local", "kustomize root network"]);
    const local = units.find((u) => u.name.endsWith("local"))!;
    const [configMap, testPod] = local.items.map((i) => i.doc.value as { kind: string; metadata: { name: string } });
    expect(configMap).toEqual({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "greeter", namespace: "hello" }, data: { greeting: "hello from prod", replicas: "2" } });
    // Kustomize keeps a chart's test hooks unless skipTests: true.
    expect(`${testPod.kind}/${testPod.metadata.name}`).toBe("Pod/greeter-test");
    expect(local.items).toHaveLength(2);
    const network = units.find((u) => u.name.endsWith("network"))!;
    const objects = network.items.map((i) => i.doc.value as { kind: string; metadata: { name: string; namespace?: string } });
    expect(objects.filter((o) => o.kind === "Deployment").map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(["metallb-system/metallb-controller", "metallb-system/metallb-frr-k8s-statuscleaner"]);
    // speaker.enabled: false from valuesInline; the kustomization's namespace on every namespaced object.
    expect(objects.filter((o) => o.kind === "DaemonSet").map((o) => o.metadata.name)).toEqual(["metallb-frr-k8s"]);
    expect(objects.filter((o) => o.metadata.namespace !== undefined && o.metadata.namespace !== "metallb-system")).toEqual([]);
  });

  it("THEN the patched chart object is checked, and a chart the mirror lacks is reported as not rendered while the rest is checked", () => {
    expect(result.findings).toEqual([
      "cache/kustomization.yaml:6  warning  helm/not-rendered  helmCharts[0]: chart redis 17.11.3 not rendered: redis@17.11.3 from https://charts.bitnami.com/bitnami is not in the chart cache, and the chart mirror (GITOPS_CHART_MIRROR) has no such chart or version; its objects are not checked",
      'network/kustomization.yaml:1  error  api/quantity  spec.template.spec.containers[0].resources.limits.memory: "1 GB" is not a valid quantity (a number with an optional suffix: Ki, Mi, Gi, Ti, Pi, Ei (powers of 1024), n, u, m, k, M, G, T, P, E (powers of 1000) or an exponent such as e3)',
    ]);
    expect(units.find((u) => u.name.endsWith("cache"))!.items.map((i) => (i.doc.value as { metadata: { name: string } }).metadata.name)).toEqual(["cache-settings"]);
  });

  it("THEN nothing is written into the repository (no pulled chart in charts/)", () => {
    expect(readdirSync(path.join(REPO_ROOT, "tools/testing/repos/kustomize-helm"), { recursive: true }).sort()).toEqual(before);
  });

  it("WHEN the repository's argocd-cm passes --enable-helm THEN an Application's path with helmCharts is built with the chart", () => {
    const dir = tree({
      "argocd-cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n  namespace: argocd\ndata:\n  kustomize.buildOptions: --enable-helm --load-restrictor LoadRestrictionsNone\n",
      "app.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: lb\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: https://git.example.com/platform.git\n    path: lb\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: metallb-system\n",
      "lb/kustomization.yaml": "helmCharts:\n  - name: metallb\n    repo: https://metallb.github.io/metallb\n    version: 0.16.1\n    releaseName: metallb\n",
    });
    const unit = fileSets([dir]).units.find((u) => u.name === "Application argocd/lb")!;
    expect(unit.findings).toEqual([]);
    expect(unit.items.map((i) => `${(i.doc.value as { kind: string }).kind}/${(i.doc.value as { metadata: { name: string } }).metadata.name}`)).toContain("Deployment/metallb-controller");
  });

  it("WHEN a Flux Kustomization applies a root with helmCharts THEN it is a build error: kustomize-controller never inflates charts", () => {
    const dir = tree({
      "flux.yaml": "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: lb\n  namespace: flux-system\nspec:\n  path: ./lb\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n",
      "lb/kustomization.yaml": "helmCharts:\n  - name: metallb\n    repo: https://metallb.github.io/metallb\n    version: 0.16.1\n",
    });
    expect(validate(dir).findings).toEqual([
      expect.stringMatching(/^lb\/kustomization\.yaml:1  error  kustomize\/build  kustomize build of lb failed: helmCharts need kustomize build --enable-helm, which Flux's kustomize-controller never passes \(use a HelmRelease\): .*must specify --enable-helm$/),
    ]);
  });
});

describe("GIVEN folders that are not one applied unit", () => {
  const NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n";

  it("WHEN two rendered clusters hold the same Namespace THEN it is no duplicate (what gitops render writes)", () => {
    const index = (name: string) => JSON.stringify({ kind: "cluster", name, files: [{ file: `dist/render/${name}/root.yaml`, objects: 1 }] });
    const dir = tree({ "a/index.json": index("a"), "a/root.yaml": NAMESPACE, "b/index.json": index("b"), "b/root.yaml": NAMESPACE });
    const result = validate(dir);
    expect(result.findings).toEqual([]);
    expect(result.units).toEqual(["rendered cluster a", "rendered cluster b"]);
  });

  it("WHEN two kustomize roots apply the same Namespace THEN it is no duplicate; WHEN one root applies it twice THEN it is", () => {
    const dir = tree({
      "one/kustomization.yaml": "resources: [ns.yaml]\n",
      "one/ns.yaml": NAMESPACE,
      "two/kustomization.yaml": "resources: [ns.yaml, ../one]\n",
      "two/ns.yaml": NAMESPACE.replace("shop", "two"),
      "three/kustomization.yaml": "resources: [ns.yaml]\n",
      "three/ns.yaml": NAMESPACE,
    });
    const result = validate(dir);
    expect(result.units).toEqual(["kustomize root three", "kustomize root two"]);
    expect(result.findings).toEqual([]);
  });

  it("WHEN a generator makes an object with a finding THEN it is reported at the kustomization", () => {
    const dir = tree({ "k/kustomization.yaml": 'resources: [cm.yaml]\nconfigMapGenerator:\n  - name: gen\n    literals: ["bad key=x"]\n', "k/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n" });
    expect(validate(dir).findings).toEqual(['k/kustomization.yaml:1  error  api/data-key  data["bad key"]: "bad key" is not a valid key: keys may hold only letters, digits, "-", "_" and "."']);
  });

  it("WHEN a plain folder holds the same object twice THEN it is still a duplicate", () => {
    const dir = tree({ "a.yaml": NAMESPACE, "b.yaml": NAMESPACE });
    expect(validate(dir).findings).toEqual(['b.yaml:4  error  api/duplicate-object  metadata.name: "shop": Namespace shop is defined twice, at a.yaml:1 and at b.yaml:1']);
  });

  it("WHEN an app-of-apps root and its Application apply the same object THEN it is a duplicate within the cluster", () => {
    const app = (name: string, p: string) =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: ${name}, namespace: argocd}\nspec:\n  project: default\n  source: {repoURL: https://git.example.com/x.git, path: ${p}}\n  destination: {server: https://kubernetes.default.svc, namespace: shop}\n`;
    const dir = tree({ "root.yaml": app("root", "apps"), "apps/a.yaml": app("a", "a"), "apps/b.yaml": app("b", "b"), "a/ns.yaml": NAMESPACE, "b/ns.yaml": NAMESPACE });
    const result = validate(dir);
    expect(result.findings).toEqual([expect.stringMatching(/^b\/ns\.yaml:4  error  api\/duplicate-object  metadata\.name: "shop": Namespace shop is defined twice, at .*a\/ns\.yaml:1 \(Application argocd\/a\) and at .*b\/ns\.yaml:1 \(Application argocd\/b\)$/)]);
  });

  it("WHEN a git-directory ApplicationSet lists folders THEN one Application per folder is followed", () => {
    const set = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: apps, namespace: argocd}
spec:
  goTemplate: true
  generators:
    - git:
        repoURL: https://git.example.com/x.git
        revision: HEAD
        directories:
          - path: apps/*
          - path: apps/skip
            exclude: true
  template:
    metadata: {name: "{{.path.basename}}"}
    spec:
      project: default
      source: {repoURL: https://git.example.com/x.git, path: "{{.path.path}}"}
      destination: {server: https://kubernetes.default.svc, namespace: "{{.path.basename}}"}
`;
    const dir = tree({ "appset.yaml": set, "apps/one/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", "apps/two/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", "apps/skip/x.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: skipped}\n" });
    const result = validate(dir);
    expect(result.units).toEqual(["files", "Application one (from ApplicationSet argocd/apps)", "Application two (from ApplicationSet argocd/apps)"]);
    expect(result.findings).toEqual([]);
  });
});

describe("GIVEN charts templated by the pinned Helm", () => {
  const CHART = "apiVersion: v2\nname: web\nversion: 1.0.0\n";
  const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  {{ .Values.key | quote }}: "x"\n';

  it("WHEN a chart folder's template makes an object with a finding THEN it is reported on the templated chart", () => {
    const dir = tree({ "web/Chart.yaml": CHART, "web/values.yaml": "key: bad key\n", "web/templates/cm.yaml": CONFIGMAP });
    const result = validate(dir);
    expect(result.units).toEqual(["chart folder web"]);
    expect(result.findings).toEqual(['web/Chart.yaml (web templated):6  error  api/data-key  data["bad key"]: "bad key" is not a valid key: keys may hold only letters, digits, "-", "_" and "."']);
  });

  it("WHEN a chart folder's template changes THEN it is templated again (the cache key holds the folder's files)", () => {
    const dir = tree({ "web/Chart.yaml": CHART, "web/values.yaml": "key: good\n", "web/templates/cm.yaml": CONFIGMAP });
    expect(validate(dir).findings).toEqual([]);
    writeFileSync(path.join(dir, "web/templates/cm.yaml"), CONFIGMAP.replace('{{ .Values.key | quote }}', '"{{ .Values.key }} key"'));
    expect(validate(dir).findings).toEqual(['web/Chart.yaml (web templated):6  error  api/data-key  data["good key"]: "good key" is not a valid key: keys may hold only letters, digits, "-", "_" and "."']);
  });

  it("WHEN helm template fails THEN the chart is not rendered, with Helm's message", () => {
    const dir = tree({ "web/Chart.yaml": CHART, "web/templates/cm.yaml": '{{ fail "set .Values.key" }}\n' });
    expect(validate(dir).findings).toEqual([
      "web/Chart.yaml:1  warning  helm/not-rendered  chart folder web: chart web 1.0.0 not rendered: helm template failed: execution error at (web/templates/cm.yaml:1:3): set .Values.key; its objects are not checked",
    ]);
  });

  const release = (version: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: sealed-secrets, namespace: flux-system}
spec: {interval: 1h, url: https://bitnami-labs.github.io/sealed-secrets}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: sealed-secrets, namespace: kube-system}
spec:
  interval: 1h
  chart:
    spec:
      chart: sealed-secrets
      version: "${version}"
      sourceRef: {kind: HelmRepository, name: sealed-secrets, namespace: flux-system}
  values:
    fullnameOverride: sealed-secrets-controller
`;

  it("WHEN a HelmRelease's chart is in the mirror THEN it is pulled and templated with the release's values and namespace", () => {
    const found = fileSets([tree({ "release.yaml": release("2.18.5") })]);
    const unit = found.units.find((u) => u.name === "HelmRelease kube-system/sealed-secrets")!;
    const deployment = unit.items.map((i) => i.doc.value as Record<string, any>).find((o) => o.kind === "Deployment")!;
    expect(deployment.metadata.name).toBe("sealed-secrets-controller");
    expect(deployment.metadata.namespace).toBe("kube-system");
    expect(unit.findings).toEqual([]);
  });

  /** The release above with extra spec fields (YAML lines indented by two) and extra documents. */
  const releaseWith = (version: string, spec: string, extra = "") => `${release(version).replace("  values:\n    fullnameOverride: sealed-secrets-controller\n", spec)}${extra}`;
  const objectsOf = (text: string) => {
    const unit = fileSets([tree({ "release.yaml": text })]).units.find((u) => u.name === "HelmRelease kube-system/sealed-secrets")!;
    return { unit, objects: unit.items.map((i) => i.doc.value as Record<string, any>) };
  };

  it("WHEN a HelmRelease has valuesFrom THEN ConfigMaps and Secrets of the repository are merged in order (valuesKey, targetPath, optional), under spec.values", () => {
    const { unit, objects } = objectsOf(
      releaseWith(
        "2.18.5",
        `  valuesFrom:
    - kind: ConfigMap
      name: base-values
    - kind: Secret
      name: release-name
      valuesKey: name
      targetPath: fullnameOverride
    - kind: ConfigMap
      name: optional-values
      optional: true
    - kind: ConfigMap
      name: cluster-values
  values:
    podLabels:
      tier: b
`,
        `---
apiVersion: v1
kind: ConfigMap
metadata: {name: base-values, namespace: kube-system}
data:
  values.yaml: |
    fullnameOverride: from-configmap
    podLabels:
      team: a
      tier: a
---
apiVersion: v1
kind: Secret
metadata: {name: release-name, namespace: kube-system}
data:
  name: ZnJvbS1zZWNyZXQ=
`,
      ),
    );
    const deployment = objects.find((o) => o.kind === "Deployment")!;
    expect(deployment.metadata.name).toBe("from-secret");
    expect(deployment.spec.template.metadata.labels).toMatchObject({ team: "a", tier: "b" });
    expect(unit.findings.map((f) => `${f.line} ${f.severity} ${f.rule} ${f.message}`)).toEqual([
      '26 warning flux/values-from-not-found valuesFrom ConfigMap "cluster-values" is not in this repository; its values are unknown here',
    ]);
  });

  it("WHEN a valuesFrom key is missing, or its value is not a map THEN it is an error: helm-controller fails the release", () => {
    const { unit } = objectsOf(
      releaseWith(
        "2.18.5",
        `  valuesFrom:
    - kind: ConfigMap
      name: cm
      valuesKey: missing.yaml
    - kind: ConfigMap
      name: cm
      valuesKey: list.yaml
`,
        `---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm, namespace: kube-system}
data:
  list.yaml: "- a"
`,
      ),
    );
    expect(unit.findings.map((f) => `${f.severity} ${f.rule} ${f.message}`)).toEqual([
      'error flux/values-from-key-not-found valuesFrom ConfigMap "cm" has no key "missing.yaml"; helm-controller fails the release',
      'error flux/values-from-invalid valuesFrom ConfigMap "cm" key "list.yaml" is not a YAML map of values; helm-controller fails the release',
    ]);
  });

  it("WHEN install.crds is Skip THEN the chart's CRDs are not installed; WHEN Create (the default) or CreateReplace THEN they are", () => {
    const crds = (spec: string) => objectsOf(releaseWith("2.18.5", spec)).objects.filter((o) => o.kind === "CustomResourceDefinition").map((o) => o.metadata.name);
    expect(crds("  install:\n    crds: Skip\n")).toEqual([]);
    expect(crds("")).toEqual(["sealedsecrets.bitnami.com"]);
    expect(crds("  install:\n    crds: CreateReplace\n")).toEqual(["sealedsecrets.bitnami.com"]);
  });

  it("WHEN a HelmRelease's chart version is a semver range THEN the highest version of the repository's index that satisfies it is templated, as Flux selects it", () => {
    for (const range of [">=2.0.0 <3.0.0", "2.18.x", "~2.18", "*"]) {
      const { unit, objects } = objectsOf(releaseWith(range, ""));
      expect(unit.findings, range).toEqual([]);
      expect(objects.find((o) => o.kind === "Deployment")?.metadata.labels["helm.sh/chart"], range).toBe("sealed-secrets-2.18.5");
    }
    const none = objectsOf(releaseWith("^3.0", "")).unit;
    expect(none.findings.map((f) => f.message)).toEqual([
      "chart sealed-secrets ^3.0 from https://bitnami-labs.github.io/sealed-secrets not rendered: no 'sealed-secrets' chart with version matching '^3.0' found in https://bitnami-labs.github.io/sealed-secrets (chart mirror GITOPS_CHART_MIRROR); its objects are not checked",
    ]);
  });

  it("WHEN the repository's index holds several versions THEN a range selects as Flux does: semver order, exact match first, no pre-release for *", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-ranges-"));
    const helm = engineBinary("helm").path;
    for (const version of ["1.0.0", "1.2.0", "1.10.0", "2.0.0-rc.1"]) {
      const chart = path.join(dir, "src", version, "ranged");
      mkdirSync(path.join(chart, "templates"), { recursive: true });
      writeFileSync(path.join(chart, "Chart.yaml"), `apiVersion: v2\nname: ranged\nversion: ${version}\n`);
      writeFileSync(path.join(chart, "templates", "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Chart.Version }}\n");
      execFileSync(helm, ["package", chart, "--destination", path.join(dir, "repo")]);
    }
    execFileSync(helm, ["repo", "index", path.join(dir, "repo")]);
    const mirror = await startChartMirror(path.join(dir, "repo"));
    const previous = process.env.GITOPS_CHART_MIRROR;
    process.env.GITOPS_CHART_MIRROR = mirror.url;
    try {
      const selected = (version: string) => {
        const text = `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: ranged, namespace: flux-system}
spec: {interval: 1h, url: https://charts.example.test/ranged}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ranged, namespace: apps}
spec:
  interval: 1h
  chart:
    spec:
      chart: ranged
${version === "" ? "" : `      version: "${version}"\n`}      sourceRef: {kind: HelmRepository, name: ranged, namespace: flux-system}
`;
        const unit = fileSets([tree({ "release.yaml": text })]).units.find((u) => u.name === "HelmRelease apps/ranged")!;
        return unit.items.map((i) => (i.doc.value as { metadata: { name: string } }).metadata.name).join() || unit.findings.map((f) => f.message).join();
      };
      expect(selected("^1")).toBe("1.10.0");
      expect(selected("~1.2")).toBe("1.2.0");
      expect(selected("1.2.0")).toBe("1.2.0");
      expect(selected("*")).toBe("1.10.0");
      expect(selected("")).toBe("1.10.0");
      expect(selected(">=2.0.0-0")).toBe("2.0.0-rc.1");
      expect(selected(">=1.0.0, <1.5.0")).toBe("1.2.0");
    } finally {
      if (previous === undefined) delete process.env.GITOPS_CHART_MIRROR;
      else process.env.GITOPS_CHART_MIRROR = previous;
      await mirror.close();
    }
  });

  it("WHEN a HelmRelease takes its chart from a folder of its GitRepository THEN it is templated with Flux's default release name ([targetNamespace-]name) and namespace", () => {
    const dir = tree({
      "charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
      "charts/web/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n",
      "release.yaml": `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: repo, namespace: flux-system}
spec: {interval: 1h, url: https://git.example.com/x.git, ref: {branch: main}}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: flux-system}
spec:
  interval: 1h
  targetNamespace: shop
  chart:
    spec:
      chart: ./charts/web
      sourceRef: {kind: GitRepository, name: repo}
`,
    });
    const unit = fileSets([dir]).units.find((u) => u.name === "HelmRelease flux-system/web")!;
    expect(unit.items.map((i) => i.doc.value)).toEqual([{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "shop-web", namespace: "shop" } }]);
  });

  it("WHEN a HelmRelease's OCIRepository chart is not to be had THEN the message names the chart and the registry folder Helm pulls it from", () => {
    const dir = tree({
      "release.yaml": `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata: {name: podinfo, namespace: flux-system}
spec: {interval: 1h, url: oci://ghcr.io/stefanprodan/charts/podinfo, ref: {tag: 6.9.2}}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: flux-system}
spec:
  interval: 1h
  chartRef: {kind: OCIRepository, name: podinfo}
`,
    });
    expect(validate(dir).findings).toEqual([
      "release.yaml:11  warning  helm/not-rendered  chart podinfo 6.9.2 from oci://ghcr.io/stefanprodan/charts not rendered: podinfo@6.9.2 from oci://ghcr.io/stefanprodan/charts is not in the chart cache, and the chart mirror (GITOPS_CHART_MIRROR) has no such chart or version; its objects are not checked",
    ]);
  });

  it("WHEN a HelmRelease's chart version is neither cached nor in the mirror THEN it is not rendered, naming chart@version and repository", () => {
    expect(validate(tree({ "release.yaml": release("9.9.9") })).findings).toEqual([
      "release.yaml:13  warning  helm/not-rendered  chart sealed-secrets 9.9.9 from https://bitnami-labs.github.io/sealed-secrets not rendered: sealed-secrets@9.9.9 from https://bitnami-labs.github.io/sealed-secrets is not in the chart cache, and the chart mirror (GITOPS_CHART_MIRROR) has no such chart or version; its objects are not checked",
    ]);
  });
});

describe("substituteObject (Flux postBuild)", () => {
  it.each([
    ["${A}", { A: "x" }, "x", []],
    ["${A:=5Gi}", {}, "5Gi", []],
    ["${A:-d}", { A: "" }, "d", []],
    ["${A=d}", { A: "" }, "", []],
    ["pre-${A}-${B}", { A: "1" }, "pre-1-${B}", ["B"]],
    ["${N}", { N: "3" }, 3, []],
  ] as const)("%s with %j is %j", (text, vars, expected, unresolved) => {
    const object = { spec: { value: text } };
    const left = substituteObject(object, new Map(Object.entries(vars)));
    expect(object.spec.value).toEqual(expected);
    expect(left.map((s) => s.variable)).toEqual(unresolved);
  });

  it("keeps metadata and env values strings", () => {
    const object = { metadata: { labels: { v: "${N}" } }, spec: { env: [{ value: "${N}" }] } };
    substituteObject(object, new Map([["N", "3"]]));
    expect(object).toEqual({ metadata: { labels: { v: "3" } }, spec: { env: [{ value: "3" }] } });
  });
});

describe("ApplicationSet templates and globs", () => {
  it("expands fasttemplate and goTemplate parameters", () => {
    expect(expandTemplate({ name: "app-{{env}}", keep: "{{missing}}" }, { env: "dev" }, false)).toEqual({ name: "app-dev", keep: "{{missing}}" });
    expect(expandTemplate({ path: "{{.path.path}}" }, { path: { path: "apps/one" } }, true)).toEqual({ path: "apps/one" });
  });

  it("matches directory globs as Argo CD does", () => {
    expect(globToRegExp("apps/*").test("apps/one")).toBe(true);
    expect(globToRegExp("apps/*").test("apps/one/two")).toBe(false);
    expect(globToRegExp("apps/**").test("apps/one/two")).toBe(true);
    expect(globToRegExp("*.{yaml,json}").test("a.json")).toBe(true);
  });
});

describe("setValuePath (valuesFrom targetPath, typed as helm --set types it)", () => {
  it.each([
    ["replicas", "3", { replicas: 3 }],
    ["a.b", "true", { a: { b: true } }],
    ["a.b", "'3'", { a: { b: "3" } }],
    ["a.b", '"true"', { a: { b: "true" } }],
    ["a.b", "012", { a: { b: "012" } }],
    ["a.b", "null", { a: { b: null } }],
    ["annotations.example\\.com/x", "v", { annotations: { "example.com/x": "v" } }],
  ])("%s=%s", (dotPath, value, expected) => {
    const target: Record<string, unknown> = {};
    setValuePath(target, dotPath, value);
    expect(target).toEqual(expected);
  });
});

