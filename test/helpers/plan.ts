/**
 * Helpers to run the plan in child processes: one plan per process (planWith, planCli), or a share of
 * many plans per process with every module of the repository loaded afresh for each (planEach).
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
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

/**
 * Plans every config of one stack, in `processes` child processes each running its share one after
 * another (test/helpers/plan-batch-runner.ts: the same plans as planWith's, without loading the
 * dependencies once per plan). Results in the order of `configs`; a failed plan fails the call, naming it.
 */
export async function planEach(stack: string, configs: readonly RawConfig[], options: { labels?: readonly string[]; processes?: number } = {}): Promise<PlanFiles[]> {
  const processes = options.processes ?? 2;
  const dir = mkdtempSync(path.join(os.tmpdir(), "plan-each-"));
  try {
    const shares = Array.from({ length: Math.min(processes, configs.length) }, (_, p) => configs.map((_, i) => i).filter((i) => i % processes === p));
    await Promise.all(
      shares.map(async (indices, p) => {
        const share = path.join(dir, `share-${p}`);
        writeFileSync(`${share}.json`, JSON.stringify(indices.map((i) => ({ values: configs[i]!.values, secretKeys: [...configs[i]!.secretKeys] }))));
        mkdirSync(share);
        try {
          await run(TSX, [path.join(ROOT, "test/helpers/plan-batch-runner.ts"), stack, `${share}.json`, share], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
        } catch (error) {
          const stderr = String((error as { stderr?: string }).stderr ?? error);
          const failed = /^plan (\d+) failed/m.exec(stderr);
          const index = failed ? indices[Number(failed[1])]! : undefined;
          const which = index === undefined ? "a config" : (options.labels?.[index] ?? `config ${index}`);
          throw new Error(`${stack}: the plan of ${which} failed:\n${stderr}`, { cause: error });
        }
      }),
    );
    return configs.map((_, i) => {
      const p = i % processes;
      const position = shares[p]!.indexOf(i);
      return JSON.parse(readFileSync(path.join(dir, `share-${p}`, `${position}.json`), "utf8")) as PlanFiles;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
