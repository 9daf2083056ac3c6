/**
 * From raw stack config to everything the pool is made of: the checked model, the releases its hosts
 * run, its identity and what each host receives; or a ConfigurationError listing every problem. The
 * program and the plan call this same function, so what the plan shows is what a deployment creates.
 */
import { signerInput } from "../features/mithril-signer/index";
import { signerMetricsIp } from "../features/mithril-signer/input";
import { loadMonitoring } from "../features/monitoring/load";
import { checkMithrilSigner, runsMithrilSigner } from "../pool/mithril-signer";
import { ConfigurationError, Findings, type Problem, type Warning } from "../config/problems";
import { readSettings, type RawConfig } from "../config/read";
import { fullKey, SETTINGS, type Settings } from "../config/settings";
import { checkAdminCidrs } from "../firewall/admin-cidrs";
import { coldSeedsInConfig, refuseColdMaterialInConfig } from "../keys/cold";
import { coldVerificationKeyOf } from "../keys/opcert";
import { poolOf, type PoolModel } from "../model/pool";
import { NETWORKS } from "../networks/networks";
import { resolveReleases } from "../node/pins";
import { loadIdentity } from "../pool/identity";
import type { LoadedPool } from "../pool/loaded";
import { loadPoolPeers } from "../pool/peers";
import { checkStackName, longestAwsHost } from "../pool/stack-name";
import { placeOnAws, type AwsPlacement } from "../backends/aws/placement";
import { placeOnSsh, type SshPlacement } from "../backends/ssh/placement";

/** Where the hosts are: placed on AWS by the kit, or the operator's own servers. */
export type Placement = AwsPlacement | SshPlacement;

/** A loaded pool and where its hosts are. */
export interface PoolPlan extends LoadedPool {
  readonly backend: Placement;
}

export interface PlacedPool {
  readonly model: PoolModel | undefined;
  readonly placement: Placement | undefined;
  readonly findings: Findings;
}

/** The pool's hosts, placed by the backend, and its cloud-neutral model. */
export function placePool(settings: Settings, region: string | undefined, stack: string, options: { readonly deploying: boolean } = { deploying: false }): PlacedPool {
  const findings = new Findings();
  const network = NETWORKS[settings.network];
  if (settings.backend === "aws" && region === undefined) return { model: undefined, placement: undefined, findings };
  const placed = settings.backend === "aws" ? placeOnAws(settings, region!, network) : placeOnSsh(settings, network, options);
  const admin = checkAdminCidrs(settings.adminCidrs, network.name, { vpcCidr: settings.vpcCidr });
  checkMithrilSigner(settings, findings);
  findings.absorb(admin.findings);
  findings.absorb(placed.findings);
  const { hosts, placement } = placed;
  if (!hosts || !placement || findings.problems.length > 0) return { model: undefined, placement: undefined, findings };
  const model = poolOf(
    {
      stack,
      network,
      adminCidrs: admin.cidrs,
      // On AWS the operator's key is every login user's only key; own servers keep theirs.
      authorizedKey: placement.kind === "aws" ? placement.sshPublicKey : undefined,
      protect: network.name === "mainnet",
      relayConnectionLimit: settings.relayConnectionLimit,
      location: placement.kind === "aws" ? placement.region : "own-servers",
      mithrilSigner: runsMithrilSigner(settings, network.name),
    },
    hosts,
  );
  return { model, placement, findings };
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

export function loadPool(raw: RawConfig, stack: string, options: LoadOptions): PoolPlan {
  const findings = new Findings();
  // Before anything else: a cold key anywhere in config is refused, under any setting name, and also as
  // bare hex when the certificate says which key is the pool's cold key (components/keys/cold-seed.ts).
  const cold = new Findings();
  const coldKey = coldVerificationKeyOf(raw.values[fullKey("operationalCertificate")]);
  const structured = (name: string) => {
    const spec = (SETTINGS as Record<string, { type: string } | undefined>)[name.slice(name.indexOf(":") + 1)];
    return name.startsWith(fullKey("")) && (spec?.type === "object" || spec?.type === "array" || spec?.type === "records");
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
  const serverNames = (settings?.servers ?? []).flatMap((s) => (typeof s === "object" && s !== null && "name" in s && typeof s.name === "string" ? [s.name] : []));
  const longestHost = settings?.backend === "ssh" ? serverNames.reduce((a, b) => (b.length > a.length ? b : a), "core") : longestAwsHost(settings?.relays ?? 1);
  checkStackName(stack, longestHost, findings);
  if (settings && (read.region || settings.backend === "ssh")) {
    // With some settings unreadable, this still runs on the rest so that every problem is reported at once.
    const reported = new Set([...read.findings.problems, ...cold.problems].map((p) => p.setting));
    const fresh = (f: Findings) =>
      quiet({
        problems: f.problems.filter((p) => !reported.has(p.setting) && !reported.has(p.setting.replace(/\[\d+\]$/, ""))),
        warnings: f.warnings,
      });
    const { model, placement, findings: placing } = placePool(settings, read.region, stack, { deploying: options.deploying ?? false });
    findings.absorb(fresh(placing));
    if (model && placement) {
      const { network } = model;
      const releases = resolveReleases(settings, network, { deploying: options.deploying ?? false, mithrilSigner: model.mithrilSigner });
      findings.absorb(fresh(releases.findings));
      const identity = loadIdentity({ settings, model, now: options.now, hosting: placement.kind === "aws" ? { s3Region: placement.region } : undefined });
      findings.absorb(fresh(identity.findings));
      const peers = loadPoolPeers(model, settings, {
        baseDir: options.baseDir,
        ticker: identity.identity.metadata?.file.metadata.ticker,
        // The pool's own relays are never drawn as its community peers.
        ownAddresses:
          placement.kind === "aws"
            ? [...placement.relayDnsNames.values()]
            : [...placement.servers.values()].flatMap((s) => (s.publicAddress === undefined ? [] : [s.publicAddress])),
      });
      findings.absorb(fresh(peers.findings));
      const watching = new Findings();
      const signer = signerInput({ model, releases: releases.releases, identity: identity.identity });
      const monitoring = loadMonitoring(
        settings,
        model,
        identity.identity,
        placement.kind === "aws" ? { region: placement.region } : undefined,
        watching,
        signer === undefined ? undefined : { host: model.core.name, privateIp: signerMetricsIp(signer) },
      );
      findings.absorb(fresh(watching));
      findings.throwIfAny();
      if (read.settings && peers.peers) {
        return {
          settings: read.settings,
          model,
          releases: releases.releases,
          identity: identity.identity,
          peers: peers.peers,
          monitoring,
          warnings: findings.warnings,
          backend: placement,
        };
      }
    }
  }
  findings.throwIfAny();
  throw new Error("the pool could not be loaded, yet no problem was reported");
}

export { ConfigurationError };
