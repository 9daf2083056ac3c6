/**
 * What a plan costs the test suite: the same config planned N times, each in its own process (as
 * `planWith` does) and all in one process (test/helpers/plan-batch-runner.ts, as `planEach` does for
 * test/plan/setting-changes.test.ts). Reports wall milliseconds per plan, run one after another.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readProject, readStackConfig } from "../cli/plan/stack-file";

const ROOT = path.resolve(__dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

function elapsedMs(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function benchTestPlans(plans: number): Record<string, number> {
  const config = readStackConfig(readProject(ROOT), "preview");
  const payload = { values: config.values, secretKeys: [...config.secretKeys] };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-test-plans-"));
  try {
    const single = () => execFileSync(TSX, [path.join(ROOT, "test/helpers/plan-runner.ts"), "preview", JSON.stringify(payload)], { cwd: ROOT, stdio: "ignore", maxBuffer: 64 * 1024 * 1024 });
    single(); // warm the file cache and tsx's transform cache
    const own = elapsedMs(() => {
      for (let i = 0; i < plans; i++) single();
    });
    const configs = path.join(dir, "configs.json");
    fs.writeFileSync(configs, JSON.stringify(Array.from({ length: plans }, () => payload)));
    const batch = elapsedMs(() => execFileSync(TSX, [path.join(ROOT, "test/helpers/plan-batch-runner.ts"), "preview", configs, dir], { cwd: ROOT, stdio: "ignore" }));
    return {
      [`test plans, each in its own process, ms per plan (${plans} plans)`]: Math.round(own / plans),
      [`test plans, ${plans} in one process, ms per plan`]: Math.round(batch / plans),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
