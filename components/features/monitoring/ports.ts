/**
 * Who listens where. Only the two scrape ports cross the network, from the monitoring host's private
 * address to every pool host; Prometheus, Alertmanager and Grafana listen on the monitoring host's
 * loopback and are reached through SSH (./access.ts).
 */
import { METRICS_PORT, MITHRIL_SIGNER_METRICS_PORT, NODE_EXPORTER_PORT as EXPORTER_PORT } from "../../networks/networks";
import type { MonitoringInput } from "./input";

/** cardano-node's PrometheusSimple listener (the official configs' port). */
export const NODE_METRICS_PORT = METRICS_PORT;
/** node_exporter's registered default port. */
export const NODE_EXPORTER_PORT = EXPORTER_PORT;
export const PROMETHEUS_PORT = 9090;
/** mithril-signer's metrics on the core (the same number as Prometheus's, on another host). */
export const SIGNER_METRICS_PORT = MITHRIL_SIGNER_METRICS_PORT;
export const ALERTMANAGER_PORT = 9093;
export const GRAFANA_PORT = 3000;
export const LOOPBACK = "127.0.0.1";

export interface ScrapeRule {
  /** The pool host (or `monitor`) that must admit the connection. */
  readonly host: string;
  readonly address: string;
  readonly port: number;
  /** The only source allowed: the monitoring host's private address. */
  readonly from: string;
  readonly what: string;
}

/**
 * The firewall openings monitoring needs, as a list for review and tests. The pool's one policy
 * (../../firewall/policy.ts, `SCRAPED_SERVICES`) admits the same ports from the same address on both
 * walls; test/features/monitoring/wiring.test.ts holds the two to each other.
 */
export function scrapeRules(input: MonitoringInput): ScrapeRule[] {
  const from = input.monitor.privateIp;
  const signer = input.mithrilSigner;
  return [
    ...input.hosts.flatMap((h) => [
      { host: h.name, address: h.privateIp, port: NODE_METRICS_PORT, from, what: "cardano-node metrics" },
      { host: h.name, address: h.privateIp, port: NODE_EXPORTER_PORT, from, what: "node_exporter" },
    ]),
    ...(signer === undefined ? [] : [{ host: signer.host, address: signer.privateIp, port: SIGNER_METRICS_PORT, from, what: "mithril-signer metrics" }]),
  ];
}
