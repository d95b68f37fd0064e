/**
 * What the Nx executor runs: one gitops command per task, in this process, with the task's terminal
 * output captured so that Nx caches and prints it per project. A batch runs its tasks in dependency
 * order; the generate tasks that are ready together run as one generate (one type check of their files).
 */
import { main } from "../cli/main.ts";
import type { CliIO } from "../cli/io.ts";
import { runGenerate } from "../cli/commands/generate.ts";
import { GenerateError, WorkspaceUsageError } from "../generate/errors.ts";

export interface GitopsTaskOptions {
  readonly command: "generate" | "render" | "validate" | "lint";
  readonly component?: string;
  readonly cluster?: string;
  readonly force?: boolean;
  readonly output?: "text" | "json" | "sarif";
}

export interface TaskResult {
  readonly success: boolean;
  readonly terminalOutput: string;
  readonly status?: "success" | "failure" | "skipped";
  readonly startTime?: number;
  readonly endTime?: number;
}

/** The subset of Nx's task graph a batch receives. */
export interface BatchTaskGraph {
  readonly tasks: Record<string, unknown>;
  readonly dependencies: Record<string, readonly string[]>;
}

/** The gitops arguments of a task. */
export function taskArgv(options: GitopsTaskOptions): string[] {
  const argv: string[] = [options.command];
  if (options.component) argv.push("--component", options.component);
  if (options.cluster) argv.push("--cluster", options.cluster);
  if (options.force && options.command === "generate") argv.push("--force");
  if (options.output && (options.command === "validate" || options.command === "lint")) argv.push("--output", options.output);
  return argv;
}

function capture(): { io: CliIO; text: () => string } {
  let text = "";
  const write = (t: string) => {
    text += t.endsWith("\n") ? t : `${t}\n`;
  };
  return { io: { out: write, err: write, color: false }, text: () => text };
}

/** Runs one task's command as `gitops` would, in this process. */
export async function runTask(options: GitopsTaskOptions, root: string): Promise<TaskResult> {
  const startTime = Date.now();
  const { io, text } = capture();
  const cwd = process.cwd();
  let code: number;
  try {
    // The CLI finds the workspace from the working folder.
    process.chdir(root);
    code = await main(taskArgv(options), io);
  } catch (error) {
    io.err(`gitops ${options.command}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    code = 1;
  } finally {
    process.chdir(cwd);
  }
  return { success: code === 0, terminalOutput: text(), startTime, endTime: Date.now() };
}

/**
 * Several generate tasks as one generate run: one type check and one load of the workspace. Each task's
 * output lists the files under its own folder. When the run fails, each task runs alone, so that every
 * failure is reported by the project that caused it.
 */
async function runGenerateTasks(tasks: readonly [string, GitopsTaskOptions][], root: string): Promise<[string, TaskResult][]> {
  if (tasks.length === 1) return [[tasks[0][0], await runTask(tasks[0][1], root)]];
  const startTime = Date.now();
  const components = tasks.flatMap(([, o]) => (o.component ? [o.component] : []));
  const clusters = tasks.flatMap(([, o]) => (o.cluster ? [o.cluster] : []));
  let outcome: Awaited<ReturnType<typeof runGenerate>>;
  try {
    outcome = await runGenerate(root, { components, clusters, force: tasks.some(([, o]) => o.force) });
  } catch (error) {
    if (!(error instanceof GenerateError) || error instanceof WorkspaceUsageError) throw error;
    const results: [string, TaskResult][] = [];
    for (const [id, options] of tasks) results.push([id, await runTask(options, root)]);
    return results;
  }
  const endTime = Date.now();
  const { plan, result } = outcome;
  return tasks.map(([id, options]) => {
    const dir = options.component
      ? plan.components.find((c) => c.loaded.component.name === options.component)?.loaded.dir
      : plan.clusters.find((c) => c.loaded.cluster.name === options.cluster)?.loaded.dir;
    const mine = (file: string) => dir !== undefined && file.startsWith(`${dir}/`);
    const files = plan.files.filter((f) => mine(f.path)).length;
    const written = result.written.filter(mine);
    const deleted = result.deleted.filter(mine);
    const lines = [
      ...written.map((f) => `wrote ${f}`),
      ...deleted.map((f) => `deleted ${f}`),
      `generate ${options.component ? `component ${options.component}` : `cluster ${options.cluster}`}: ${files} files (${written.length} written, ${deleted.length} deleted, ${files - written.length} unchanged)`,
    ];
    return [id, { success: true, terminalOutput: `${lines.join("\n")}\n`, startTime, endTime }];
  });
}

/** Runs a batch in dependency order, yielding each task's result as soon as it is known. */
export async function* runBatch(
  taskGraph: BatchTaskGraph,
  inputs: Record<string, GitopsTaskOptions>,
  root: string,
): AsyncGenerator<{ task: string; result: TaskResult }> {
  const ids = Object.keys(taskGraph.tasks).sort();
  const inBatch = new Set(ids);
  const succeeded = new Set<string>();
  const finished = new Set<string>();
  while (finished.size < ids.length) {
    const ready = ids.filter((id) => !finished.has(id) && (taskGraph.dependencies[id] ?? []).every((d) => !inBatch.has(d) || finished.has(d)));
    if (ready.length === 0) throw new Error(`gitops: the batch's tasks depend on each other in a cycle: ${ids.filter((id) => !finished.has(id)).join(", ")}`);
    const runnable: string[] = [];
    for (const id of ready) {
      const failedDep = (taskGraph.dependencies[id] ?? []).find((d) => inBatch.has(d) && !succeeded.has(d));
      if (failedDep) {
        finished.add(id);
        yield { task: id, result: { success: false, status: "skipped", terminalOutput: `not run: ${failedDep} did not succeed\n` } };
      } else runnable.push(id);
    }
    const generate = runnable.filter((id) => inputs[id].command === "generate");
    const others = runnable.filter((id) => inputs[id].command !== "generate");
    const results: [string, TaskResult][] = generate.length ? await runGenerateTasks(generate.map((id) => [id, inputs[id]]), root) : [];
    for (const [id, result] of results) {
      finished.add(id);
      if (result.success) succeeded.add(id);
      yield { task: id, result };
    }
    // Generated files first: the other ready tasks may read them.
    if (generate.length) continue;
    for (const id of others) {
      const result = await runTask(inputs[id], root);
      finished.add(id);
      if (result.success) succeeded.add(id);
      yield { task: id, result };
    }
  }
}
