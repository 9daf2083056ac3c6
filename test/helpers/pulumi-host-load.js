// Loads the program the way the Pulumi CLI's Node.js language host does (node_modules/@pulumi/pulumi/
// cmd/run/run.js for a CommonJS package): ts-node registered with the project's tsconfig.json, type
// checking on, then the program required. Runs it under the plan's mocks and prints a summary as JSON.
"use strict";
const path = require("node:path");
const tsutils = require("@pulumi/pulumi/tsutils");

const root = path.resolve(__dirname, "../..");
process.chdir(root);
const compilerOptions = tsutils.loadTypeScriptCompilerOptions("tsconfig.json");
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
const ts = require(typescriptRequire);
const [major, minor] = ts.version.split(".").map(Number);
const useNodeNext = major > 4 || (major === 4 && minor >= 7);
require(tsnodeRequire).register({
  compiler: typescriptRequire,
  transpileOnly: undefined,
  project: "tsconfig.json",
  skipProject: false,
  compilerOptions: {
    target: "ES2020",
    module: useNodeNext ? "nodenext" : "commonjs",
    moduleResolution: useNodeNext ? "nodenext" : "node",
    sourceMap: "true",
    ...compilerOptions,
  },
});

const { buildPlan } = require(path.join(root, "cli/plan/build-plan.ts"));
buildPlan(root, process.argv[2] || "preview")
  .then((plan) => {
    process.stdout.write(JSON.stringify({ typescript: ts.version, files: plan.files.size, resources: plan.resources.length }));
  })
  .catch((error) => {
    process.stderr.write(String(error && error.stack ? error.stack : error));
    process.exit(1);
  });
