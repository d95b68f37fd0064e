import { spawn } from "node:child_process";
import { GenerateError } from "../generate/errors.ts";
import { planWorkspace } from "../generate/generate.ts";
import { writePlan } from "../generate/write.ts";
import { generatedObjectChecker } from "../pipeline/checks.ts";
import { loadWorkspace } from "../workspace/workspace.ts";
import type { BootstrapFacts } from "./facts.ts";
import { clusterBootstrapFacts } from "./plan.ts";

/** The script that runs every step of a cluster's bootstrap. */
export const BOOTSTRAP_SCRIPT = "bootstrap/bootstrap.sh";

/** One step as the scripts report it. */
export interface BootstrapStep {
  readonly title: string;
  /** Commands run (or, in a dry run, that would run). Empty when the step had nothing to do. */
  readonly commands: string[];
  /** Manifests and config files applied by the commands, as printed. */
  readonly manifests: string[];
  /** What was found already done. */
  readonly unchanged: string[];
  readonly warnings: string[];
}

export interface BootstrapReport {
  readonly cluster: string;
  readonly dryRun: boolean;
  readonly exitCode: number;
  readonly facts: BootstrapFacts;
  readonly steps: BootstrapStep[];
  /** The script's last line: what changed, or that nothing had to. */
  readonly summary: string;
  readonly errors: string[];
}

/**
 * A cluster's bootstrap facts, computed from cluster.ts; refuses when the committed files the scripts
 * read (bootstrap/<cluster>/, clusters/<cluster>/root.yaml, …) are not what generate writes now.
 */
export async function checkedBootstrapFacts(root: string, cluster: string): Promise<BootstrapFacts> {
  const workspace = await loadWorkspace(root, { clusters: [cluster] });
  const plan = planWorkspace(workspace, { check: generatedObjectChecker(), only: { components: [], clusters: [cluster] } });
  const clusterPlan = plan.clusters[0];
  const source = clusterPlan.loaded.source;
  const facts = clusterBootstrapFacts(clusterPlan.loaded.cluster, source, clusterPlan.applications);
  if (!facts) throw new GenerateError(`${source}: cluster "${cluster}" declares no bootstrap (add bootstrap: { provider: … } to it)`);
  const stale = await writePlan(root, { ...plan, ownedDirs: [] }, { check: true });
  if (stale.written.length) {
    throw new GenerateError(
      `gitops bootstrap: the generated files of cluster ${cluster} are out of date with ${source} (${stale.written.join(", ")}): run npm run generate first`,
    );
  }
  return facts;
}

/** Parses the scripts' output ("== step", "+ command", "  | manifest line", "= done", "! warning"). */
export function parseBootstrapOutput(stdout: string): { steps: BootstrapStep[]; summary: string } {
  const steps: BootstrapStep[] = [];
  let summary = "";
  let manifest: string[] | undefined;
  const current = () => steps[steps.length - 1];
  const closeManifest = () => {
    if (manifest && current()) current().manifests.push(`${manifest.join("\n")}\n`);
    manifest = undefined;
  };
  for (const line of stdout.split("\n")) {
    if (line.startsWith("  | ") || line === "  |") {
      (manifest ??= []).push(line.slice(4));
      continue;
    }
    closeManifest();
    if (line.startsWith("== ")) steps.push({ title: line.slice(3), commands: [], manifests: [], unchanged: [], warnings: [] });
    else if (line.startsWith("+ ") && current()) current().commands.push(line.slice(2));
    else if (line.startsWith("= ") && current()) current().unchanged.push(line.slice(2));
    else if (line.startsWith("! ") && current()) current().warnings.push(line.slice(2));
    else if (line.startsWith("bootstrap ")) summary = line;
  }
  closeManifest();
  return { steps, summary };
}

/**
 * Runs bootstrap/bootstrap.sh for a cluster (with --dry-run: probes only), passing its output on as it
 * comes (`onOutput`), and returns what it reported. The scripts hold the steps; this adds the check that
 * their facts are current and a machine-readable report.
 */
export async function runBootstrap(
  root: string,
  cluster: string,
  options: { dryRun: boolean; onOutput?: (text: string, stream: "out" | "err") => void; env?: NodeJS.ProcessEnv },
): Promise<BootstrapReport> {
  const facts = await checkedBootstrapFacts(root, cluster);
  const args = [BOOTSTRAP_SCRIPT, cluster, ...(options.dryRun ? ["--dry-run"] : [])];
  const child = spawn("bash", args, { cwd: root, env: options.env ?? process.env, stdio: ["inherit", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
    options.onOutput?.(text, "out");
  });
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
    options.onOutput?.(text, "err");
  });
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
  const { steps, summary } = parseBootstrapOutput(stdout);
  const errors = stderr
    .split("\n")
    .filter((l) => l.startsWith("bootstrap: "))
    .map((l) => l.slice("bootstrap: ".length));
  return { cluster, dryRun: options.dryRun, exitCode, facts, steps, summary, errors };
}
