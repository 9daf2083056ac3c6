/**
 * From raw stack config to everything the pool is made of: the checked model, the releases its hosts
 * run, its identity and what each host receives; or a ConfigurationError listing every problem. The
 * program and the plan call this same function, so what the plan shows is what a deployment creates.
 */
import { ConfigurationError, Findings, type Warning } from "../config/problems";
import { readSettings, type RawConfig } from "../config/read";
import type { Settings } from "../config/settings";
import { refuseColdMaterialInConfig } from "../keys/cold";
import { resolveReleases, type NodeReleases } from "../node/pins";
import { loadIdentity, type PoolIdentity } from "./identity";
import { buildPoolModel, type PoolModel } from "./model";
import { loadPoolPeers, type PoolPeers } from "./peers";

export interface LoadedPool {
  readonly settings: Settings;
  readonly model: PoolModel;
  readonly releases: NodeReleases;
  readonly identity: PoolIdentity;
  readonly peers: PoolPeers;
  readonly warnings: readonly Warning[];
}

export interface LoadOptions {
  /** Under `npm run plan` (see components/config/mode.ts). */
  readonly plan?: boolean;
  /** A real `pulumi up`: not a preview and not the plan. Some warnings become errors then. */
  readonly deploying?: boolean;
  /** The Pulumi project folder: relative file settings (a peer snapshot) are read from it. */
  readonly baseDir: string;
  /** The deploy time: the operational certificate is checked against it. */
  readonly now: Date;
}

export function loadPool(raw: RawConfig, stack: string, options: LoadOptions): LoadedPool {
  const findings = new Findings();
  // Before anything else: a cold key anywhere in config is refused, under any setting name.
  const cold = new Findings();
  refuseColdMaterialInConfig(raw.values, cold);
  const coldSettings = new Set(cold.problems.map((p) => p.setting));
  findings.absorb(cold);

  const read = readSettings(raw, options);
  // A cold key under a made-up name is reported once, as a cold key.
  findings.absorb({ problems: read.findings.problems.filter((p) => !coldSettings.has(p.setting)), warnings: read.findings.warnings });
  const settings = read.settings ?? read.bestEffort;
  if (settings && read.region) {
    // With some settings unreadable, this still runs on the rest so that every problem is reported at once.
    const reported = new Set([...read.findings.problems, ...cold.problems].map((p) => p.setting));
    const fresh = (f: Findings) => ({
      problems: f.problems.filter((p) => !reported.has(p.setting) && !reported.has(p.setting.replace(/\[\d+\]$/, ""))),
      warnings: f.warnings,
    });
    const built = buildPoolModel({ settings, region: read.region, stack });
    findings.absorb(fresh(built.findings));
    if (built.model) {
      const releases = resolveReleases(settings, built.model.network, { deploying: options.deploying ?? false });
      findings.absorb(fresh(releases.findings));
      const identity = loadIdentity({ settings, model: built.model, now: options.now });
      findings.absorb(fresh(identity.findings));
      const peers = loadPoolPeers(built.model, settings, {
        baseDir: options.baseDir,
        ticker: identity.identity.metadata?.file.metadata.ticker,
        ownAddresses: [...identity.identity.relayDnsNames.values()],
      });
      findings.absorb(fresh(peers.findings));
      findings.throwIfAny();
      if (read.settings && peers.peers) {
        return {
          settings: read.settings,
          model: built.model,
          releases: releases.releases,
          identity: identity.identity,
          peers: peers.peers,
          warnings: findings.warnings,
        };
      }
    }
  }
  findings.throwIfAny();
  throw new Error("the pool could not be loaded, yet no problem was reported");
}

export { ConfigurationError };
