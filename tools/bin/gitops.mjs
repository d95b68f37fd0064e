#!/usr/bin/env node
// The `gitops` command: registers TypeScript support, then runs the CLI in this same process.
import { registerTypeScript } from "../workspace/register-typescript.mjs";

await registerTypeScript();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
