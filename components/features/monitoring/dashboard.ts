/**
 * The pool's Grafana dashboard, provisioned read-only: what gLiveView shows per host, for every host of
 * the pool at once and over time. Tip and sync, slot and block height, density, peers (cold, warm, hot;
 * inbound, outbound), KES periods left and the certificate's expiry date, blocks forged, adopted and lost,
 * missed leadership checks, mempool, memory, CPU, disk and clock.
 *
 * Classic dashboard JSON (Grafana's dashboard model, schemaVersion 39, which Grafana 10 to 13 read and
 * migrate); every query is PromQL against the provisioned datasource, and a test runs each one against a
 * real Prometheus. Figures from slots come from ./expressions.ts (shared with `npm run status`).
 */
import { kesExpiryMsExpr, syncExpr, tipLagExpr } from "./expressions";
import type { MonitoringInput } from "./input";
import { HOST_METRICS as H, N } from "./metrics";
import { JOBS } from "./prometheus-config";

export const DATASOURCE_UID = "stakepool-prometheus";
export const DASHBOARD_UID = "stakepool-pool";
const DATASOURCE = { type: "prometheus", uid: DATASOURCE_UID } as const;

export interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat?: string;
  readonly instant?: boolean;
  readonly format?: "table" | "time_series";
}

type Json = Record<string, unknown>;

interface PanelSpec {
  readonly type: "stat" | "timeseries" | "table" | "row";
  readonly title: string;
  readonly description?: string;
  readonly w?: number;
  readonly h?: number;
  readonly targets?: readonly Target[];
  readonly unit?: string;
  readonly decimals?: number;
  /** Ascending steps: [colour, from]; the first step starts at minus infinity. */
  readonly thresholds?: ReadonlyArray<readonly [string, number | null]>;
  readonly mappings?: Readonly<Record<string, string>>;
  readonly extra?: Json;
}

const HOST = `host=~"$host"`;
const REAL_FS = `fstype!~"tmpfs|ramfs"`;

function targets(...exprs: ReadonlyArray<readonly [string, string]>): Target[] {
  return exprs.map(([expr, legendFormat], i) => ({ refId: String.fromCharCode(65 + i), expr, legendFormat }));
}

function panels(input: MonitoringInput): PanelSpec[] {
  const tipLag = tipLagExpr(input.network, HOST);
  const sync = syncExpr(input.network, HOST);
  const kesExpiry = kesExpiryMsExpr(input.network, HOST);
  const table = (exprs: ReadonlyArray<readonly [string, string]>): Target[] =>
    exprs.map(([expr], i) => ({ refId: String.fromCharCode(65 + i), expr, instant: true, format: "table" }));
  const hostsTable: ReadonlyArray<readonly [string, string]> = [
    [`${N.blockNum}{${HOST}}`, "Block height"],
    [`${N.slotNum}{${HOST}}`, "Slot"],
    [tipLag, "Tip lag (s)"],
    [sync, "Sync %"],
    [`${N.activePeers}{${HOST}}`, "Hot peers"],
    [`${N.inboundConns}{${HOST}}`, "Inbound"],
    [`${N.outboundConns}{${HOST}}`, "Outbound"],
    [`time() - ${N.startTime}{${HOST}}`, "Up (s)"],
    [`${N.versionMajor}{${HOST}} * 10000 + ${N.versionMinor}{${HOST}} * 100 + ${N.versionPatch}{${HOST}}`, "Version (MMmmpp)"],
  ];
  return [
    { type: "row", title: "Pool" },
    {
      type: "table",
      title: "Hosts",
      description: "One row per node: its tip, how far it is behind the wall clock, its peers and how long it has run.",
      w: 24,
      h: 6,
      targets: table(hostsTable),
      extra: {
        transformations: [
          { id: "merge", options: {} },
          {
            id: "organize",
            options: {
              excludeByName: { Time: true, job: true, instance: true, forging: true, __name__: true },
              renameByName: Object.fromEntries(hostsTable.map(([, name], i) => [`Value #${String.fromCharCode(65 + i)}`, name])),
            },
          },
        ],
      },
    },
    { type: "row", title: "Chain" },
    { type: "stat", title: "Block height", targets: targets([`${N.blockNum}{${HOST}}`, "{{host}}"]), w: 6, h: 5 },
    {
      type: "stat",
      title: "Tip lag",
      description: "Seconds between the wall clock and the slot of the node's tip. A synced node stays within a minute (a block every 20 s on average).",
      targets: targets([tipLag, "{{host}}"]),
      unit: "s",
      decimals: 0,
      thresholds: [["green", null], ["orange", 120], ["red", 600]],
      w: 6,
      h: 5,
    },
    { type: "stat", title: "Sync", targets: targets([sync, "{{host}}"]), unit: "percent", decimals: 2, thresholds: [["red", null], ["orange", 99], ["green", 99.9]], w: 6, h: 5 },
    {
      type: "stat",
      title: "Epoch and slot in epoch",
      targets: targets([`max(${N.epoch}{${HOST}})`, "epoch"], [`max(${N.slotInEpoch}{${HOST}})`, "slot in epoch"]),
      w: 6,
      h: 5,
    },
    { type: "timeseries", title: "Block height", targets: targets([`${N.blockNum}{${HOST}}`, "{{host}}"]), w: 12, h: 8 },
    {
      type: "timeseries",
      title: "Chain density",
      description: "Blocks over slots in the last k blocks; about 5% (the active slot coefficient) on a healthy chain.",
      targets: targets([`100 * ${N.density}{${HOST}}`, "{{host}}"]),
      unit: "percent",
      decimals: 2,
      w: 6,
      h: 8,
    },
    {
      type: "stat",
      title: "Sync state",
      description: "The Genesis State Machine (consensus GSM): caught up, syncing, or waiting for trusted peers before syncing.",
      targets: targets([`${N.gsmState}{${HOST}}`, "{{host}}"]),
      mappings: { "0": "PreSyncing", "1": "Syncing", "2": "CaughtUp" },
      thresholds: [["red", null], ["orange", 1], ["green", 2]],
      w: 6,
      h: 8,
    },
    {
      type: "timeseries",
      title: "Block delay",
      description: "How long the latest block took to reach each node from its slot; the share of blocks that arrived within 1, 3 and 5 s.",
      targets: targets([`${N.blockDelay}{${HOST}}`, "{{host}} latest (s)"]),
      unit: "s",
      w: 12,
      h: 8,
    },
    {
      type: "timeseries",
      title: "Blocks arriving within 1 / 3 / 5 s",
      targets: targets(
        [`100 * ${N.blockDelayCdf1s}{${HOST}}`, "{{host}} 1 s"],
        [`100 * ${N.blockDelayCdf3s}{${HOST}}`, "{{host}} 3 s"],
        [`100 * ${N.blockDelayCdf5s}{${HOST}}`, "{{host}} 5 s"],
      ),
      unit: "percent",
      w: 12,
      h: 8,
    },
    { type: "row", title: "Peers" },
    {
      type: "timeseries",
      title: "Peers: hot, warm, cold",
      description: "Outbound peers by state: hot (active), warm (established, not active), cold (known, not established).",
      targets: targets(
        [`${N.activePeers}{${HOST}}`, "{{host}} hot"],
        [`${N.establishedPeers}{${HOST}} - ${N.activePeers}{${HOST}}`, "{{host}} warm"],
        [`${N.knownPeers}{${HOST}} - ${N.establishedPeers}{${HOST}}`, "{{host}} cold"],
      ),
      w: 8,
      h: 8,
    },
    {
      type: "timeseries",
      title: "Connections: inbound, outbound, duplex",
      targets: targets(
        [`${N.inboundConns}{${HOST}}`, "{{host}} inbound"],
        [`${N.outboundConns}{${HOST}}`, "{{host}} outbound"],
        [`${N.duplexConns}{${HOST}}`, "{{host}} duplex"],
      ),
      w: 8,
      h: 8,
    },
    {
      type: "timeseries",
      title: "Remote peers that hold us hot, warm, cold",
      targets: targets(
        [`${N.inboundHot}{${HOST}}`, "{{host}} hot"],
        [`${N.inboundWarm}{${HOST}}`, "{{host}} warm"],
        [`${N.inboundCold}{${HOST}}`, "{{host}} cold"],
      ),
      w: 8,
      h: 8,
    },
    { type: "row", title: "Forging (the core)" },
    {
      type: "stat",
      title: "KES periods left",
      description: "The alerts fire at 9 periods (about two weeks) and 2 (three days).",
      targets: targets([`${N.remainingKesPeriods}{${HOST}}`, "{{host}}"]),
      thresholds: [["red", null], ["orange", 3], ["green", 10]],
      w: 4,
      h: 5,
    },
    {
      type: "stat",
      title: "Operational certificate expires",
      targets: targets([kesExpiry, "{{host}}"]),
      unit: "dateTimeAsIso",
      w: 6,
      h: 5,
    },
    {
      type: "stat",
      title: "KES periods: start, now, expiry",
      targets: targets(
        [`${N.opcertStartKesPeriod}{${HOST}}`, "start"],
        [`${N.currentKesPeriod}{${HOST}}`, "now"],
        [`${N.opcertExpiryKesPeriod}{${HOST}}`, "expiry"],
      ),
      w: 6,
      h: 5,
    },
    {
      type: "stat",
      title: "Forging enabled",
      targets: targets([`${N.forgingEnabled}{${HOST}, forging="true"}`, "{{host}}"]),
      mappings: { "0": "no", "1": "yes" },
      thresholds: [["red", null], ["green", 1]],
      w: 4,
      h: 5,
    },
    {
      type: "stat",
      title: "Blocks forged: 24 h, 7 days",
      targets: targets([`increase(${N.blocksForged}{${HOST}}[1d])`, "24 h"], [`increase(${N.blocksForged}{${HOST}}[7d])`, "7 days"]),
      decimals: 0,
      w: 4,
      h: 5,
    },
    {
      type: "stat",
      title: "Since the node started: leader, forged, adopted, not adopted, could not forge",
      targets: targets(
        [`${N.nodeIsLeader}{${HOST}}`, "leader"],
        [`${N.blocksForged}{${HOST}}`, "forged"],
        [`${N.adopted}{${HOST}}`, "adopted"],
        [`${N.didntAdopt}{${HOST}}`, "not adopted"],
        [`${N.nodeCannotForge}{${HOST}}`, "could not forge"],
      ),
      w: 12,
      h: 5,
    },
    {
      type: "stat",
      title: "Missed leadership checks",
      description: "Slots in which the node did not check whether it leads (since it started), and their share of all slots it saw.",
      targets: targets(
        [`${N.slotsMissed}{${HOST}}`, "missed"],
        [`100 * ${N.slotsMissed}{${HOST}} / (${N.slotsMissed}{${HOST}} + ${N.leadershipChecks}{${HOST}})`, "% of slots"],
      ),
      decimals: 3,
      w: 12,
      h: 5,
    },
    { type: "row", title: "Mempool" },
    { type: "timeseries", title: "Mempool transactions", targets: targets([`${N.txsInMempool}{${HOST}}`, "{{host}}"]), w: 12, h: 7 },
    { type: "timeseries", title: "Mempool size", targets: targets([`${N.mempoolBytes}{${HOST}}`, "{{host}}"]), unit: "bytes", w: 12, h: 7 },
    { type: "row", title: "Hosts" },
    {
      type: "timeseries",
      title: "CPU busy",
      targets: targets([`100 * (1 - avg by (host) (rate(${H.cpuSeconds}{${HOST}, mode="idle"}[$__rate_interval])))`, "{{host}}"]),
      unit: "percent",
      w: 8,
      h: 8,
    },
    {
      type: "timeseries",
      title: "cardano-node CPU (cores)",
      targets: targets([`rate(${N.cpuTicks}{${HOST}}[$__rate_interval]) / 100`, "{{host}}"]),
      w: 8,
      h: 8,
    },
    {
      type: "timeseries",
      title: "Load (1 min)",
      targets: targets([`${H.load1}{${HOST}}`, "{{host}}"]),
      w: 8,
      h: 8,
    },
    {
      type: "timeseries",
      title: "Memory available",
      targets: targets([`100 * ${H.memAvailable}{${HOST}} / ${H.memTotal}{${HOST}}`, "{{host}}"]),
      unit: "percent",
      w: 8,
      h: 8,
    },
    {
      type: "timeseries",
      title: "cardano-node resident memory",
      targets: targets([`${N.residentMemory}{${HOST}}`, "{{host}}"]),
      unit: "bytes",
      w: 8,
      h: 8,
    },
    {
      type: "timeseries",
      title: "Disk free",
      targets: targets([`100 * ${H.fsAvail}{${HOST}, ${REAL_FS}} / ${H.fsSize}{${HOST}, ${REAL_FS}}`, "{{host}} {{mountpoint}}"]),
      unit: "percent",
      w: 8,
      h: 8,
    },
    {
      type: "timeseries",
      title: "Clock offset",
      description: "The kernel's estimate of the clock's error (chrony); the alert fires beyond 100 ms.",
      targets: targets([`${H.timexOffset}{${HOST}}`, "{{host}}"]),
      unit: "s",
      w: 12,
      h: 7,
    },
    {
      type: "stat",
      title: "Clock synchronised",
      targets: targets([`${H.timexSyncStatus}{${HOST}}`, "{{host}}"]),
      mappings: { "0": "no", "1": "yes" },
      thresholds: [["red", null], ["green", 1]],
      w: 12,
      h: 7,
    },
  ];
}

function fieldConfig(p: PanelSpec): Json {
  const defaults: Json = {};
  if (p.unit !== undefined) defaults.unit = p.unit;
  if (p.decimals !== undefined) defaults.decimals = p.decimals;
  if (p.thresholds !== undefined) {
    defaults.thresholds = { mode: "absolute", steps: p.thresholds.map(([color, value]) => ({ color, value })) };
  }
  if (p.mappings !== undefined) {
    defaults.mappings = [{ type: "value", options: Object.fromEntries(Object.entries(p.mappings).map(([v, text], i) => [v, { text, index: i }])) }];
  }
  return { defaults, overrides: [] };
}

/** The dashboard, as provisioned (two-space JSON, a final newline). */
export function renderDashboard(input: MonitoringInput): string {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const placed = panels(input).map((p, index) => {
    const w = p.type === "row" ? 24 : (p.w ?? 12);
    const h = p.type === "row" ? 1 : (p.h ?? 8);
    if (x + w > 24 || p.type === "row") {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { h, w, x, y };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    const base: Json = { id: index + 1, type: p.type, title: p.title, gridPos };
    if (p.type === "row") return { ...base, collapsed: false, panels: [] };
    return {
      ...base,
      ...(p.description !== undefined ? { description: p.description } : {}),
      datasource: DATASOURCE,
      targets: (p.targets ?? []).map((t) => ({ datasource: DATASOURCE, ...t })),
      fieldConfig: fieldConfig(p),
      options: p.type === "stat" ? { reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false }, textMode: "value_and_name", colorMode: "value" } : {},
      ...p.extra,
    };
  });
  const dashboard = {
    uid: DASHBOARD_UID,
    title: `Stake pool ${input.stack} (${input.network.name})`,
    tags: ["cardano", "stakepool"],
    timezone: "utc",
    editable: false,
    schemaVersion: 39,
    version: 1,
    refresh: "30s",
    time: { from: "now-6h", to: "now" },
    templating: {
      list: [
        {
          type: "query",
          name: "host",
          label: "Host",
          datasource: DATASOURCE,
          query: { query: `label_values(up{job=~"${JOBS.node}|${JOBS.exporter}"}, host)`, refId: "host" },
          definition: `label_values(up{job=~"${JOBS.node}|${JOBS.exporter}"}, host)`,
          refresh: 2,
          multi: true,
          includeAll: true,
          current: { selected: true, text: ["All"], value: ["$__all"] },
          sort: 1,
        },
      ],
    },
    panels: placed,
  };
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
