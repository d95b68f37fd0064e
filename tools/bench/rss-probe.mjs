// Preloaded into every Node process of a measured command (NODE_OPTIONS=--import=<this file>): at exit,
// appends the process's peak resident set size to the file named by GITOPS_BENCH_PROBE.
import { appendFileSync } from "node:fs";

const file = process.env.GITOPS_BENCH_PROBE;
if (file) {
  process.on("exit", () => {
    try {
      const line = { pid: process.pid, maxRssKb: process.resourceUsage().maxRSS, argv: process.argv.slice(1, 4).join(" ") };
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch {
      // The measurement is best effort; never change the measured command's behaviour.
    }
  });
}
