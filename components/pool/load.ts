/**
 * From raw stack config to a checked pool model, or a ConfigurationError that lists every problem.
 * The program and the plan call this same function.
 */
import { ConfigurationError, Findings, type Warning } from "../config/problems";
import { readSettings, type RawConfig } from "../config/read";
import type { Settings } from "../config/settings";
import { buildPoolModel, type PoolModel } from "./model";

export interface LoadedPool {
  readonly settings: Settings;
  readonly model: PoolModel;
  readonly warnings: readonly Warning[];
}

export function loadPool(raw: RawConfig, stack: string): LoadedPool {
  const findings = new Findings();
  const read = readSettings(raw);
  findings.absorb(read.findings);
  const settings = read.settings ?? read.bestEffort;
  if (settings && read.region) {
    // With some settings unreadable, this still runs on the rest so that every problem is reported at once.
    const built = buildPoolModel({ settings, region: read.region, stack });
    const reported = new Set(read.findings.problems.map((p) => p.setting));
    const isReported = (setting: string) => reported.has(setting) || reported.has(setting.replace(/\[\d+\]$/, ""));
    findings.absorb({ problems: built.findings.problems.filter((p) => !isReported(p.setting)), warnings: built.findings.warnings });
    findings.throwIfAny();
    if (read.settings && built.model) return { settings: read.settings, model: built.model, warnings: findings.warnings };
  }
  findings.throwIfAny();
  throw new Error("the pool model could not be built, yet no problem was reported");
}

export { ConfigurationError };
