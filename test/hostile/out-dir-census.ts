/**
 * Runs every hostile `--out` case (out-dir-cases.ts) in sandboxes and prints the counts, for this
 * working tree or, with `--commit <sha>`, for an earlier kit (unguarded: its own behaviour is measured,
 * except the cases that would reach outside the sandbox).
 * usage: tsx test/hostile/out-dir-census.ts [--commit <sha>]
 */
import type { Verdict } from "./judge";
import fs from "node:fs";
import { judgeOutDir, makeSandbox, OUT_DIR_CASES } from "./out-dir-cases";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const commit = args.includes("--commit") ? args[args.indexOf("--commit") + 1] : undefined;
  const verdicts: Verdict[] = [];
  // This working tree's kit is guarded and deletes nothing: its cases share one sandbox. An earlier kit
  // gets a fresh sandbox per case, since it may delete the last one.
  const shared = commit === undefined ? makeSandbox() : undefined;
  try {
    for (const c of OUT_DIR_CASES) verdicts.push(await judgeOutDir(c, { commit, guard: commit === undefined, ...(shared ? { sandbox: shared } : {}) }));
  } finally {
    if (shared) fs.rmSync(shared.box, { recursive: true, force: true });
  }
  const count = (o: string) => verdicts.filter((v) => v.outcome === o).length;
  process.stdout.write(`out-dir: ${verdicts.length} cases, ${count("clean")} clean, ${count("wrongly accepted")} wrongly accepted, ${count("crashed or unclear")} crashed or unclear\n`);
  for (const v of verdicts) process.stdout.write(`- [${v.outcome}] ${v.id} (${Math.round(v.ms)} ms${v.printed.replace(/^[^[]*/, " ")})${v.why.length ? `: ${v.why.join("; ")}` : ""}\n`);
}

void main();
