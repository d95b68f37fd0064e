/**
 * The entry Nx loads (nx.json "plugins"). It registers the gitops TypeScript loader first, so that
 * the plugin's TypeScript is read from the toolchain cache of stripped JavaScript instead of being
 * stripped again in every Nx process, then re-exports the plugin from plugin.ts.
 */
import { registerTypeScript } from "../workspace/register-typescript.mjs";

await registerTypeScript();
const plugin = await import("./plugin.ts");

export const name = "gitops";
export const createNodesV2 = plugin.createNodesV2;
export const createDependencies = plugin.createDependencies;
