/**
 * What the kit knows about each Cardano network it can deploy to.
 *
 * Sources (see ../shared/facts/cardano.md): cardano-node 11.0.x configuration and iohk-nix cardano-lib
 * (magic, bootstrap peers, useLedgerAfterSlot, consensus mode), the Shelley genesis files (slot and KES
 * timing), the node 11.1 release notes and developer portal (hardware), mithril networks.json (aggregators).
 */

export const NETWORK_NAMES = ["mainnet", "preprod", "preview"] as const;
export type NetworkName = (typeof NETWORK_NAMES)[number];

export interface HostPeer {
  readonly address: string;
  readonly port: number;
}

/** Hardware that really runs a node on this network today, per host. */
export interface HardwareRecommendation {
  readonly memoryGiB: number;
  readonly dataDiskGiB: number;
  readonly vcpus: number;
}

/** Sizes the kit picks when the operator leaves a size setting on 0 (a cloud backend's host types are its own). */
export interface HardwareDefaults {
  readonly dataDiskGiB: number;
}

export interface ShelleyTiming {
  /** Absolute slot number of the first Shelley slot. */
  readonly firstShelleySlot: number;
  /** Unix time (seconds) at which the first Shelley slot starts. */
  readonly firstShelleyTime: number;
  /** Seconds per slot after Byron. */
  readonly slotLengthSeconds: number;
  readonly slotsPerKesPeriod: number;
  readonly maxKesEvolutions: number;
}

export interface NetworkProfile {
  readonly name: NetworkName;
  readonly magic: number;
  /** Bootstrap peers a relay uses until it has synced (all port 3001). */
  readonly bootstrapPeers: readonly HostPeer[];
  /** Relays use ledger peers after this slot. */
  readonly useLedgerAfterSlot: number;
  readonly consensusMode: "PraosMode" | "GenesisMode";
  readonly timing: ShelleyTiming;
  readonly recommended: HardwareRecommendation;
  readonly defaults: HardwareDefaults;
  readonly mithrilAggregator: string;
  /** Folder name of the network's Mithril configuration (and of its pinned verification keys). */
  readonly mithrilRelease: string;
}

/** The pool-operator documentation's floor. It holds on every network and cannot be switched off. */
export const HARDWARE_FLOOR = { memoryGiB: 4, dataDiskGiB: 24 } as const;

const KES = { slotsPerKesPeriod: 129600, maxKesEvolutions: 62, slotLengthSeconds: 1 } as const;

const TESTNET_RECOMMENDED: HardwareRecommendation = { memoryGiB: 8, dataDiskGiB: 50, vcpus: 2 };
const TESTNET_DEFAULTS: HardwareDefaults = { dataDiskGiB: 50 };

export const NETWORKS: Readonly<Record<NetworkName, NetworkProfile>> = {
  mainnet: {
    name: "mainnet",
    magic: 764824073,
    bootstrapPeers: [
      { address: "backbone.cardano.iog.io", port: 3001 },
      { address: "backbone.mainnet.cardanofoundation.org", port: 3001 },
      { address: "backbone.mainnet.emurgornd.com", port: 3001 },
    ],
    useLedgerAfterSlot: 185500763,
    consensusMode: "PraosMode",
    timing: { firstShelleySlot: 4492800, firstShelleyTime: 1596059091, ...KES },
    // 24 GB RAM for the in-memory ledger; 300 GB free disk (DB was 203 GB in 2025-05); 2+ cores = 4 vCPUs.
    recommended: { memoryGiB: 24, dataDiskGiB: 300, vcpus: 4 },
    // r6i.xlarge: 4 vCPUs, 32 GiB, not burstable. 350 GiB is the recommended disk with headroom.
    defaults: { dataDiskGiB: 350 },
    mithrilAggregator: "https://aggregator.release-mainnet.api.mithril.network/aggregator",
    mithrilRelease: "release-mainnet",
  },
  preprod: {
    name: "preprod",
    magic: 1,
    bootstrapPeers: [{ address: "preprod-node.play.dev.cardano.org", port: 3001 }],
    useLedgerAfterSlot: 121478354,
    consensusMode: "GenesisMode",
    timing: { firstShelleySlot: 86400, firstShelleyTime: 1655769600, ...KES },
    recommended: TESTNET_RECOMMENDED,
    defaults: TESTNET_DEFAULTS,
    mithrilAggregator: "https://aggregator.release-preprod.api.mithril.network/aggregator",
    mithrilRelease: "release-preprod",
  },
  preview: {
    name: "preview",
    magic: 2,
    bootstrapPeers: [{ address: "preview-node.play.dev.cardano.org", port: 3001 }],
    useLedgerAfterSlot: 110678393,
    consensusMode: "GenesisMode",
    timing: { firstShelleySlot: 0, firstShelleyTime: 1666656000, ...KES },
    recommended: TESTNET_RECOMMENDED,
    defaults: TESTNET_DEFAULTS,
    mithrilAggregator: "https://aggregator.pre-release-preview.api.mithril.network/aggregator",
    mithrilRelease: "pre-release-preview",
  },
};

export function isNetworkName(value: string): value is NetworkName {
  return (NETWORK_NAMES as readonly string[]).includes(value);
}

/** The node's listening port on every host (the convention; `--port` has no default). */
export const NODE_PORT = 3001;
/** Prometheus metrics (new tracing system's default). */
export const METRICS_PORT = 12798;
/** mithril-signer's metrics server, upstream's default (mithril-signer `Configuration` `metrics_server_port`). */
export const MITHRIL_SIGNER_METRICS_PORT = 9090;
/** node_exporter's registered default port (prometheus/prometheus wiki "Default port allocations"). */
export const NODE_EXPORTER_PORT = 9100;
export const SSH_PORT = 22;
/** The Mithril signer's forward proxy on a relay: the port the Mithril docs recommend (run-signer-node.md). */
export const MITHRIL_PROXY_PORT = 3132;
