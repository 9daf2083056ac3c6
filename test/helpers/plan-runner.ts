/**
 * Runs one plan in this process and prints its files as JSON. Tests spawn it, because the Pulumi
 * runtime allows one program run per process.
 * usage: tsx test/helpers/plan-runner.ts <stack> <raw config as JSON>
 */
import path from "node:path";
import { buildPlanFromConfig } from "../../cli/plan/build-plan";

const [stack, configJson] = process.argv.slice(2);
const parsed = JSON.parse(configJson!) as { values: Record<string, string>; secretKeys: string[] };
buildPlanFromConfig(path.resolve(__dirname, "../.."), stack!, "stakepool", {
  values: parsed.values,
  secretKeys: new Set(parsed.secretKeys),
})
  .then((plan) => process.stdout.write(JSON.stringify(Object.fromEntries(plan.files))))
  .catch((error: unknown) => {
    process.stderr.write(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
