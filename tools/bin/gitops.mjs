#!/usr/bin/env node
// The `gitops` command: registers TypeScript support, then runs the CLI in this same process.
import { registerTypeScript } from "../workspace/register-typescript.mjs";

// A reader that closes the pipe early (`gitops lint | head`) has all it wants: stop quietly, as Unix
// tools do, instead of dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

await registerTypeScript();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
