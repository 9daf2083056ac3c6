/**
 * prometheus.yml for the monitoring host: every pool host's node metrics and node_exporter, scraped on
 * their private addresses; the rules; Alertmanager on loopback.
 *
 * Every series carries `host` (the kit's host name), `role` (core, relay, monitor) and, on the node
 * job, `forging` ("true" on a core with keys): the rules select by these labels, never by address.
 * The pool and network go on every alert as external labels, so one inbox can serve several pools.
 *
 * Syntax: Prometheus configuration docs (config/config.go), checked in tests by `promtool check config`
 * of Debian 12's prometheus 2.42 (Ubuntu 24.04 ships 2.45; nothing here is newer than 2.42).
 */
import * as yaml from "js-yaml";
import type { MonitoringInput } from "./input";
import { TIP_BLOCK_METRIC } from "./metrics";
import { RULES_FILE } from "./paths";
import { ALERTMANAGER_PORT, LOOPBACK, NODE_EXPORTER_PORT, NODE_METRICS_PORT, SIGNER_METRICS_PORT } from "./ports";
import { duration, PRODUCTION_TIMING, type MonitoringTiming } from "./timing";

export const JOBS = { node: "cardano-node", exporter: "node-exporter", signer: "mithril-signer" } as const;
/** The `host` label of the monitoring host's own node_exporter. */
export const MONITOR_HOST = "monitor";

interface StaticConfig {
  targets: string[];
  labels: Record<string, string>;
}

function byName<T extends { name: string }>(hosts: readonly T[]): T[] {
  return [...hosts].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function renderPrometheusConfig(input: MonitoringInput, timing: MonitoringTiming = PRODUCTION_TIMING): string {
  const hosts = byName(input.hosts);
  const node: StaticConfig[] = hosts.map((h) => ({
    targets: [`${h.privateIp}:${NODE_METRICS_PORT}`],
    labels: { host: h.name, role: h.role, forging: String(h.forging) },
  }));
  const exporter: StaticConfig[] = [
    ...hosts.map((h) => ({ targets: [`${h.privateIp}:${NODE_EXPORTER_PORT}`], labels: { host: h.name, role: h.role } })),
    { targets: [`${input.monitor.privateIp}:${NODE_EXPORTER_PORT}`], labels: { host: MONITOR_HOST, role: MONITOR_HOST } },
  ];
  const config = {
    global: {
      scrape_interval: duration(timing.scrapeSeconds),
      // Both endpoints answer from memory in milliseconds; 10 s (the default) but never above the interval.
      scrape_timeout: duration(Math.min(10, timing.scrapeSeconds)),
      evaluation_interval: duration(timing.evaluationSeconds),
      external_labels: { pool: input.stack, network: input.network.name },
    },
    alerting: { alertmanagers: [{ static_configs: [{ targets: [`${LOOPBACK}:${ALERTMANAGER_PORT}`] }] }] },
    rule_files: [RULES_FILE],
    scrape_configs: [
      {
        job_name: JOBS.node,
        static_configs: node,
        metric_relabel_configs: [
          // One new series per block (the tip's hash as a label): never stored.
          { source_labels: ["__name__"], regex: TIP_BLOCK_METRIC, action: "drop" },
        ],
      },
      { job_name: JOBS.exporter, static_configs: exporter },
      ...(input.mithrilSigner === undefined
        ? []
        : [
            {
              job_name: JOBS.signer,
              static_configs: [{ targets: [`${input.mithrilSigner.privateIp}:${SIGNER_METRICS_PORT}`], labels: { host: input.mithrilSigner.host, role: "core" } }],
            },
          ]),
    ],
  };
  return `# Rendered by the stake pool kit for ${input.stack} (${input.network.name}); changes here are overwritten.\n${yaml.dump(config, { noRefs: true, lineWidth: -1 })}`;
}
