/**
 * How the operator reaches Grafana (and, for `npm run status`, Prometheus): an SSH tunnel that ends on
 * the monitoring host itself, jumping through the first relay like every way in to a private host.
 * Nothing on the monitoring host listens beyond its loopback except node_exporter and SSH.
 *
 * What the wiring must allow (sshd_config(5), OpenSSH 9.x):
 * - each relay: `PermitOpen` adds `<monitoring host>:22` beside the core's (the jump);
 * - the monitoring host: `AllowTcpForwarding local` and `PermitOpen` exactly MONITOR_FORWARDS.
 */
import { SSH_PORT } from "../../networks/networks";
import { ADMIN_USER } from "../../node/paths";
import { GRAFANA_PORT, LOOPBACK, PROMETHEUS_PORT } from "./ports";

/** The loopback ports a tunnel may reach on the monitoring host. */
export const MONITOR_FORWARDS: readonly string[] = [`${LOOPBACK}:${GRAFANA_PORT}`, `${LOOPBACK}:${PROMETHEUS_PORT}`];

/** What the relay's `PermitOpen` must add for the jump to the monitoring host. */
export function relayPermitOpen(monitorPrivateIp: string): string {
  return `${monitorPrivateIp}:${SSH_PORT}`;
}

/**
 * The one command the plan prints: Grafana on http://localhost:3000 while it runs. `jumpHost` is the
 * first relay's public address (an Elastic IP on AWS; the server's address on the SSH backend).
 */
export function grafanaTunnelCommand(jumpHost: string, monitorPrivateIp: string, localPort = GRAFANA_PORT): string {
  return `ssh -N -J ${ADMIN_USER}@${jumpHost} -L ${localPort}:${LOOPBACK}:${GRAFANA_PORT} ${ADMIN_USER}@${monitorPrivateIp}`;
}
