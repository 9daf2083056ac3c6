/**
 * The figures `npm run status` prints, one row per host, read from the monitoring host's Prometheus: the
 * dashboard's essentials for terminal users (./expressions.ts keeps the two in step), and what is firing.
 * Pure: the caller gives the query function (over an SSH tunnel in the CLI, directly in tests).
 */
import type { NetworkProfile } from "../../networks/networks";
import { kesExpiryMsExpr, syncExpr, tipLagExpr } from "./expressions";
import { HOST_METRICS as H, N } from "./metrics";

export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}
export type Query = (expr: string) => Promise<readonly Sample[]>;

interface Column {
  readonly title: string;
  readonly expr: (network: NetworkProfile) => string;
  readonly format: (value: number) => string;
}

const REAL_FS = `fstype!~"tmpfs|ramfs"`;
const whole = (v: number) => String(Math.round(v));
const percent = (digits: number) => (v: number) => `${v.toFixed(digits)}%`;

export const STATUS_COLUMNS: readonly Column[] = [
  { title: "height", expr: () => N.blockNum, format: whole },
  { title: "tip lag", expr: (n) => tipLagExpr(n, ""), format: (v) => `${Math.round(v)}s` },
  { title: "sync", expr: (n) => syncExpr(n, ""), format: percent(2) },
  { title: "hot", expr: () => N.activePeers, format: whole },
  { title: "warm", expr: () => `${N.establishedPeers} - ${N.activePeers}`, format: whole },
  { title: "cold", expr: () => `${N.knownPeers} - ${N.establishedPeers}`, format: whole },
  { title: "in", expr: () => N.inboundConns, format: whole },
  { title: "out", expr: () => N.outboundConns, format: whole },
  { title: "KES left", expr: () => N.remainingKesPeriods, format: whole },
  { title: "cert expires", expr: (n) => kesExpiryMsExpr(n, ""), format: (v) => new Date(v).toISOString().slice(0, 16).replace("T", " ") },
  { title: "forged 24h", expr: () => `increase(${N.blocksForged}[1d])`, format: whole },
  { title: "missed checks", expr: () => N.slotsMissed, format: whole },
  { title: "mempool", expr: () => N.txsInMempool, format: whole },
  { title: "mem avail", expr: () => `100 * ${H.memAvailable} / ${H.memTotal}`, format: percent(0) },
  { title: "disk free", expr: () => `min by (host) (100 * ${H.fsAvail}{${REAL_FS}} / ${H.fsSize}{${REAL_FS}})`, format: percent(0) },
  { title: "clock", expr: () => `1000 * ${H.timexOffset}`, format: (v) => `${v.toFixed(1)}ms` },
];

export const FIRING = `ALERTS{alertstate="firing", alertname!="Watchdog"}`;

export interface StatusReport {
  /** Hosts in the kit's order: the core, relays by number, then the monitoring host. */
  readonly hosts: readonly string[];
  /** Column title → host → formatted value. */
  readonly values: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** `host: alert (severity)`, sorted. */
  readonly firing: readonly string[];
}

function hostOrder(a: string, b: string): number {
  const rank = (h: string) => (h === "core" ? 0 : h === "monitor" ? 2 : 1);
  return rank(a) - rank(b) || a.localeCompare(b, "en", { numeric: true });
}

export async function collectStatus(query: Query, network: NetworkProfile): Promise<StatusReport> {
  const hosts = new Set<string>();
  const values = new Map<string, Map<string, string>>();
  for (const column of STATUS_COLUMNS) {
    const byHost = new Map<string, string>();
    for (const sample of await query(column.expr(network))) {
      const host = sample.metric.host;
      if (host === undefined || !Number.isFinite(sample.value)) continue;
      hosts.add(host);
      byHost.set(host, column.format(sample.value));
    }
    values.set(column.title, byHost);
  }
  const firing = (await query(FIRING))
    .map((s) => `${s.metric.host ?? "pool"}: ${s.metric.alertname ?? "?"} (${s.metric.severity ?? "?"})`)
    .sort();
  return { hosts: [...hosts].sort(hostOrder), values, firing };
}

/** A plain text table, hosts as rows; `-` where a host has no such figure (a relay has no KES key). */
export function renderStatus(report: StatusReport): string {
  const titles = ["host", ...STATUS_COLUMNS.map((c) => c.title)];
  const rows = report.hosts.map((h) => [h, ...STATUS_COLUMNS.map((c) => report.values.get(c.title)?.get(h) ?? "-")]);
  const widths = titles.map((t, i) => Math.max(t.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  const alerts = report.firing.length === 0 ? ["firing: nothing"] : ["firing:", ...report.firing.map((f) => `  ${f}`)];
  return `${[line(titles), ...rows.map(line), "", ...alerts].join("\n")}\n`;
}
