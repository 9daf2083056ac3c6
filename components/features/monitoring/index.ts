/**
 * Monitoring as a feature of the pool's hosts (issue 15): node_exporter on the core and every relay, and
 * on the monitoring host Prometheus, Alertmanager and Grafana with everything they read, the alert
 * channels' secrets included. Nothing here restarts a node: the node's metrics listener moves with the
 * node's own settings (../../node/settings.ts), in the node step, which rolls.
 */
import type { DeliveredFile } from "../../delivery/bundle";
import type { Feature, HostStep } from "../feature";
import type { PoolMonitoring } from "./load";
import { PROMETHEUS_USER } from "./paths";
import { SMTP_PASSWORD_FILE } from "./load";
import { exporterStep, monitorStep } from "./steps";

/**
 * The monitoring host's step with the alert channels' secrets: written root-only (0400) like the hot keys,
 * then, once the packages have made the group, the SMTP password readable by Alertmanager's group (0440):
 * Alertmanager reads it itself (`smtp_auth_password_file`). The Telegram token stays root's: the host
 * fills it in (scripts/alertmanager-config.sh). With a secret, the step travels as a Pulumi secret.
 */
export function monitorHostStep(monitoring: PoolMonitoring): HostStep {
  const step = monitorStep(monitoring.input);
  if (monitoring.secrets.length === 0) return step;
  const secrets: DeliveredFile[] = monitoring.secrets.map((s) => ({ path: s.path, owner: "root", group: "root", mode: "0400", content: s.content }));
  const [install, ...rest] = step.delivery.apply;
  const smtp = monitoring.secrets.some((s) => s.path === SMTP_PASSWORD_FILE)
    ? [`chgrp ${PROMETHEUS_USER} "$R${SMTP_PASSWORD_FILE}" && chmod 0440 "$R${SMTP_PASSWORD_FILE}"`]
    : [];
  return {
    ...step,
    delivery: {
      ...step.delivery,
      files: [...step.delivery.files, ...secrets],
      apply: [install!, ...smtp, ...rest],
      remove: [...(step.delivery.remove ?? []), ...monitoring.secrets.map((s) => `rm -f "$R${s.path}"`)],
    },
    secret: true,
  };
}

export const monitoring: Feature = {
  name: "monitoring",
  step(pool, host) {
    if (pool.monitoring === undefined) return undefined;
    return host.role === "monitor" ? monitorHostStep(pool.monitoring) : exporterStep(pool.monitoring.input, host.name);
  },
};
