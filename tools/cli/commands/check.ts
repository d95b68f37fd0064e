import { existsSync } from "node:fs";
import path from "node:path";
import { formatText, summaryLine, toJsonReport } from "../../findings/report.ts";
import { toSarif } from "../../findings/sarif.ts";
import { ruleDescriptors } from "../../lint/rules.ts";
import { PolicySettingsError } from "../../lint/settings.ts";
import { isEnvironment, type Environment } from "../../model/environment.ts";
import { DEFAULT_KUBERNETES_VERSION, schemaValidator } from "../../pipeline/checks.ts";
import { checkSets, clusterSets, componentSets, writeFindingsReport, type CheckKind, type CheckSet, type CheckRun } from "../../pipeline/check-run.ts";
import { fileSets } from "../../pipeline/file-sets.ts";
import { InputError } from "../../discover/walk.ts";
import { findRoot, loadWorkspace } from "../../workspace/workspace.ts";
import { oneOf, parse } from "../args.ts";
import { EXIT, seconds, UsageError, type CliIO } from "../io.ts";
import { isUserError } from "./render.ts";

const COMMON_OPTIONS = `  --cluster NAME     check this cluster's rendered output (repeatable); with files, use its
                     Kubernetes version and policy settings
  --component NAME   check this component's rendered overlays (repeatable)
  --output FORMAT    text (default), json or sarif; --format is an alias
  --verbose          with files: also list each file and document skipped, and why (not a
                     Kubernetes object, or read by a kustomization, a chart or a generator)
  -h, --help         show this help

Without files, --cluster or --component, every cluster is rendered and checked.
Each finding: file:line:col  error|warning  rule  Kind namespace/name  message.
Exit codes: 0 no errors, 1 errors found, 2 usage or I/O error.`;

export const VALIDATE_HELP = `Usage: gitops validate [options] [<file|dir|->...]

Validates Kubernetes objects strictly and offline: every field against strict schemas (an unknown field
is an error), what the API server would reject (names, labels, quantities, ports, enums, selectors),
API versions deprecated or removed in the target Kubernetes version, duplicate objects, and for a
cluster: custom resources without their CRD or synced before it, references that resolve to nothing,
and Applications that render nothing. The values of every chart an Application or HelmRelease deploys
are checked against the chart's own values.schema.json, as Helm does (the finding names component.ts
and the line of the values). Files may be multi-document YAML or JSON; folders are searched
recursively; "-" reads standard input.

Options:
  --kubernetes-version V   validate for this Kubernetes minor version (default: the cluster's, else ${DEFAULT_KUBERNETES_VERSION})
  --schemas DIR            also load schemas imported with \`gitops schemas import\` (repeatable)
  --charts DIR             read the pinned charts from this folder of packages (<chart>-<version>.tgz;
                           repeatable) before the chart cache that \`gitops charts pull\` fills
${COMMON_OPTIONS}`;

export const LINT_HELP = `Usage: gitops lint [options] [<file|dir|->...]

Checks Kubernetes objects against the platform's policy rules (the same rules the kyverno component
enforces in-cluster): pinned images, resources, non-root, no privilege escalation, read-only root
filesystem, probes, no host namespaces or hostPath, no plain Secrets in git, duplicate env vars,
PodDisruptionBudgets for replicated prod workloads, HPA bounds, registry allow-list. A rule is waived
only by a typed exception in a component.ts (policyExceptions: rule, objects, reason, expires), which
the cluster also gets as a Kyverno PolicyException; an expired one is an error, one that matches no
object a warning. Objects in namespaces Kyverno never checks (kube-system, kube-public,
kube-node-lease, kyverno) are not linted either.

Options:
  --environment ENV  dev or prod, for files (default: the cluster's, else prod)
${COMMON_OPTIONS}`;

async function runCheck(kind: CheckKind, argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(kind, argv, {
    cluster: { type: "string", multiple: true },
    component: { type: "string", multiple: true },
    output: { type: "string" },
    "kubernetes-version": { type: "string" },
    schemas: { type: "string", multiple: true },
    environment: { type: "string" },
    verbose: { type: "boolean" },
    charts: { type: "string", multiple: true },
  });
  if (values.help) {
    io.out(kind === "validate" ? VALIDATE_HELP : LINT_HELP);
    return EXIT.ok;
  }
  const output = oneOf(kind, "output", values.output as string | undefined, ["text", "json", "sarif"] as const, "text");
  const version = values["kubernetes-version"] as string | undefined;
  if (version !== undefined && !/^1\.\d+$/.test(version)) throw new UsageError(`gitops ${kind}: --kubernetes-version must look like 1.34, got "${version}"`);
  const environment = values.environment as string | undefined;
  if (environment !== undefined && !isEnvironment(environment)) throw new UsageError(`gitops ${kind}: --environment must be dev or prod, got "${environment}"`);
  for (const dir of (values.schemas as string[] | undefined) ?? []) {
    if (!existsSync(path.join(dir, "index.json"))) {
      throw new UsageError(`gitops ${kind}: --schemas ${dir}: no index.json there; write one with \`gitops schemas import --out ${dir} <crd.yaml>\``);
    }
  }
  const started = performance.now();
  // Files can be checked anywhere; clusters and components need the workspace.
  const root = positionals.length > 0 && !values.cluster ? process.cwd() : findRoot();
  const clusters = values.cluster as string[] | undefined;
  const components = values.component as string[] | undefined;

  const verbose = Boolean(values.verbose);
  let sets: CheckSet[];
  let skipped: readonly { file: string; reason: string }[] = [];
  try {
    if (positionals.length > 0) {
      const found = fileSets(positionals, { stdin: io.stdin });
      skipped = found.skipped;
      if (clusters?.length) {
        const workspace = await loadWorkspace(root, { clusters: clusters.slice(0, 1), components: [] });
        const c = workspace.clusters[0].cluster;
        sets = found.sets.map((set) => ({ ...set, kubernetesVersion: c.kubernetesVersion, environment: c.environment, policy: c.policy }));
      } else sets = found.sets;
    } else if (components?.length) {
      sets = await componentSets(root, components);
    } else {
      sets = await clusterSets(root, clusters, { kind });
    }
  } catch (error) {
    if (error instanceof InputError) {
      io.err(error.message);
      return EXIT.usage;
    }
    if (isUserError(error)) {
      io.err(`${kind} failed: ${error.message}`);
      return EXIT.findings;
    }
    throw error;
  }

  const extraSchemaDirs = ((values.schemas as string[] | undefined) ?? []).map((d) => path.resolve(d));
  const schemas = kind === "validate" ? schemaValidator(extraSchemaDirs) : undefined;
  let run: CheckRun;
  try {
    const chartDirs = ((values.charts as string[] | undefined) ?? []).map((d) => path.resolve(d));
    const chartValues = kind === "validate" ? await (await import("../../charts/values-check.ts")).chartValuesCheck(root, { chartDirs }) : undefined;
    run = checkSets(kind, sets, root, { kubernetesVersion: version, environment: environment as Environment | undefined, schemas, extraSchemaDirs, chartValues });
  } catch (error) {
    if (error instanceof PolicySettingsError) {
      const where = sets.find((s) => s.loaded)?.loaded?.source;
      io.err(`${kind} failed: ${where ? `${where}: ` : ""}${error.message}`);
      return EXIT.findings;
    }
    throw error;
  }
  const summary = { ...run.summary, ...(skipped.length ? { skipped: skipped.length } : {}) };
  const all = run.findings;
  // For Nx: the run's findings as a cached output (one file per cluster or component run).
  const reportName = positionals.length > 0 ? undefined : components?.length ? `components/${components.join("+")}` : (clusters?.length ? clusters : sets.map((s) => s.name)).join("+");
  if (reportName) writeFindingsReport(root, kind, reportName, run);
  let errors = 0;
  for (const f of all) if (f.severity === "error") errors++;
  if (output === "json") io.out(JSON.stringify(toJsonReport(kind, summary, all), null, 2));
  else if (output === "sarif") {
    // Validate's rules are not a fixed list: describe each rule that has findings.
    const rules =
      kind === "lint"
        ? ruleDescriptors()
        : [...new Map(all.map((f) => [f.rule, { id: f.rule, title: f.rule, severity: f.severity }])).values()].sort((a, b) => a.id.localeCompare(b.id));
    io.out(JSON.stringify(toSarif(all, rules, { name: `gitops-${kind}`, version: "0.1.0" }, { root }), null, 2));
  }
  else {
    const text = formatText(all, { color: io.color });
    if (text) io.out(text);
    if (verbose) for (const s of skipped) io.out(`${s.file}: skipped: ${s.reason}`);
    io.out(`${summaryLine(kind, summary, all)} in ${seconds(performance.now() - started)}`);
  }
  return errors > 0 ? EXIT.findings : EXIT.ok;
}

export const validateCommand = (argv: string[], io: CliIO) => runCheck("validate", argv, io);
export const lintCommand = (argv: string[], io: CliIO) => runCheck("lint", argv, io);
