/**
 * Runs every hostile config case (cases.ts) through the kit in this one process and prints the verdicts
 * as JSON, with the process's peak memory; `--summary` prints the counts per area instead.
 * usage: tsx test/hostile/census.ts [--summary] [--only <id substring>]
 */
import { CONFIG_CASES } from "./cases";
import { judge, type Outcome, type Verdict } from "./judge";

export interface Census {
  readonly verdicts: readonly Verdict[];
  /** Peak resident memory of the process that judged every case, in KiB. */
  readonly maxRssKiB: number;
}

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const verdicts = CONFIG_CASES.filter((c) => only === undefined || c.id.includes(only)).map(judge);
const census: Census = { verdicts, maxRssKiB: process.resourceUsage().maxRSS };

if (args.includes("--summary")) {
  const outcomes: Outcome[] = ["clean", "wrongly accepted", "crashed or unclear"];
  const areas = [...new Set(verdicts.map((v) => v.area))];
  const lines = [`| area | cases | ${outcomes.join(" | ")} |`, `| --- | --- | ${outcomes.map(() => "---").join(" | ")} |`];
  for (const area of [...areas, undefined]) {
    const of = verdicts.filter((v) => area === undefined || v.area === area);
    lines.push(`| ${area ?? "all"} | ${of.length} | ${outcomes.map((o) => of.filter((v) => v.outcome === o).length).join(" | ")} |`);
  }
  process.stdout.write(`${lines.join("\n")}\n\npeak RSS ${Math.round(census.maxRssKiB / 1024)} MiB\n`);
  for (const v of verdicts.filter((x) => x.outcome !== "clean")) process.stdout.write(`- [${v.outcome}] ${v.id}: ${v.why.join("; ")}\n`);
} else {
  process.stdout.write(JSON.stringify(census));
}
