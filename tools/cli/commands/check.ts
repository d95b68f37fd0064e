import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Finding } from "../../findings/finding.ts";
import { formatText, summaryLine, toJsonReport, type OutputFormat } from "../../findings/report.ts";
import { toSarif } from "../../findings/sarif.ts";
import { ruleDescriptors } from "../../lint/rules.ts";
import { PolicySettingsError, type PolicySettings } from "../../lint/settings.ts";
import { isEnvironment, type Environment } from "../../model/environment.ts";
import { DEFAULT_KUBERNETES_VERSION, lintItems, objectCount, schemaValidator, validateItems, type CheckItem } from "../../pipeline/checks.ts";
import { clusterContext } from "../../pipeline/cluster-context.ts";
import { crdObjects, renderCrdSchemaDir } from "../../pipeline/render-crds.ts";
import { renderCluster, type ChartRender, type RenderedCluster } from "../../pipeline/render-cluster.ts";
import { renderComponent } from "../../pipeline/render-component.ts";
import { clusterRenderFiles, clusterRenderIndex, RENDER_DIR, writeRenderFolder, type RenderedFile } from "../../pipeline/render-output.ts";
import { DocumentParseError, parseDocuments, type LoadedDocument } from "../../workspace/documents.ts";
import { findRoot, loadWorkspace, type LoadedCluster, type Workspace } from "../../workspace/workspace.ts";
import { oneOf, parse } from "../args.ts";
import { EXIT, seconds, UsageError, type CliIO } from "../io.ts";
import { isUserError } from "./render.ts";

type CheckKind = "validate" | "lint";

const COMMON_OPTIONS = `  --cluster NAME     check this cluster's rendered output (repeatable); with files, use its
                     Kubernetes version and policy settings
  --component NAME   check this component's rendered overlays (repeatable)
  --output FORMAT    text (default), json or sarif
  -h, --help         show this help

Without files, --cluster or --component, every cluster is rendered and checked.
Each finding: file:line:col  error|warning  rule  Kind namespace/name  message.
Exit codes: 0 no errors, 1 errors found, 2 usage or I/O error.`;

export const VALIDATE_HELP = `Usage: gitops validate [options] [<file|dir|->...]

Validates Kubernetes objects strictly and offline: every field against strict schemas (an unknown field
is an error), what the API server would reject (names, labels, quantities, ports, enums, selectors),
API versions deprecated or removed in the target Kubernetes version, duplicate objects, and for a
cluster: custom resources without their CRD or synced before it, references that resolve to nothing,
and Applications that render nothing. Files may be multi-document YAML or JSON; folders are searched
recursively; "-" reads standard input.

Options:
  --kubernetes-version V   validate for this Kubernetes minor version (default: the cluster's, else ${DEFAULT_KUBERNETES_VERSION})
  --schemas DIR            also load schemas imported with \`gitops schemas import\` (repeatable)
${COMMON_OPTIONS}`;

export const LINT_HELP = `Usage: gitops lint [options] [<file|dir|->...]

Checks Kubernetes objects against the platform's policy rules (the same rules the kyverno component
enforces in-cluster): pinned images, resources, non-root, no privilege escalation, read-only root
filesystem, probes, no host namespaces or hostPath, no plain Secrets in git, duplicate env vars,
PodDisruptionBudgets for replicated prod workloads, HPA bounds, registry allow-list. An object waives a
rule with the annotation policy.typed-gitops.dev/ignore: "<rule-id>: <reason>".

Options:
  --environment ENV  dev or prod, for files (default: the cluster's, else prod)
${COMMON_OPTIONS}`;

/** A set of documents checked together: one cluster, one overlay, or the files given. */
export interface CheckSet {
  readonly name: string;
  readonly items: CheckItem[];
  readonly files: number;
  readonly kubernetesVersion?: string;
  readonly environment?: Environment;
  readonly policy?: Omit<PolicySettings, "environment">;
  readonly loaded?: LoadedCluster;
  readonly findings: Finding[];
  readonly context?: ReturnType<typeof clusterContext>;
  /** For a cluster: each chart source, rendered or not. */
  readonly charts?: readonly ChartRender[];
  /** For a cluster: the schema folder of the CRDs its render installs (render-crds.ts). */
  readonly crdSchemaDir?: string;
}

/** Helm's progress lines go to stderr when it is a terminal (never into a pipe a machine reads). */
function progressOnStderr(): boolean {
  return Boolean(process.stderr.isTTY);
}

/**
 * A chart that could not be rendered is reported, never skipped in silence, at the component's chart: a
 * warning when its repository has no such chart or version (its objects go unchecked), and for a
 * repository that could not be reached (no network, no mirror) too, except under CI=true, where that
 * is an error. A refused digest and a failing `helm template` are errors. GITOPS_CHARTS=off is asked
 * for: no finding, the summary counts it.
 */
export function chartFindings(root: string, rendered: RenderedCluster, sourceByName: ReadonlyMap<string, string>): Finding[] {
  const ci = process.env.CI === "true" || process.env.CI === "1";
  const severity = (status: ChartRender["status"]): Finding["severity"] => (status === "refused" || status === "failed" || (status === "unreachable" && ci) ? "error" : "warning");
  return rendered.charts
    .filter((c) => c.status !== "rendered" && c.status !== "skipped")
    .map((c) => {
      const component = c.app.replace(/-chart$/, "");
      const source = sourceByName.get(c.app) ?? sourceByName.get(component);
      const location = (source ? chartLineOf(root, source) : undefined) ?? { file: `${RENDER_DIR}/${rendered.cluster}/index.json`, line: 1, column: 1 };
      return {
        rule: `render/chart-${c.status}`,
        severity: severity(c.status),
        message: `${c.ref.chart}@${c.ref.version} (app ${c.app}) is not rendered, so its objects are not validated or linted: ${c.message ?? c.status}`,
        file: location.file,
        line: location.line,
        column: location.column,
        hint: c.status === "unreachable" || c.status === "not-found" ? `pull it with \`gitops charts pull\` (set GITOPS_CHART_MIRROR to a chart mirror where the repository cannot be reached)` : undefined,
      };
    });
}

function chartLineOf(root: string, source: string): { file: string; line: number; column: number } | undefined {
  try {
    const lines = readFileSync(path.join(root, source), "utf8").split("\n");
    const index = lines.findIndex((l) => /^\s*chart:\s*\{/.test(l));
    return index >= 0 ? { file: source, line: index + 1, column: lines[index].search(/\S/) + 1 } : undefined;
  } catch {
    return undefined;
  }
}

function collectFiles(target: string, out: string[]): void {
  const stat = statSync(target);
  if (stat.isDirectory()) {
    for (const name of readdirSync(target).sort()) {
      if (name.startsWith(".") || name === "node_modules") continue;
      // In a folder, Kustomize's own files and the render index are not objects to check.
      if (/^kustomization\.ya?ml$|^Kustomization$|\.(patch|delete)\.yaml$|^index\.json$/.test(name)) continue;
      const child = path.join(target, name);
      if (statSync(child).isDirectory() || /\.(ya?ml|json)$/.test(name)) collectFiles(child, out);
    }
  } else out.push(target);
}

function parseFile(text: string, display: string, findings: Finding[]): LoadedDocument[] {
  try {
    return parseDocuments(text, display);
  } catch (error) {
    if (!(error instanceof DocumentParseError)) throw error;
    findings.push({ rule: "yaml/parse", severity: "error", message: error.reason, file: error.file, line: error.line, column: error.column });
    return [];
  }
}

function itemsOfRenderedFiles(texts: ReadonlyMap<string, string>, files: readonly RenderedFile[], findings: Finding[], sourceOf: (f: RenderedFile) => string | undefined): CheckItem[] {
  const items: CheckItem[] = [];
  for (const f of files) {
    // The text just written: parsed from memory, not read back from disk.
    const docs = parseFile(texts.get(f.file) ?? "", f.file, findings);
    const componentSource = sourceOf(f);
    docs.forEach((doc, i) => items.push({ doc, app: f.app, wave: f.wave, componentSource, ...(f.chart ? { chart: { chart: f.chart, template: f.templates?.[i] ?? "" } } : {}) }));
  }
  return items;
}

export async function clusterSets(root: string, names: string[] | undefined, kind: CheckKind): Promise<CheckSet[]> {
  const workspace: Workspace = await loadWorkspace(root, names?.length ? { clusters: names, components: [] } : {});
  const sourceByName = new Map(workspace.components.map((c) => [c.component.name, c.source]));
  const cache = new Map<string, unknown>();
  return workspace.clusters.map((loaded) => {
    const rendered = renderCluster(root, loaded.dir, cache, { kubernetesVersion: loaded.cluster.kubernetesVersion, progress: progressOnStderr() });
    const files = clusterRenderFiles(rendered);
    const texts = writeRenderFolder(root, `${RENDER_DIR}/${rendered.cluster}`, files, clusterRenderIndex(rendered, files));
    const findings: Finding[] = chartFindings(root, rendered, sourceByName);
    // On Flux a chart's Kustomization is `<component>-chart`.
    const sourceOf = (f: RenderedFile) => (f.app && f.app !== "root" ? sourceByName.get(f.app) ?? sourceByName.get(f.app.replace(/-chart$/, "")) : undefined);
    const items = itemsOfRenderedFiles(texts, files, findings, sourceOf);
    return {
      name: loaded.cluster.name,
      items,
      files: files.length,
      kubernetesVersion: loaded.cluster.kubernetesVersion,
      environment: loaded.cluster.environment,
      policy: loaded.cluster.policy,
      loaded,
      findings,
      context: clusterContext(loaded, rendered),
      charts: rendered.charts,
      crdSchemaDir: kind === "validate" ? renderCrdSchemaDir(crdObjects(items.map((i) => i.doc.value))) : undefined,
    };
  });
}

async function componentSets(root: string, names: string[], kind: CheckKind): Promise<CheckSet[]> {
  const workspace = await loadWorkspace(root, { components: names, clusters: [] });
  const cache = new Map<string, unknown>();
  const sets: CheckSet[] = [];
  for (const name of names) {
    const loaded = workspace.components.find((c) => c.component.name === name)!;
    const { files, index } = renderComponent(root, loaded.dir, cache);
    const texts = writeRenderFolder(root, `${RENDER_DIR}/components/${name}`, files, index);
    for (const f of files) {
      const findings: Finding[] = [];
      const overlay = path.posix.basename(f.file, ".yaml");
      sets.push({
        name: `${name}/${overlay}`,
        items: itemsOfRenderedFiles(texts, [f], findings, () => loaded.source),
        files: 1,
        environment: isEnvironment(overlay) ? overlay : undefined,
        findings,
      });
    }
  }
  return sets;
}

function fileSet(root: string, paths: string[], io: CliIO): CheckSet {
  const findings: Finding[] = [];
  const items: CheckItem[] = [];
  let files = 0;
  for (const p of paths) {
    if (p === "-") {
      const text = io.stdin ? io.stdin() : readFileSync(0, "utf8");
      files++;
      for (const doc of parseFile(text, "<stdin>", findings)) items.push({ doc });
      continue;
    }
    if (!existsSync(p)) throw new UsageError(`no such file or folder: ${p}`);
    const list: string[] = [];
    collectFiles(p, list);
    for (const file of list) {
      files++;
      // Findings name files as the user wrote them (a folder's files below the folder as written).
      const display = file.split(path.sep).join("/");
      for (const doc of parseFile(readFileSync(file, "utf8"), display, findings)) items.push({ doc });
    }
  }
  void root;
  return { name: "files", items, files, findings };
}

async function runCheck(kind: CheckKind, argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(kind, argv, {
    cluster: { type: "string", multiple: true },
    component: { type: "string", multiple: true },
    output: { type: "string" },
    "kubernetes-version": { type: "string" },
    schemas: { type: "string", multiple: true },
    environment: { type: "string" },
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
  const started = performance.now();
  // Files can be checked anywhere; clusters and components need the workspace.
  const root = positionals.length > 0 && !values.cluster ? process.cwd() : findRoot();
  const clusters = values.cluster as string[] | undefined;
  const components = values.component as string[] | undefined;

  let sets: CheckSet[];
  try {
    if (positionals.length > 0) {
      const set = fileSet(root, positionals, io);
      if (clusters?.length) {
        const workspace = await loadWorkspace(root, { clusters: clusters.slice(0, 1), components: [] });
        const c = workspace.clusters[0].cluster;
        sets = [{ ...set, kubernetesVersion: c.kubernetesVersion, environment: c.environment, policy: c.policy }];
      } else sets = [set];
    } else if (components?.length) {
      sets = await componentSets(root, components, kind);
    } else {
      sets = await clusterSets(root, clusters, kind);
    }
  } catch (error) {
    if (isUserError(error)) {
      io.err(`${kind} failed: ${error.message}`);
      return EXIT.findings;
    }
    throw error;
  }

  const extraSchemaDirs = ((values.schemas as string[] | undefined) ?? []).map((d) => path.resolve(d));
  const all: Finding[] = [];
  let objects = 0;
  let fileCount = 0;
  try {
    for (const set of sets) {
      const findings = [...set.findings];
      if (kind === "validate") {
        // A cluster's own CRDs come after --schemas: what the cluster installs wins.
        const schemas = schemaValidator(set.crdSchemaDir ? [...extraSchemaDirs, set.crdSchemaDir] : extraSchemaDirs);
        findings.push(...validateItems(set.items, root, { kubernetesVersion: version ?? set.kubernetesVersion, cluster: set.context, schemas }));
      } else {
        const env = (environment as Environment | undefined) ?? set.environment ?? "prod";
        findings.push(...lintItems(set.items, root, { ...(set.policy ?? {}), environment: env }));
      }
      objects += objectCount(set.items);
      fileCount += set.files;
      all.push(...findings);
    }
  } catch (error) {
    if (error instanceof PolicySettingsError) {
      const where = sets.find((s) => s.loaded)?.loaded?.source;
      io.err(`${kind} failed: ${where ? `${where}: ` : ""}${error.message}`);
      return EXIT.findings;
    }
    throw error;
  }
  const summary = { files: fileCount, objects };
  // For Nx: the run's findings as a cached output (one file per cluster or component run).
  const reportName = positionals.length > 0 ? undefined : components?.length ? `components/${components.join("+")}` : (clusters?.length ? clusters : sets.map((s) => s.name)).join("+");
  if (reportName) {
    const reportFile = path.join(root, "dist/findings", kind, `${reportName}.json`);
    mkdirSync(path.dirname(reportFile), { recursive: true });
    writeFileSync(reportFile, `${JSON.stringify(toJsonReport(kind, summary, all), null, 2)}\n`);
  }
  const errors = all.filter((f) => f.severity === "error").length;
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
    io.out(`${summaryLine(kind, summary, all)} in ${seconds(performance.now() - started)}`);
  }
  return errors > 0 ? EXIT.findings : EXIT.ok;
}

export const validateCommand = (argv: string[], io: CliIO) => runCheck("validate", argv, io);
export const lintCommand = (argv: string[], io: CliIO) => runCheck("lint", argv, io);
