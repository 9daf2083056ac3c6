/**
 * Runs several plans of one stack in this process, one after another, and writes each plan's files as
 * JSON to `<out dir>/<index>.json`. A test that needs dozens of plans (test/plan/setting-changes.test.ts)
 * spawns a few of these instead of one process per plan: a new process spends about 1.5 of its 1.9
 * CPU-seconds loading Node, tsx and the dependencies (@pulumi/aws above all), the plan itself about 0.4.
 *
 * Each plan runs as it would in a new process, except for the dependencies' code: before each plan every
 * module of this repository is dropped from the require cache and the plan's entry is required afresh, so
 * the program (`index.ts`, which runs at load), the kit's modules and their module-level state are new
 * (Node's modules documentation, `require.cache`: a deleted key makes the next require load the module
 * again). `@pulumi/pulumi`'s runtime state is replaced at the start of every run (cli/plan/run-program.ts):
 * `runtime.setMocks` calls `settings.setMockOptions`, whose `resetOptions` clears the stack resource, the
 * monitor, the feature flags, the leak candidates and the error count (pulumi `sdk/nodejs/runtime/
 * settings.ts`), and `runtime.setAllConfig` replaces the whole config, not merges (`config.ts`
 * `persistConfig`). test/plan/plan-batch.test.ts holds plans from here byte-identical to the same plans in
 * their own processes.
 *
 * usage: tsx test/helpers/plan-batch-runner.ts <stack> <configs JSON file> <out dir>
 * The configs file is `[{ "values": {...}, "secretKeys": [...] }, ...]`. The first plan that fails ends the
 * run (exit 1, its index and error on stderr): the runtime's state after a failed program is not trusted.
 */
import { writeFileSync, readFileSync } from "node:fs";
import path from "node:path";
import type * as BuildPlan from "../../cli/plan/build-plan";

const ROOT = path.resolve(__dirname, "../..");
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/** Drops every module of this repository (not its dependencies) from the require cache. */
function forgetRepositoryModules(): void {
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(ROOT + path.sep) && !file.includes(NODE_MODULES)) delete require.cache[file];
  }
}

async function main(): Promise<void> {
  const [stack, configsFile, outDir] = process.argv.slice(2);
  if (!stack || !configsFile || !outDir) throw new Error("usage: plan-batch-runner.ts <stack> <configs JSON file> <out dir>");
  const configs = JSON.parse(readFileSync(configsFile, "utf8")) as Array<{ values: Record<string, string>; secretKeys: string[] }>;
  for (const [index, config] of configs.entries()) {
    forgetRepositoryModules();
    // A fresh copy of the plan and everything it imports from this repository (see the header).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildPlanFromConfig } = require("../../cli/plan/build-plan") as typeof BuildPlan;
    try {
      const plan = await buildPlanFromConfig(ROOT, stack, "stakepool", { values: config.values, secretKeys: new Set(config.secretKeys) });
      writeFileSync(path.join(outDir, `${index}.json`), JSON.stringify(Object.fromEntries(plan.files)));
    } catch (error) {
      process.stderr.write(`plan ${index} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(3);
});
