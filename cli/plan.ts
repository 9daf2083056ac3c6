/**
 * `npm run plan -- --stack <name> [--out <dir>] [--config key=value ...]`: everything a deployment of
 * the stack would contain, without a cloud account. Prints plan.md and writes the plan's files (default:
 * out/<stack>/). `--config key=value` overrides a stack setting for this plan only, as plain text, exactly
 * like `pulumi preview -c` (which, like the plan, then refuses text for a list setting: change lists and
 * mappings in the stack file).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { ConfigurationError } from "../components/config/problems";
import { printable } from "../components/config/text";
import { buildPlan } from "./plan/build-plan";
import { changesAgainst, readEarlierPlan } from "./plan/against";
import { renderChanges } from "./plan/changes";
import { checkOutDir, writePlanOutput } from "./plan/out-dir";

const ROOT = path.resolve(__dirname, "..");

// The Pulumi SDK captures a stack trace for every resource and every promise it tracks; with tsx's
// source maps on, each capture is translated back to TypeScript, which was a quarter of the plan's
// time per relay. A plan never shows those traces, so it runs without the translation.
process.setSourceMapsEnabled(false);

function usage(message: string): never {
  process.stderr.write(`${printable(message)}\nusage: npm run plan -- --stack <preview|preprod|mainnet|...> [--out <dir>] [--config <key>=<value> ...]\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { stack?: string; out?: string; config?: string[]; against?: string; "refuse-data-loss"?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        stack: { type: "string" },
        out: { type: "string" },
        config: { type: "string", short: "c", multiple: true },
        against: { type: "string" },
        "refuse-data-loss": { type: "boolean" },
      },
      strict: true,
    }));
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  if (!values.stack) usage("--stack is required");
  const out = values.out ?? path.join(ROOT, "out", values.stack);
  // Refused before the plan runs: --out never names what the kit did not write (cli/plan/out-dir.ts).
  checkOutDir(out, process.cwd(), ROOT);

  const overrides: Record<string, string> = {};
  for (const pair of values.config ?? []) {
    const at = pair.indexOf("=");
    if (at <= 0) usage(`--config takes key=value (got ${JSON.stringify(pair)})`);
    overrides[pair.slice(0, at)] = pair.slice(at + 1);
  }
  if (values["refuse-data-loss"] && !values.against) usage("--refuse-data-loss needs --against <earlier plan output>");
  const earlier = values.against === undefined ? undefined : readEarlierPlan(path.resolve(values.against));
  const plan = await buildPlan(ROOT, values.stack, overrides);
  const report = earlier === undefined ? undefined : changesAgainst(earlier, plan);
  const files = report === undefined ? plan.files : new Map([...plan.files, ["changes.md", renderChanges(values.stack, report)]]);
  const written = writePlanOutput(out, process.cwd(), ROOT, files);
  process.stdout.write(files.get(report === undefined ? "plan.md" : "changes.md") ?? "");
  process.stdout.write(`\nWrote ${files.size} files to ${printable(path.relative(process.cwd(), written) || ".")}/\n`);
  if (report?.dataLoss && values["refuse-data-loss"]) {
    process.stderr.write("The change replaces or deletes chain data or an address registered on chain (see changes.md); refused.\n");
    process.exit(4);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  if (pulumi.RunError.isInstance(error)) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`The plan failed unexpectedly (a bug in the kit, not in your stack):\n${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(3);
});
