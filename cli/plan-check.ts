/**
 * `npm run plan:check`: fails, naming the stack, when a committed plan (plans/<stack>.md) differs from
 * a fresh one, so that every infrastructure change shows in review as a text diff.
 * `npm run plan:write` refreshes the committed plans. `--plans <dir>` checks another folder (tests).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs, promisify } from "node:util";
import { listStacks, readProject } from "./plan/stack-file";

const ROOT = path.resolve(__dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

async function freshPlan(stack: string, scratch: string): Promise<string> {
  const out = path.join(scratch, stack);
  // One process per stack: the Pulumi runtime runs one program per process.
  await promisify(execFile)(TSX, [path.join(ROOT, "cli/plan.ts"), "--stack", stack, "--out", out], { cwd: ROOT, maxBuffer: 64 << 20 });
  return fs.readFileSync(path.join(out, "plan.md"), "utf8");
}

/** The first lines where two texts differ, for the error message. */
export function firstDifferences(committed: string, fresh: string, limit = 8): string[] {
  const a = committed.split("\n");
  const b = fresh.split("\n");
  const lines: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length) && lines.length < limit * 2; i++) {
    if (a[i] === b[i]) continue;
    if (a[i] !== undefined) lines.push(`  line ${i + 1} committed: ${a[i]}`);
    if (b[i] !== undefined) lines.push(`  line ${i + 1} fresh:     ${b[i]}`);
  }
  return lines;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { write: { type: "boolean" }, plans: { type: "string" } }, strict: true });
  const write = values.write === true;
  const PLANS = path.resolve(values.plans ?? path.join(ROOT, "plans"));
  const stacks = listStacks(readProject(ROOT));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "plan-check-"));
  try {
    const fresh = await Promise.all(stacks.map(async (stack) => [stack, await freshPlan(stack, scratch)] as const));
    const stale: string[] = [];
    for (const [stack, plan] of fresh) {
      const file = path.join(PLANS, `${stack}.md`);
      if (write) {
        fs.mkdirSync(PLANS, { recursive: true });
        fs.writeFileSync(file, plan);
        continue;
      }
      const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
      if (committed === plan) continue;
      stale.push(stack);
      process.stderr.write(
        committed === undefined
          ? `plans/${stack}.md is missing.\n`
          : `plans/${stack}.md differs from a fresh plan of stack ${stack}:\n${firstDifferences(committed, plan).join("\n")}\n`,
      );
    }
    const orphans = fs.existsSync(PLANS)
      ? fs.readdirSync(PLANS).filter((f) => f.endsWith(".md") && !stacks.includes(f.slice(0, -3)))
      : [];
    if (write) {
      for (const orphan of orphans) fs.rmSync(path.join(PLANS, orphan));
      process.stdout.write(`Wrote plans/ for ${stacks.join(", ")}.\n`);
      return;
    }
    for (const orphan of orphans) process.stderr.write(`plans/${orphan} has no stack file in stacks/.\n`);
    if (stale.length > 0 || orphans.length > 0) {
      process.stderr.write(`Stale plans: ${[...stale, ...orphans].join(", ")}. Review the change, then run: npm run plan:write\n`);
      process.exit(1);
    }
    process.stdout.write(`Committed plans match for ${stacks.join(", ")}.\n`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
