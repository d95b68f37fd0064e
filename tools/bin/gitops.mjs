#!/usr/bin/env node
// The `gitops` command: registers the TypeScript loader, then runs the CLI in this same process.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
