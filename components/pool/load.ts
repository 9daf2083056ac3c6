/**
 * From raw stack config to everything the pool is made of: the checked model and what each host
 * receives (topologies, ...), or a ConfigurationError listing every problem. The program and the plan
 * call this same function, so what the plan shows is what a deployment creates.
 */
import { ConfigurationError, Findings, type Warning } from "../config/problems";
import { readSettings, type RawConfig } from "../config/read";
import type { Settings } from "../config/settings";
import { buildPoolModel, type PoolModel } from "./model";
import { loadPoolPeers, type PoolPeers } from "./peers";

export interface LoadedPool {
  readonly settings: Settings;
  readonly model: PoolModel;
  readonly peers: PoolPeers;
  readonly warnings: readonly Warning[];
}

export interface LoadOptions {
  /** Under `npm run plan` (see components/config/mode.ts). */
  readonly plan?: boolean;
  /** The Pulumi project folder: relative file settings (a peer snapshot) are read from it. */
  readonly baseDir: string;
}

/** The metadata ticker as configured, if it is a plausible one (its full check belongs to the metadata). */
function configuredTicker(settings: Settings): string | undefined {
  const ticker = settings.metadata.ticker;
  return typeof ticker === "string" && ticker.trim() !== "" ? ticker.trim() : undefined;
}

export function loadPool(raw: RawConfig, stack: string, options: LoadOptions): LoadedPool {
  const findings = new Findings();
  const read = readSettings(raw, options);
  findings.absorb(read.findings);
  const settings = read.settings ?? read.bestEffort;
  if (settings && read.region) {
    // With some settings unreadable, this still runs on the rest so that every problem is reported at once.
    const built = buildPoolModel({ settings, region: read.region, stack });
    const reported = new Set(read.findings.problems.map((p) => p.setting));
    const isReported = (setting: string) => reported.has(setting) || reported.has(setting.replace(/\[\d+\]$/, ""));
    findings.absorb({ problems: built.findings.problems.filter((p) => !isReported(p.setting)), warnings: built.findings.warnings });
    if (built.model) {
      const peers = loadPoolPeers(built.model, settings, { baseDir: options.baseDir, ticker: configuredTicker(settings) });
      findings.absorb(peers.findings);
      findings.throwIfAny();
      if (read.settings && peers.peers) {
        return { settings: read.settings, model: built.model, peers: peers.peers, warnings: findings.warnings };
      }
    }
  }
  findings.throwIfAny();
  throw new Error("the pool could not be loaded, yet no problem was reported");
}

export { ConfigurationError };
