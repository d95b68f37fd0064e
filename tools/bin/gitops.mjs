#!/usr/bin/env node
// The `gitops` command: registers TypeScript support, then runs the CLI in this same process.
import module from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { registerTypeScript } from "../workspace/register-typescript.mjs";

// V8's compiled code of the toolchain's modules, kept beside the toolchain's other caches (Node 22.1+;
// Node keys each entry by the source and its own version, so a stale entry is never used).
const cacheRoot = process.env.GITOPS_CACHE_DIR
  ? path.resolve(process.env.GITOPS_CACHE_DIR)
  : path.join(path.dirname(fileURLToPath(import.meta.url)), "../../node_modules/.cache/gitops");
module.enableCompileCache?.(path.join(cacheRoot, "v8"));

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
