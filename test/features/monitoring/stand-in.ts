/**
 * A stand-in for cardano-node's Prometheus endpoint, for the monitoring lab: it serves every metric the
 * pinned release defines (test/fixtures/monitoring/upstream-metrics.txt) under the names and in the
 * exposition format of trace-dispatcher's PrometheusSimple server, so that a real Prometheus parses what
 * it would parse from a node:
 * - hermod-tracing trace-dispatcher `Cardano/Logging/Prometheus/Exposition.hs`: a gauge (`IntM`) and a
 *   counter (`CounterM`) get a TYPE line; a number held in a label (`DoubleM`) gets none; labels
 *   (`PrometheusM`) get TYPE `info`; the text ends with `# EOF`.
 * - `Cardano/Logging/Prometheus/TCPServer.hs` `buildResponse`: only `/metrics`; OpenMetrics when the
 *   Accept header asks for it, else the 0.0.4 text type; an Accept it cannot serve gets 415.
 * Values follow a healthy pool (the chain advances, peers are hot, the KES key has 40 periods) unless a
 * test changes them while it runs.
 */
import fs from "node:fs";
import path from "node:path";
import { exposedName, asPrometheusMetricName, type MetricKind } from "../../../components/features/monitoring/metrics";

export interface StandInMetric {
  readonly kind: MetricKind;
  /** The exposed name. */
  readonly name: string;
  /** A number, or for `PrometheusM` the label set. */
  readonly value: number | Readonly<Record<string, string>>;
  /** Grows by this much per second (block height, slot, counters). */
  readonly perSecond?: number;
}

/** ekg-core `registerGcMetrics` (cardano-node registers them in its store; the node runs with +RTS -T). */
const GC_COUNTERS = ["bytes_allocated", "num_gcs", "num_bytes_usage_samples", "cumulative_bytes_used", "bytes_copied", "init_cpu_ms", "init_wall_ms", "mutator_cpu_ms", "mutator_wall_ms", "gc_cpu_ms", "gc_wall_ms", "cpu_ms", "wall_ms"];
const GC_GAUGES = ["max_bytes_used", "current_bytes_used", "current_bytes_slop", "max_bytes_slop", "peak_megabytes_allocated", "par_tot_bytes_copied", "par_avg_bytes_copied", "par_max_bytes_copied"];

/** Internal names that only a forging node reports. */
const FORGING_ONLY = /^(Forge\.|forgedSlotLast|nodeCannotForge|nodeIsLeader|blocksForged|slotsMissed|operationalCertificate|currentKESPeriod|remainingKESPeriods)/;
/** Events a healthy node has never seen: no such series. */
const NEVER_HAPPENED = new Set(["Forge.StateUpdateError", "Forge.forged-invalid", "Forge.adoption-thread-died", "Forge.slot-is-immutable", "Forge.block-from-future", "Forge.could-not-forge"]);

export interface NodeState {
  readonly role: "core" | "relay";
  readonly forging: boolean;
  /** The wall clock's slot now (the network's Shelley timing). */
  readonly slotNow: number;
  readonly remainingKesPeriods: number;
  readonly opcertExpiryKesPeriod: number;
}

const HEALTHY: Readonly<Record<string, number>> = {
  "peerSelection.ActivePeers": 22,
  "peerSelection.EstablishedPeers": 32,
  "peerSelection.KnownPeers": 150,
  "connectionManager.inboundConns": 8,
  "connectionManager.outboundConns": 32,
  "connectionManager.duplexConns": 6,
  "inboundGovernor.hot": 5,
  "inboundGovernor.warm": 3,
  "inboundGovernor.cold": 1,
  "GSM.state": 2,
  forging_enabled: 1,
  txsInMempool: 12,
  mempoolBytes: 9000,
  "Mem.resident": 6e9,
  cardano_version_major: 11,
  cardano_version_minor: 1,
  cardano_version_patch: 3,
  nodeCannotForge: 0,
  slotsMissed: 2,
  "Forge.didnt-adopt": 1,
};

function upstreamMetrics(): Array<{ kind: MetricKind; internal: string }> {
  const file = path.join(__dirname, "../../fixtures/monitoring/upstream-metrics.txt");
  const seen = new Set<string>();
  const metrics: Array<{ kind: MetricKind; internal: string }> = [];
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const [kind, internal] = line.split(" ") as [MetricKind, string];
    if (seen.has(`${kind} ${internal}`)) continue;
    seen.add(`${kind} ${internal}`);
    metrics.push({ kind, internal });
  }
  return metrics;
}

/** What the stand-in of one node serves. */
export function nodeMetrics(state: NodeState): StandInMetric[] {
  const out: StandInMetric[] = [];
  for (const { kind, internal } of upstreamMetrics()) {
    if ((FORGING_ONLY.test(internal) && !state.forging) || NEVER_HAPPENED.has(internal)) continue;
    const name = exposedName(kind, internal);
    let value: number | Record<string, string> = HEALTHY[internal] ?? (kind === "DoubleM" ? 0.5 : 3);
    let perSecond: number | undefined;
    switch (internal) {
      case "slotNum":
        value = state.slotNow;
        perSecond = 1;
        break;
      case "blockNum":
        value = 12_000_000;
        perSecond = 0.5;
        break;
      case "density":
        value = 0.049;
        break;
      case "forging_enabled":
        value = state.forging ? 1 : 0;
        break;
      case "remainingKESPeriods":
        value = state.remainingKesPeriods;
        break;
      case "operationalCertificateExpiryKESPeriod":
        value = state.opcertExpiryKesPeriod;
        break;
      case "currentKESPeriod":
        value = state.opcertExpiryKesPeriod - state.remainingKesPeriods;
        break;
      case "operationalCertificateStartKESPeriod":
        value = state.opcertExpiryKesPeriod - 62;
        break;
      case "Stat.cputicks":
      case "Forge.about-to-lead":
      case "Forge.node-not-leader":
        perSecond = internal === "Stat.cputicks" ? 150 : 1;
        break;
      case "node.start.time":
        value = Math.floor(Date.now() / 1000) - 3600;
        break;
    }
    if (kind === "PrometheusM") value = internal === "tipBlock" ? { hash: "TIP", parent_hash: "PARENT", issuer_verification_key_hash: "ab12" } : { version_major: "11", nodeStartTime: "2026-11-26 10:00:00 UTC" };
    out.push({ kind, name, value, ...(perSecond !== undefined ? { perSecond } : {}) });
  }
  for (const c of GC_COUNTERS) out.push({ kind: "CounterM", name: asPrometheusMetricName(`rts.gc.${c}`), value: 1000, perSecond: 10 });
  for (const g of GC_GAUGES) out.push({ kind: "IntM", name: asPrometheusMetricName(`rts.gc.${g}`), value: 1e6 });
  return out;
}

/**
 * The server, run as `node -e` inside a host's namespace: `node -e SOURCE <address> <port>`. It reads
 * JSON lines on stdin, `{"metrics": [...]}`, replacing what it serves (values grow from the moment they
 * arrive), and prints `ready` once listening.
 */
export const STAND_IN_SOURCE = String.raw`
const http = require("http");
const readline = require("readline");
const [address, port] = process.argv.slice(1);
let metrics = [];
let since = Date.now();
function exposition() {
  const elapsed = (Date.now() - since) / 1000;
  const lines = [];
  for (const m of metrics) {
    if (typeof m.value === "object") {
      const labels = Object.entries(m.value).map(([k, v]) => k + '="' + v.replace("TIP", String(Math.floor(elapsed / 2))) + '"');
      lines.push("# TYPE " + m.name + " info", m.name + "{" + labels.join(",") + "} 1");
      continue;
    }
    const value = m.value + (m.perSecond ? m.perSecond * elapsed : 0);
    if (m.kind === "IntM") lines.push("# TYPE " + m.name + " gauge", m.name + " " + Math.floor(value));
    else if (m.kind === "CounterM") lines.push("# TYPE " + m.name + " counter", m.name + " " + Math.floor(value));
    else lines.push(m.name + " " + String(value));
  }
  return lines.join("\n") + "\n# EOF\n";
}
const server = http.createServer((req, res) => {
  if (req.url !== "/metrics") { res.writeHead(404, { "content-type": "text/plain;charset=utf-8" }); res.end("404 Not Found"); return; }
  const accept = req.headers.accept;
  let type;
  if (accept === undefined) type = "text/plain;version=0.0.4;charset=utf-8";
  else if (accept.includes("application/openmetrics-text")) type = "application/openmetrics-text;version=1.0.0;charset=utf-8";
  else if (accept.includes("text/") || accept.includes("*/*")) type = "text/plain;version=0.0.4;charset=utf-8";
  else { res.writeHead(415); res.end("415 Unsupported Media Type"); return; }
  const body = exposition();
  res.writeHead(200, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(req.method === "HEAD" ? undefined : body);
});
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  metrics = JSON.parse(line).metrics;
  since = Date.now();
}).on("close", () => process.exit(0));
server.listen(Number(port), address, () => process.stdout.write("ready\n"));
`;

/** A webhook receiver for Alertmanager, on the namespace's loopback: prints `<path> <body>` per request. */
export const WEBHOOK_SOURCE = String.raw`
const http = require("http");
const port = Number(process.argv[1]);
http.createServer((req, res) => {
  let body = "";
  req.on("data", (d) => (body += d));
  req.on("end", () => {
    process.stdout.write(JSON.stringify({ path: req.url, at: Date.now(), body }) + "\n");
    res.writeHead(200);
    res.end("ok");
  });
}).listen(port, "127.0.0.1", () => process.stdout.write(JSON.stringify({ ready: true }) + "\n"));
`;
