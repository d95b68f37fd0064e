/**
 * The entry Nx loads (nx.json "plugins"). It registers the gitops TypeScript loader first, so that
 * the plugin's TypeScript is read from the toolchain cache of stripped JavaScript instead of being
 * stripped again in every Nx process, then hands over to plugin.ts. CommonJS and synchronous: Nx
 * loads plugins with require(), which cannot load a module that awaits at its top level.
 * Where this Node lacks the in-thread loader, Node's own type stripping loads plugin.ts.
 */
"use strict";
const { registerNativeTypeScript } = require("../workspace/register-typescript.mjs");

registerNativeTypeScript();
const plugin = require("./plugin.ts");

module.exports = {
  name: "gitops",
  createNodesV2: plugin.createNodesV2,
  createDependencies: plugin.createDependencies,
};
