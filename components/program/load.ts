/**
 * From raw stack config to everything the pool is made of: the checked model, the releases its hosts
 * run, its identity and what each host receives; or a ConfigurationError listing every problem. The
 * program and the plan call this same function, so what the plan shows is what a deployment creates.
 */
import { ConfigurationError, Findings, type Problem, type Warning } from "../config/problems";
import { readSettings, type RawConfig } from "../config/read";
import { fullKey, SETTINGS, type Settings } from "../config/settings";
import { coldSeedsInConfig, refuseColdMaterialInConfig } from "../keys/cold";
import { coldVerificationKeyOf } from "../keys/cold-seed";
import { resolveReleases, type NodeReleases } from "../node/pins";
import { loadIdentity, type PoolIdentity } from "../pool/identity";
import { checkStackName } from "../pool/stack-name";
import { buildPoolModel, type PoolModel } from "../model/pool";
import { loadPoolPeers, type PoolPeers } from "../pool/peers";

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
  // Before anything else: a cold key anywhere in config is refused, under any setting name, and also as
  // bare hex when the certificate says which key is the pool's cold key (components/keys/cold-seed.ts).
  const cold = new Findings();
  const coldKey = coldVerificationKeyOf(raw.values[fullKey("operationalCertificate")]);
  const structured = (name: string) => {
    const spec = (SETTINGS as Record<string, { type: string } | undefined>)[name.slice(name.indexOf(":") + 1)];
    return name.startsWith(fullKey("")) && (spec?.type === "object" || spec?.type === "array");
  };
  refuseColdMaterialInConfig(raw.values, cold, { coldVerificationKey: coldKey, structured });
  const coldSettings = new Set(cold.problems.map((p) => p.setting));
  findings.absorb(cold);
  // No other message may quote a cold key: one that would is dropped (the cold problem stands for it).
  const seeds = coldSeedsInConfig(raw.values, coldKey);
  const quiet = (f: { readonly problems: readonly Problem[]; readonly warnings: readonly Warning[] }) => ({
    problems: f.problems.filter((p) => !seeds.some((s) => `${p.message} ${p.fix}`.toLowerCase().includes(s))),
    warnings: f.warnings.filter((w) => !seeds.some((s) => w.message.toLowerCase().includes(s))),
  });

  const read = readSettings(raw, options);
  // A cold key under a made-up name is reported once, as a cold key.
  findings.absorb(quiet({ problems: read.findings.problems.filter((p) => !coldSettings.has(p.setting)), warnings: read.findings.warnings }));
  const settings = read.settings ?? read.bestEffort;
  checkStackName(stack, settings?.relays ?? 1, findings);
  if (settings && read.region) {
    // With some settings unreadable, this still runs on the rest so that every problem is reported at once.
    const reported = new Set([...read.findings.problems, ...cold.problems].map((p) => p.setting));
    const fresh = (f: Findings) =>
      quiet({
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
