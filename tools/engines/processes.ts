/**
 * Runs a batch of engine processes (helm pull, helm template) a few at a time, and waits for all of them
 * synchronously: a worker thread spawns them while this thread sleeps on an Atomics.wait, so that the
 * render stays one synchronous function and still keeps two cores busy.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";

export interface ProcessJob {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Printed to stderr (file descriptor 2) when the job ends, for progress on long runs. */
  readonly label?: string;
}

export interface ProcessResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the process could not be started (ENOENT, EACCES). */
  readonly error?: string;
}

/** How many engine processes run at once: the machines this runs on have two cores. */
export const ENGINE_CONCURRENCY = 2;

const WORKER = `
const { workerData } = require("node:worker_threads");
const { spawn } = require("node:child_process");
const { writeSync } = require("node:fs");
const { jobs, concurrency, port, signal, progress } = workerData;
const results = new Array(jobs.length);
process.on("uncaughtException", (e) => {
  port.postMessage({ crash: String(e && e.stack || e) });
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
let next = 0;
let done = 0;
function run(i) {
  const job = jobs[i];
  const out = [];
  const err = [];
  let finished = false;
  const finish = (result) => {
    if (finished) return;
    finished = true;
    results[i] = result;
    done++;
    if (progress && job.label) {
      try { writeSync(2, "  [" + done + "/" + jobs.length + "] " + job.label + (result.status === 0 ? "" : " (failed)") + "\\n"); } catch {}
    }
    if (next < jobs.length) run(next++);
    else if (done === jobs.length) {
      port.postMessage(results);
      Atomics.store(signal, 0, 1);
      Atomics.notify(signal, 0);
    }
  };
  let child;
  try {
    child = spawn(job.command, job.args, { cwd: job.cwd, env: job.env, stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    finish({ status: null, stdout: "", stderr: "", error: String(e && e.message || e) });
    return;
  }
  child.stdout.on("data", (d) => out.push(d));
  child.stderr.on("data", (d) => err.push(d));
  child.on("error", (e) => finish({ status: null, stdout: "", stderr: "", error: e.message }));
  child.on("close", (status) => finish({ status, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
}
if (jobs.length === 0) {
  port.postMessage(results);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
} else for (let k = 0; k < Math.min(concurrency, jobs.length); k++) run(next++);
`;

/** Runs the jobs, `concurrency` at a time, and returns their results in the jobs' order. */
export function runProcessesSync(jobs: readonly ProcessJob[], options: { concurrency?: number; progress?: boolean } = {}): ProcessResult[] {
  if (jobs.length === 0) return [];
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { jobs: jobs.map((j) => ({ ...j, env: j.env ?? process.env })), concurrency: options.concurrency ?? ENGINE_CONCURRENCY, port: port2, signal, progress: options.progress ?? false },
    transferList: [port2],
  });
  try {
    while (Atomics.load(signal, 0) === 0) Atomics.wait(signal, 0, 0, 1000);
    const message = receiveMessageOnPort(port1);
    if (!message) throw new Error("engine processes: the worker ended without results");
    const crash = (message.message as { crash?: string }).crash;
    if (crash) throw new Error(`engine processes: ${crash}`);
    return message.message as ProcessResult[];
  } finally {
    port1.close();
    void worker.terminate();
  }
}
