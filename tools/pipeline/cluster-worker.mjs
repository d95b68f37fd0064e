// A worker thread of `checkClusters` (check-run.ts): TypeScript support for this thread, then the
// clusters it claims from the shared counter, each result posted to the main thread.
import { parentPort, workerData } from "node:worker_threads";
import { registerTypeScript } from "../workspace/register-typescript.mjs";

await registerTypeScript();
const { runClusterWorker } = await import("./check-run.ts");
await runClusterWorker(workerData, (message) => parentPort.postMessage(message));
