import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../testing/temp-workspace.ts";

function files(entries: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-check-"));
  for (const [name, content] of Object.entries(entries)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function gitops(args: string[], cwd: string, input?: string) {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "tools/bin/gitops.mjs"), ...args], { cwd, encoding: "utf8", input, env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 10001}
      containers:
        - name: web
          image: ghcr.io/acme/web:1.2.3
          resources:
            requests: {cpu: 10m, memory: 32Mi}
            limits: {memory: 64Mi}
          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
          readinessProbe: {httpGet: {path: /, port: 8080}}
          livenessProbe: {httpGet: {path: /, port: 8080}}
`;

describe("gitops validate and lint on any YAML", () => {
  it("GIVEN a valid manifest THEN validate and lint exit 0 with a summary line", () => {
    const dir = files({ "ok.yaml": DEPLOYMENT });
    const v = gitops(["validate", "ok.yaml"], dir);
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/^validate: 1 file, 1 object, 0 errors, 0 warnings in \d+\.\d\ds\n$/);
    const l = gitops(["lint", "ok.yaml"], dir);
    expect(l.stdout).toMatch(/^lint: 1 file, 1 object, 0 errors, 0 warnings/);
    expect(l.status).toBe(0);
  });

  it("GIVEN a misspelled field THEN validate exits 1 and names file, line, object and field", () => {
    const dir = files({ "manifests/web.yaml": DEPLOYMENT.replace("          image:", "          imagePullPolciy: Always\n          image:") });
    const v = gitops(["validate", "manifests"], dir);
    expect(v.status).toBe(1);
    expect(v.stdout).toContain('manifests/web.yaml:17:11  error  schema/unknown-field  Deployment shop/web  spec.template.spec.containers[0]: unknown field "imagePullPolciy"');
    expect(v.stdout).toContain("validate: 1 file, 1 object, 1 error, 0 warnings");
  });

  it("GIVEN YAML that does not parse THEN validate reports the file and line", () => {
    const dir = files({ "broken.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [\n" });
    const v = gitops(["validate", "broken.yaml"], dir);
    expect(v.status).toBe(1);
    expect(v.stdout).toMatch(/^broken\.yaml:5:\d+  error  yaml\/parse  -  YAML does not parse: /m);
  });

  it("GIVEN objects on standard input THEN - reads them", () => {
    const v = gitops(["lint", "-"], os.tmpdir(), DEPLOYMENT.replace("ghcr.io/acme/web:1.2.3", "nginx"));
    expect(v.status).toBe(1);
    expect(v.stdout).toContain('<stdin>:17:11  error  image-pinned  Deployment shop/web  container "web" image "nginx" has no tag');
  });

  it("GIVEN --output json THEN findings are machine-readable", () => {
    const dir = files({ "svc.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  type: LoadBalancr\n  ports: [{port: 80}]\n" });
    const v = gitops(["validate", "--output", "json", "svc.yaml"], dir);
    expect(v.status).toBe(1);
    const report = JSON.parse(v.stdout);
    expect(report.summary).toEqual({ files: 1, objects: 1, errors: 1, warnings: 0 });
    expect(report.findings[0]).toMatchObject({ file: "svc.yaml", line: 5, rule: "api/enum", path: "spec.type", object: { kind: "Service", name: "web", namespace: "shop" } });
  });

  it("GIVEN --output sarif THEN the result is SARIF 2.1.0 with rules and locations", () => {
    const dir = files({ "web.yaml": DEPLOYMENT.replace("ghcr.io/acme/web:1.2.3", "nginx:latest") });
    const v = gitops(["lint", "--output", "sarif", "web.yaml"], dir);
    const sarif = JSON.parse(v.stdout);
    expect(sarif.version).toBe("2.1.0");
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === "image-pinned");
    expect(result.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: "web.yaml" }, region: { startLine: 17 } });
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toContain("image-pinned");
  });

  it("GIVEN bad usage THEN exit code 2 and a message", () => {
    const dir = files({});
    expect(gitops(["validate", "missing.yaml"], dir)).toMatchObject({ status: 2, stderr: "no such file or folder: missing.yaml\n" });
    expect(gitops(["validate", "--output", "xml", "x"], dir)).toMatchObject({ status: 2, stderr: 'gitops validate: --output must be one of text, json, sarif, got "xml"\n' });
    expect(gitops(["validate", "--kubernetes-version", "34"], dir).stderr).toContain('--kubernetes-version must look like 1.34, got "34"');
    expect(gitops(["frobnicate"], dir)).toMatchObject({ status: 2 });
    expect(gitops(["frobnicate"], dir).stderr).toContain('gitops: unknown command "frobnicate"');
    expect(gitops(["lint", "--bogus"], dir).stderr).toContain("gitops lint: Unknown option '--bogus'");
  });

  it("GIVEN --kubernetes-version THEN API versions are judged for that version", () => {
    const flowSchema = "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: {name: x}\nspec:\n  priorityLevelConfiguration: {name: global-default}\n";
    const dir = files({ "fs.yaml": flowSchema });
    const old = gitops(["validate", "--kubernetes-version", "1.30", "fs.yaml"], dir);
    const now = gitops(["validate", "--kubernetes-version", "1.32", "fs.yaml"], dir);
    expect(old.stdout).toContain("fs.yaml:1:1  warning  api/deprecated  FlowSchema x  flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is deprecated since Kubernetes 1.29, and is removed in 1.32; use flowcontrol.apiserver.k8s.io/v1");
    expect(old.status).toBe(0);
    expect(now.stdout).toContain("flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema was removed in Kubernetes 1.32; use flowcontrol.apiserver.k8s.io/v1");
    expect(now.status).toBe(1);
  });

  it("every command has --help", () => {
    for (const command of ["all", "generate", "render", "validate", "lint", "schemas"]) {
      const r = gitops([command, "--help"], REPO_ROOT);
      expect(r.status, command).toBe(0);
      expect(r.stdout, command).toMatch(new RegExp(`^Usage: gitops ${command}`));
    }
  });
});

describe("gitops validate and lint on a kind: List (what kubectl get -o yaml writes)", () => {
  // The List's second item: a Pod with a misspelled field, a :latest image and privileged mode.
  const LIST = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: settings, namespace: shop}
    data: {a: "1"}
  - apiVersion: v1
    kind: Pod
    metadata: {name: debug, namespace: shop}
    spec:
      containers:
        - name: debug
          image: busybox:latest
          imagePullPolciy: Always
          securityContext: {privileged: true}
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: settings, namespace: shop}
`;

  it("checks each item as the object it is, located at the item's own lines", () => {
    const dir = files({ "list.yaml": LIST });
    const v = gitops(["validate", "list.yaml", "--output", "json"], dir);
    expect(v.status).toBe(1);
    expect((JSON.parse(v.stdout) as { summary: { objects: number } }).summary.objects).toBe(3);
    const findings = (JSON.parse(v.stdout) as { findings: { rule: string; line: number; message: string; object?: { kind?: string; name?: string } }[] }).findings;
    const unknown = findings.find((f) => f.rule === "schema/unknown-field");
    expect(unknown).toMatchObject({ line: 15, message: 'items[1]: spec.containers[0]: unknown field "imagePullPolciy"', object: { kind: "Pod", name: "debug" } });
    // The same ConfigMap twice in one List is a duplicate, as two documents would be, each at its own line.
    const duplicate = findings.find((f) => f.rule.includes("duplicate"));
    expect(duplicate?.message).toContain("list.yaml:4");

    const l = gitops(["lint", "list.yaml", "--output", "json"], dir);
    expect(l.status).toBe(1);
    const lint = (JSON.parse(l.stdout) as { findings: { rule: string; line: number; message: string; object?: { kind?: string } }[] }).findings;
    const privileged = lint.find((f) => f.rule === "no-privileged");
    expect(privileged).toMatchObject({ object: { kind: "Pod" } });
    expect(privileged!.message).toMatch(/^items\[1\]: /);
    expect(privileged!.line).toBe(16);
    expect(lint.find((f) => f.rule === "image-pinned")?.message).toMatch(/^items\[1\]: .*busybox:latest/);
  });
});
