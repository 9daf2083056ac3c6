/**
 * Monitoring as a feature of the pool's hosts (issue 15): node_exporter on the core and every relay, and
 * on the monitoring host Prometheus, Alertmanager and Grafana with everything they read, the alert
 * channels' secrets included (./steps.ts). Nothing here restarts a node: the node's metrics listener moves
 * with the node's own settings (../../node/settings.ts), in the node step, which rolls.
 */
import type { Feature, HostStep } from "../feature";
import type { PoolMonitoring } from "./load";
import { exporterStep, monitorStep } from "./steps";

/** The monitoring host's step, with the alert channels' secrets. */
export function monitorHostStep(monitoring: PoolMonitoring): HostStep {
  return monitorStep(monitoring.input, { secrets: monitoring.secrets });
}

export const monitoring: Feature = {
  name: "monitoring",
  step(pool, host) {
    if (pool.monitoring === undefined) return undefined;
    return host.role === "monitor" ? monitorHostStep(pool.monitoring) : exporterStep(pool.monitoring.input, host.name);
  },
};
