/**
 * How the distribution's Prometheus, Alertmanager and node_exporter run: systemd drop-ins over the
 * packages' own units that replace their command line (`ExecStart=` empty, then the kit's), so that the
 * packages' /etc/default files (conffiles) stay untouched and an upgrade never stops at a conffile prompt.
 *
 * Flags: those of Debian 12's prometheus 2.42, prometheus-alertmanager 0.25 and prometheus-node-exporter
 * 1.5 (Ubuntu 24.04 ships 2.45, 0.26 and 1.7, which keep them); the tests start the real binaries with
 * exactly these command lines.
 */
import { ALERTMANAGER_CONFIG, ALERTMANAGER_DATA, PROMETHEUS_CONFIG, PROMETHEUS_DATA } from "./paths";
import { ALERTMANAGER_PORT, LOOPBACK, NODE_EXPORTER_PORT, PROMETHEUS_PORT } from "./ports";
import { RETENTION_DAYS, RETENTION_SIZE_GB } from "./timing";

/**
 * node_exporter's collectors: what the rules and the dashboard read (cpu, filesystem, meminfo, timex,
 * vmstat, loadavg) and what explains them (diskstats, netdev, pressure, stat, time, uname); every
 * other default collector is off, which keeps a host near 300 series (./sizing.ts).
 */
export const EXPORTER_COLLECTORS = ["cpu", "diskstats", "filesystem", "loadavg", "meminfo", "netdev", "pressure", "stat", "time", "timex", "uname", "vmstat"] as const;

export const BINARIES = {
  prometheus: "/usr/bin/prometheus",
  alertmanager: "/usr/bin/prometheus-alertmanager",
  nodeExporter: "/usr/bin/prometheus-node-exporter",
} as const;

/** node_exporter's arguments: the host's private address only (the monitoring host is the one reader). */
export function exporterArguments(privateIp: string): string[] {
  return [`--web.listen-address=${privateIp}:${NODE_EXPORTER_PORT}`, "--collector.disable-defaults", ...EXPORTER_COLLECTORS.map((c) => `--collector.${c}`)];
}

export function prometheusArguments(): string[] {
  return [
    `--config.file=${PROMETHEUS_CONFIG}`,
    `--storage.tsdb.path=${PROMETHEUS_DATA}/`,
    `--storage.tsdb.retention.time=${RETENTION_DAYS}d`,
    `--storage.tsdb.retention.size=${RETENTION_SIZE_GB}GB`,
    `--web.listen-address=${LOOPBACK}:${PROMETHEUS_PORT}`,
  ];
}

export function alertmanagerArguments(): string[] {
  return [
    `--config.file=${ALERTMANAGER_CONFIG}`,
    `--storage.path=${ALERTMANAGER_DATA}/`,
    `--web.listen-address=${LOOPBACK}:${ALERTMANAGER_PORT}`,
    // One Alertmanager: no gossip port (9094) listening on every address.
    "--cluster.listen-address=",
  ];
}

function dropIn(comment: string, binary: string, args: readonly string[], options: { network: boolean }): string {
  return [
    `# ${comment} Rendered by the stake pool kit; the package's unit stays as shipped.`,
    "[Unit]",
    ...(options.network ? ["Wants=network-online.target", "After=network-online.target"] : []),
    // Keep trying: a listener on the private address may start before the address is up.
    "StartLimitIntervalSec=0",
    "",
    "[Service]",
    "ExecStart=",
    `ExecStart=${binary} ${args.join(" ")}`,
    "RestartSec=5",
    "",
  ].join("\n");
}

export function renderExporterDropIn(privateIp: string): string {
  return dropIn(`node_exporter on ${privateIp}:${NODE_EXPORTER_PORT}, for the monitoring host.`, BINARIES.nodeExporter, exporterArguments(privateIp), { network: true });
}

export function renderPrometheusDropIn(): string {
  return dropIn(`Prometheus on ${LOOPBACK}:${PROMETHEUS_PORT}, ${RETENTION_DAYS} days kept.`, BINARIES.prometheus, prometheusArguments(), { network: false });
}

export function renderAlertmanagerDropIn(): string {
  return dropIn(`Alertmanager on ${LOOPBACK}:${ALERTMANAGER_PORT}, no cluster.`, BINARIES.alertmanager, alertmanagerArguments(), { network: false });
}

