/**
 * The Nx executor of the gitops targets (tools/nx/executors.json). Nx loads executors with require(),
 * so this entry is CommonJS: it registers the gitops TypeScript loader and hands over to run-tasks.ts.
 * `batch` is the batch implementation: Nx gives it every uncached gitops task of one invocation, and
 * they all run in this one process (no Node start, module load and type check per task).
 */
"use strict";
const { registerNativeTypeScript } = require("../workspace/register-typescript.mjs");

registerNativeTypeScript();
const tasks = () => import("./run-tasks.ts");

module.exports = async function gitops(options, context) {
  const { runTask } = await tasks();
  const result = await runTask(options, context.root);
  process.stdout.write(result.terminalOutput);
  return { success: result.success };
};

module.exports.batch = async function* batch(taskGraph, inputs, _overrides, context) {
  const { runBatch } = await tasks();
  yield* runBatch(taskGraph, inputs, context.root);
};
