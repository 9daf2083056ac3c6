/**
 * The metric names the monitoring reads, as the pinned node release exposes them on its Prometheus
 * endpoint (the new tracing system; legacy names went blank when 11.1 removed legacy tracing).
 *
 * How a name is made (hermod-tracing trace-dispatcher 2.12.1 = 2.13.0 for this):
 * - `Cardano/Logging/Tracer/EKG.hs` `ekgTracer` (`setIt`): the configured `TraceOptionMetricsPrefix`
 *   (the node's default and every official config: `cardano.node.metrics.`) + the internal name + a suffix
 *   by kind: `IntM` → `_int` (a gauge), `CounterM` → `_counter` (a counter), `DoubleM` → `_real` (a label
 *   holding the number, exposed without a TYPE line), `PrometheusM` → none (labels, TYPE `info`).
 * - `Cardano/Logging/Prometheus/Exposition.hs` `asPrometheusMetricName`: ' ', '-' and '.' become '_',
 *   then every character outside [A-Za-z0-9_] is dropped. `PrometheusSimple nosuffix` strips one of
 *   `_int`, `_counter`, `_real` from the end (`stripSuffix`); the kit keeps the default `suffix`.
 *
 * Every internal name below is defined where ./upstream-sources (the README's table) says; the test
 * holds the upstream extract (test/fixtures/monitoring/upstream-metrics.txt).
 */

/** trace-dispatcher's metric constructors (`Cardano.Logging.Types` `Metric`). */
export type MetricKind = "IntM" | "CounterM" | "DoubleM" | "PrometheusM";

/** `TraceOptionMetricsPrefix` of the official configs (cardano-node configuration/cardano/mainnet-config.json). */
export const NODE_METRICS_PREFIX = "cardano.node.metrics.";

const SUFFIX: Readonly<Record<MetricKind, string>> = { IntM: "_int", CounterM: "_counter", DoubleM: "_real", PrometheusM: "" };

/** trace-dispatcher `asPrometheusMetricName`. */
export function asPrometheusMetricName(name: string): string {
  return name.replace(/[ .-]/g, "_").replace(/[^A-Za-z0-9_]/g, "");
}

/** The name a node exposes for a metric, with the `suffix` (default) or `nosuffix` modifier of PrometheusSimple. */
export function exposedName(kind: MetricKind, internal: string, options: { prefix?: string; suffix?: boolean } = {}): string {
  const full = `${options.prefix ?? NODE_METRICS_PREFIX}${internal}${SUFFIX[kind]}`;
  const stripped = options.suffix === false ? full.replace(/(_int|_counter|_real)$/, "") : full;
  return asPrometheusMetricName(stripped);
}

export interface NodeMetric {
  readonly kind: MetricKind;
  /** The name the node's code gives it (`asMetrics`). */
  readonly internal: string;
  /** Where it is defined: repository and file (README "Metric names" lists them). */
  readonly source: string;
}

const CN = "cardano-node cardano-node/src/Cardano/Node/Tracing/Tracers";
const ON = "ouroboros-network";
const SOURCES = {
  chainDb: `${CN}/ChainDB.hs (AddedToCurrentChain, SwitchedToAFork)`,
  consensus: `${CN}/Consensus.hs`,
  forgeLoop: `${CN}/Consensus.hs (TraceForgeEvent asMetrics)`,
  forgingStats: `${CN}/ForgingStats.hs`,
  kesInfo: `${CN}/KESInfo.hs (HotKey.KESInfo asMetrics)`,
  startup: `${CN}/Startup.hs`,
  version: `${CN}/NodeVersion.hs`,
  resources: "cardano-node bench/grafana-datasource/dashboards/node-metrics.json (trace-resources)",
  peers: `${ON} ouroboros-network/tracing/Ouroboros/Network/Tracing/PeerSelection/Governor/PeerSelectionCounters.hs`,
  connections: `${ON} ouroboros-network/framework/tracing/Ouroboros/Network/Tracing/ConnectionManager.hs`,
  inbound: `${ON} ouroboros-network/framework/tracing/Ouroboros/Network/Tracing/InboundGovernor.hs`,
} as const;

const m = (kind: MetricKind, internal: string, source: string): NodeMetric => ({ kind, internal, source });

/** The node metrics the rules and the dashboard read. */
export const NODE_METRICS = {
  // Chain: the tip this node follows.
  blockNum: m("IntM", "blockNum", SOURCES.chainDb),
  slotNum: m("IntM", "slotNum", SOURCES.chainDb),
  epoch: m("IntM", "epoch", SOURCES.chainDb),
  slotInEpoch: m("IntM", "slotInEpoch", SOURCES.chainDb),
  density: m("DoubleM", "density", SOURCES.chainDb),
  gsmState: m("IntM", "GSM.state", SOURCES.consensus),
  blockDelay: m("DoubleM", "blockfetchclient.blockdelay", SOURCES.consensus),
  blockDelayCdf1s: m("DoubleM", "blockfetchclient.blockdelay.cdfOne", SOURCES.consensus),
  blockDelayCdf3s: m("DoubleM", "blockfetchclient.blockdelay.cdfThree", SOURCES.consensus),
  blockDelayCdf5s: m("DoubleM", "blockfetchclient.blockdelay.cdfFive", SOURCES.consensus),
  // Mempool.
  txsInMempool: m("IntM", "txsInMempool", SOURCES.consensus),
  mempoolBytes: m("IntM", "mempoolBytes", SOURCES.consensus),
  // Forging (the core with keys only).
  nodeIsLeader: m("IntM", "nodeIsLeader", SOURCES.forgingStats),
  blocksForged: m("IntM", "blocksForged", SOURCES.forgingStats),
  nodeCannotForge: m("IntM", "nodeCannotForge", SOURCES.forgingStats),
  slotsMissed: m("IntM", "slotsMissed", SOURCES.forgingStats),
  leadershipChecks: m("CounterM", "Forge.about-to-lead", SOURCES.forgeLoop),
  adopted: m("CounterM", "Forge.adopted", SOURCES.forgeLoop),
  didntAdopt: m("CounterM", "Forge.didnt-adopt", SOURCES.forgeLoop),
  forgedInvalid: m("CounterM", "Forge.forged-invalid", SOURCES.forgeLoop),
  forgeStateUpdateError: m("IntM", "Forge.StateUpdateError", SOURCES.forgeLoop),
  forgingEnabled: m("IntM", "forging_enabled", SOURCES.startup),
  // KES and the operational certificate.
  remainingKesPeriods: m("IntM", "remainingKESPeriods", SOURCES.kesInfo),
  currentKesPeriod: m("IntM", "currentKESPeriod", SOURCES.kesInfo),
  opcertStartKesPeriod: m("IntM", "operationalCertificateStartKESPeriod", SOURCES.kesInfo),
  opcertExpiryKesPeriod: m("IntM", "operationalCertificateExpiryKESPeriod", SOURCES.kesInfo),
  // Peers: hot = active, warm = established - active, cold = known - established.
  knownPeers: m("IntM", "peerSelection.KnownPeers", SOURCES.peers),
  establishedPeers: m("IntM", "peerSelection.EstablishedPeers", SOURCES.peers),
  activePeers: m("IntM", "peerSelection.ActivePeers", SOURCES.peers),
  inboundConns: m("IntM", "connectionManager.inboundConns", SOURCES.connections),
  outboundConns: m("IntM", "connectionManager.outboundConns", SOURCES.connections),
  duplexConns: m("IntM", "connectionManager.duplexConns", SOURCES.connections),
  inboundHot: m("IntM", "inboundGovernor.hot", SOURCES.inbound),
  inboundWarm: m("IntM", "inboundGovernor.warm", SOURCES.inbound),
  inboundCold: m("IntM", "inboundGovernor.cold", SOURCES.inbound),
  // The process.
  startTime: m("IntM", "node.start.time", SOURCES.startup),
  residentMemory: m("IntM", "Mem.resident", SOURCES.resources),
  cpuTicks: m("IntM", "Stat.cputicks", SOURCES.resources),
  versionMajor: m("IntM", "cardano_version_major", SOURCES.version),
  versionMinor: m("IntM", "cardano_version_minor", SOURCES.version),
  versionPatch: m("IntM", "cardano_version_patch", SOURCES.version),
} as const satisfies Readonly<Record<string, NodeMetric>>;

export type NodeMetricKey = keyof typeof NODE_METRICS;

/** Exposed names by key, e.g. `N.blockNum` = `cardano_node_metrics_blockNum_int`. */
export const N: Readonly<Record<NodeMetricKey, string>> = Object.fromEntries(
  Object.entries(NODE_METRICS).map(([key, metric]) => [key, exposedName(metric.kind, metric.internal)]),
) as Record<NodeMetricKey, string>;

/**
 * `ChainDB` labels every new tip with its hash (`PrometheusM "tipBlock"`): one new series per block
 * (about 4,300 a day on mainnet), which the scrape drops before it is stored.
 */
export const TIP_BLOCK_METRIC = exposedName("PrometheusM", "tipBlock");

/**
 * mithril-signer's metrics (issue 16), as its metrics service declares them (mithril repository,
 * mithril-signer/src/metrics/service.rs, read at tag 2617.0; the pin 2630.0 is not in the mirror). The
 * names are exposed as given: internal/mithril-metric/src/metric.rs builds each with the prometheus
 * crate's `Opts::new(name, help)`, which adds no suffix. The last-epoch gauge records the Cardano epoch
 * of the signer's latest successful registration (mithril-signer/src/runtime/state_machine.rs,
 * `transition_from_unregistered_to_one_of_registered_states`), so it trails the node's epoch when a
 * registration fails.
 */
export const SIGNER_METRICS = {
  registrationLastEpoch: "mithril_signer_signer_registration_success_last_epoch",
  registrationSuccess: "mithril_signer_signer_registration_success_since_startup",
  registrationTotal: "mithril_signer_signer_registration_total_since_startup",
  signatureLastEpoch: "mithril_signer_signature_registration_success_last_epoch",
} as const;

/** node_exporter metrics the rules and the dashboard read (collectors named in ./exporter.ts). */
export const HOST_METRICS = {
  cpuSeconds: "node_cpu_seconds_total",
  memAvailable: "node_memory_MemAvailable_bytes",
  memTotal: "node_memory_MemTotal_bytes",
  oomKills: "node_vmstat_oom_kill",
  fsAvail: "node_filesystem_avail_bytes",
  fsSize: "node_filesystem_size_bytes",
  fsReadonly: "node_filesystem_readonly",
  timexOffset: "node_timex_offset_seconds",
  timexSyncStatus: "node_timex_sync_status",
  timexMaxError: "node_timex_maxerror_seconds",
  load1: "node_load1",
} as const;
