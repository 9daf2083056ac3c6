/**
 * Runs one plan in this process and prints its files as JSON. Tests spawn it, because the Pulumi
 * runtime allows one program run per process.
 * usage: tsx test/helpers/plan-runner.ts <stack> <raw config as JSON>
 */
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { buildPlanFromConfig } from "../../cli/plan/build-plan";
import { ConfigurationError } from "../../components/config/problems";

const [stack, configJson] = process.argv.slice(2);
const parsed = JSON.parse(configJson!) as { values: Record<string, string>; secretKeys: string[] };
buildPlanFromConfig(path.resolve(__dirname, "../.."), stack!, "stakepool", {
  values: parsed.values,
  secretKeys: new Set(parsed.secretKeys),
})
  .then((plan) => process.stdout.write(JSON.stringify(Object.fromEntries(plan.files))))
  .catch((error: unknown) => {
    // As cli/plan.ts: an operator's mistake is its message (exit 1); anything else is a bug, with its trace (exit 3).
    if (error instanceof ConfigurationError || pulumi.RunError.isInstance(error)) {
      process.stderr.write(error.message);
      process.exit(1);
    }
    process.stderr.write(`The plan failed unexpectedly (a bug in the kit):\n${error instanceof Error ? error.stack : String(error)}`);
    process.exit(3);
  });
