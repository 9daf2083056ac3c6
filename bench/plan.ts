/**
 * Wall time of `npm run plan` as an operator runs it: the default pool (the preview stack, 2 relays)
 * and the same pool with 10 relays. Reports medians, their ratio and the cost per extra relay.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timePlan(extra: string[], runs: number): number[] {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-plan-"));
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    execFileSync("npm", ["run", "--silent", "plan", "--", "--stack", "preview", "--out", out, ...extra], { cwd: ROOT, stdio: "ignore" });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  fs.rmSync(out, { recursive: true, force: true });
  return times;
}

export function benchPlan(runs: number): Record<string, number> {
  timePlan([], 1); // warm the file cache and tsx's transform cache
  const small = median(timePlan([], runs));
  const large = median(timePlan(["--config", "stakepool:relays=10"], runs));
  return {
    "plan, default pool (2 relays), median ms": Math.round(small),
    "plan, 10 relays, median ms": Math.round(large),
    "ratio 10 relays / default": Number((large / small).toFixed(2)),
    "ms per extra relay": Math.round((large - small) / 8),
  };
}
