/**
 * The node settings the kit lays over the release's config.json, per host: data the plan shows
 * (hosts/<host>/node-config.json) and the node step delivers; the node's unit merges them into the
 * release's configuration before every start (scripts/node-config.py, a JSON merge patch).
 *
 * - The core: `PeerSharing: false`, keys or not. cardano-node turns peer sharing on unless forging keys
 *   are given (cardano-node `Cardano/Node/Configuration/POM.hs`), so a core started without keys would
 *   ask its relays for peers and dial strangers, exposing its address.
 * - Relays: peer-selection targets raised by the local roots the kit pins (core, siblings, community
 *   and extra peers). Local roots count inside the active, established and known targets, are promoted
 *   to their valencies whatever the targets say, and are never demoted (ouroboros-network
 *   `PeerSelection/Governor/ActivePeers.hs` `belowTargetLocal` / `aboveTargetOther`,
 *   `EstablishedPeers.hs`, `Governor/Types.hs` `peerSelectionStateToView`). With the default active target
 *   of 20 and 22 pinned hot roots no ledger or shared peer is ever promoted, and each churn cycle lowers
 *   the target by max(1, T/5) and then waits 300 s for demotions that cannot happen (cardano-diffusion
 *   `PeerSelection/Churn.hs` `decreaseActivePeers`). So, with H hot, W warm and L listed local roots:
 *   active T = max(20, H + 5, the least T with T - max(1, T div 5) >= H), so at least 5 ordinary peers
 *   are hot and churn can complete; established = max(30, T + (W - H) + 10), the default's 10 spare warm
 *   peers; known = max(150, established + 120, L), the default's room for ledger and shared peers, and
 *   never below L (`LocalRootPeers.clampToLimit` drops local roots beyond the known target).
 *   Defaults: ouroboros-network `Diffusion/Configuration.hs` `defaultDeadlineTargets` (relay).
 */
import { runsNode, type HostSpec, type PoolModel } from "../model/pool";
import { metricsListenerOverlay } from "./metrics-listener";
import { checkNodeSettings } from "./rules/node-config";
import type { PinnedRoots } from "./rules/topology";

/** Relay defaults of the peer-selection targets (cardano-node ≥ 10 sets none in its configs). */
export const RELAY_TARGET_DEFAULTS = {
  TargetNumberOfRootPeers: 60,
  TargetNumberOfKnownPeers: 150,
  TargetNumberOfEstablishedPeers: 30,
  TargetNumberOfActivePeers: 20,
} as const;

/** Ordinary (not pinned) hot peers a relay keeps at least, above its hot local roots. */
export const MIN_ORDINARY_HOT_PEERS = 5;

export type NodeSettings = Readonly<Record<string, unknown>>;

/** The churn's next active target (cardano-diffusion `Churn.hs` `decrease`). */
export function churnDecrease(target: number): number {
  return Math.max(0, target - Math.max(1, Math.floor(target / 5)));
}

/** The peer-selection targets of a relay that pins `roots`. */
export function relayTargets(roots: PinnedRoots): Record<keyof typeof RELAY_TARGET_DEFAULTS, number> {
  const d = RELAY_TARGET_DEFAULTS;
  let active = Math.max(d.TargetNumberOfActivePeers, roots.hot + MIN_ORDINARY_HOT_PEERS);
  while (churnDecrease(active) < roots.hot) active += 1;
  const established = Math.max(d.TargetNumberOfEstablishedPeers, active + (roots.warm - roots.hot) + 10);
  const known = Math.max(d.TargetNumberOfKnownPeers, established + (d.TargetNumberOfKnownPeers - d.TargetNumberOfEstablishedPeers), roots.listed);
  return {
    TargetNumberOfRootPeers: Math.min(d.TargetNumberOfRootPeers, known),
    TargetNumberOfKnownPeers: known,
    TargetNumberOfEstablishedPeers: established,
    TargetNumberOfActivePeers: active,
  };
}

/**
 * The settings for one host. `roots` is what the host's topology pins (relays only). The result is
 * checked against the node's own rules (./rules/node-config.ts); a violation is a bug in the kit.
 */
export function nodeSettingsOverlay(model: PoolModel, host: HostSpec, roots: PinnedRoots | undefined): NodeSettings {
  if (!runsNode(host)) throw new Error(`${host.name} runs no node`);
  const peers: NodeSettings =
    host.role === "core"
      ? { PeerSharing: false }
      : roots === undefined
        ? (() => {
            throw new Error(`${host.name} is a relay: its pinned local roots are needed for its targets`);
          })()
        : relayTargets(roots);
  // With a monitoring host, the metrics listener moves to the private address it scrapes (the firewall admits it alone).
  const settings: NodeSettings = model.monitor === undefined ? peers : { ...peers, ...metricsListenerOverlay(host.privateIp) };
  const problems = checkNodeSettings(settings, model.network);
  if (problems.length > 0) throw new Error(`the node settings of ${host.name} break the node's rules: ${problems.join("; ")}`);
  return settings;
}

/** Two-space JSON with sorted keys and a final newline: the bytes delivered and shown in the plan. */
export function renderNodeSettings(settings: NodeSettings): string {
  const sorted = Object.fromEntries(Object.keys(settings).sort().map((key) => [key, settings[key]]));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}
