#!/usr/bin/env node
// npm's postinstall step: `gitops warm --best-effort`, which prepares the toolchain cache. Nothing here
// may fail an install: without the dev dependencies (npm ci --omit=dev), on a Node the toolchain does
// not support, or with a broken workspace, it says why it skipped and exits 0.
try {
  const { registerTypeScript } = await import("../workspace/register-typescript.mjs");
  await registerTypeScript();
  const { main } = await import("../cli/main.ts");
  await main(["warm", "--best-effort"]);
} catch (error) {
  process.stderr.write(`gitops warm skipped: ${error instanceof Error ? error.message : String(error)}\n`);
}
process.exitCode = 0;
