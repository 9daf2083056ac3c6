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
import { GRAFANA_PORT, LOOPBACK, PROMETHEUS_PORT } from "./ports";

/** The loopback ports a tunnel may reach on the monitoring host. */
export const MONITOR_FORWARDS: readonly string[] = [`${LOOPBACK}:${GRAFANA_PORT}`, `${LOOPBACK}:${PROMETHEUS_PORT}`];

/** A relay's `PermitOpen` entry for a host behind it (the core, the monitoring host): its SSH only. */
export function relayPermitOpen(privateIp: string, sshPort: number = SSH_PORT): string {
  return `${privateIp}:${sshPort}`;
}

/** Where an SSH hop logs in: user, address, port (22 is left out of the command). */
export interface SshHop {
  readonly user: string;
  readonly host: string;
  readonly port: number;
}

function hop(h: SshHop): string {
  return h.port === SSH_PORT ? `${h.user}@${h.host}` : `${h.user}@${h.host}:${h.port}`;
}

/**
 * The one command the plan prints: Grafana on http://localhost:3000 while it runs. `jump` is the first
 * relay at its public address (an Elastic IP on AWS; the server's address on the SSH backend), `monitor`
 * the monitoring host at its private address; each with the login user and port the backend gave it.
 */
export function grafanaTunnelCommand(jump: SshHop, monitor: SshHop, localPort = GRAFANA_PORT): string {
  const target = monitor.port === SSH_PORT ? `${monitor.user}@${monitor.host}` : `-p ${monitor.port} ${monitor.user}@${monitor.host}`;
  return `ssh -N -J ${hop(jump)} -L ${localPort}:${LOOPBACK}:${GRAFANA_PORT} ${target}`;
}
