/** Helpers to run the plan in a child process (one Pulumi program run per process). */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { RawConfig } from "../../components/config/read";

export const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const run = promisify(execFile);

export interface PlanFiles {
  readonly [file: string]: string;
}

export interface ResourceEntry {
  readonly type: string;
  readonly name: string;
  readonly id: string | null;
  readonly parent: string | null;
  readonly options?: Record<string, unknown>;
  readonly inputs: Record<string, unknown>;
}

/** Plans `config` in a child process; `now` fixes the clock the certificate is checked against. */
export async function planWith(stack: string, config: RawConfig, now?: string): Promise<PlanFiles> {
  const payload = JSON.stringify({ values: config.values, secretKeys: [...config.secretKeys] });
  const { stdout } = await run(TSX, [path.join(ROOT, "test/helpers/plan-runner.ts"), stack, payload], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...(now ? { STAKEPOOL_NOW: now } : {}) },
  });
  return JSON.parse(stdout) as PlanFiles;
}

/** Runs the plan and expects it to fail; returns what it printed. */
export async function planFailure(stack: string, config: RawConfig, now?: string): Promise<string> {
  try {
    await planWith(stack, config, now);
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
  throw new Error("the plan succeeded but was expected to fail");
}

export function resourcesOf(files: PlanFiles): ResourceEntry[] {
  return JSON.parse(files["resources.json"]!) as ResourceEntry[];
}

/** Runs `npm run plan` exactly as an operator would. */
export async function planCli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, [path.join(ROOT, "cli/plan.ts"), ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}
