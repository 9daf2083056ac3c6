/** `npm run bench`: the kit's performance figures. Prints a table; `--json` prints JSON. */
import { benchPlan } from "./plan";
import { benchTestPlans } from "./test-plans";
import { benchTopology } from "./topology";

const runs = Number(process.env.BENCH_RUNS ?? 9);
const results: Record<string, number> = { ...benchTopology(), ...benchPlan(runs), ...benchTestPlans(runs) };

if (process.argv.includes("--json")) {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else {
  process.stdout.write(`plan figures: median of ${runs} runs each; test plans: mean of ${runs} plans each way\n`);
  const width = Math.max(...Object.keys(results).map((k) => k.length));
  for (const [key, value] of Object.entries(results)) process.stdout.write(`${key.padEnd(width)}  ${value}\n`);
}
