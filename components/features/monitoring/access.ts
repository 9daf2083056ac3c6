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
 * ssh's arguments for a tunnel from `localPort` on the operator's machine to `remotePort` on the
 * monitoring host's loopback, through the jump (ssh(1): `-J [user@]host[:port]`, the destination's port `-p`).
 */
export function tunnelArgs(jump: SshHop, monitor: SshHop, localPort: number, remotePort: number): string[] {
  return ["-N", "-J", hop(jump), "-L", `${localPort}:${LOOPBACK}:${remotePort}`, ...(monitor.port === SSH_PORT ? [] : ["-p", String(monitor.port)]), `${monitor.user}@${monitor.host}`];
}

/**
 * The one command the plan prints: Grafana on http://localhost:3000 while it runs. `jump` is the first
 * relay at its public address (an Elastic IP on AWS; the server's address on the SSH backend), `monitor`
 * the monitoring host at its private address; each with the login user and port the backend gave it.
 */
export function grafanaTunnelCommand(jump: SshHop, monitor: SshHop, localPort = GRAFANA_PORT): string {
  return `ssh ${tunnelArgs(jump, monitor, localPort, GRAFANA_PORT).join(" ")}`;
}

/** A pool's way to its monitoring host: the first relay's login, the monitoring host's login and address. */
export interface MonitorRoute {
  /** The first relay's login; its address is known to the stack only on own servers. */
  readonly jump: { readonly user: string; readonly port: number; readonly host: string | undefined };
  readonly monitor: SshHop;
}

/**
 * The route from the pool's model: `relayAddress` is the first relay's address when the stack knows it
 * (own servers); on AWS its Elastic IP exists only once deployed (`pulumi stack output hosts`).
 */
export function monitorRoute(
  model: { readonly relays: ReadonlyArray<{ readonly login: { readonly user: string; readonly port: number } }>; readonly monitor: { readonly privateIp: string; readonly login: { readonly user: string; readonly port: number } } | undefined },
  relayAddress: string | undefined,
): MonitorRoute | undefined {
  const relay = model.relays[0];
  if (model.monitor === undefined || relay === undefined) return undefined;
  return {
    jump: { user: relay.login.user, port: relay.login.port, host: relayAddress },
    monitor: { user: model.monitor.login.user, host: model.monitor.privateIp, port: model.monitor.login.port },
  };
}
