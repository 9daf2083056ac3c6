/**
 * Where monitoring lives on a host. Prometheus, Alertmanager and node_exporter are the distribution's
 * packages (Debian 12 and Ubuntu 24.04 ship them: prometheus, prometheus-alertmanager,
 * prometheus-node-exporter), so their paths, users and units are the packages' own (they run as the
 * `prometheus` user); the kit changes their command lines with drop-ins (./services.ts).
 */
import { KIT_LIB_DIR } from "../../node/paths";

export const PROMETHEUS_USER = "prometheus";
/**
 * The kit's monitoring configuration, outside the packages' conffiles (/etc/prometheus/*.yml): a changed
 * conffile would make every package upgrade stop at a prompt, and unattended-upgrades skip it.
 */
export const MONITORING_ETC = "/etc/stakepool/monitoring";
export const PROMETHEUS_CONFIG = `${MONITORING_ETC}/prometheus.yml`;
export const RULES_FILE = `${MONITORING_ETC}/rules/stakepool.yml`;
export const PROMETHEUS_DATA = "/var/lib/prometheus/metrics2";

/** The rendered Alertmanager configuration, without secrets; the host adds them (scripts/alertmanager-config.sh). */
export const ALERTMANAGER_TEMPLATE = `${MONITORING_ETC}/alertmanager.yml.in`;
/** What Alertmanager reads: the template with the Telegram token filled in (mode 0640, group prometheus). */
export const ALERTMANAGER_CONFIG = `${MONITORING_ETC}/alertmanager.yml`;
export const ALERTMANAGER_DATA = "/var/lib/prometheus/alertmanager";

export const UNITS = {
  prometheus: "prometheus",
  alertmanager: "prometheus-alertmanager",
  nodeExporter: "prometheus-node-exporter",
  grafana: "grafana",
} as const;

/** A drop-in for a package's unit (ordering, restarts), never an edit of the package's file. */
export function unitDropIn(unit: string): string {
  return `/etc/systemd/system/${unit}.service.d/10-stakepool.conf`;
}

/** Grafana: each release in /opt/grafana/<version>, `current` the running one (like the node). */
export const GRAFANA_USER = "grafana";
export const GRAFANA_ROOT = "/opt/grafana";
export const GRAFANA_CURRENT = `${GRAFANA_ROOT}/current`;
export const GRAFANA_ETC = "/etc/grafana";
export const GRAFANA_INI = `${GRAFANA_ETC}/grafana.ini`;
export const GRAFANA_ADMIN_PASSWORD_FILE = `${GRAFANA_ETC}/admin-password`;
export const GRAFANA_PROVISIONING = `${GRAFANA_ETC}/provisioning`;
export const GRAFANA_DATASOURCES = `${GRAFANA_PROVISIONING}/datasources/stakepool.yaml`;
export const GRAFANA_DASHBOARD_PROVIDERS = `${GRAFANA_PROVISIONING}/dashboards/stakepool.yaml`;
/** Provisioned dashboards: files the kit delivers, read-only to Grafana. */
export const GRAFANA_DASHBOARDS_DIR = `${GRAFANA_ETC}/dashboards`;
export const GRAFANA_DASHBOARD_FILE = `${GRAFANA_DASHBOARDS_DIR}/stakepool-pool.json`;
export const GRAFANA_DATA = "/var/lib/grafana";
export const GRAFANA_LOGS = "/var/log/grafana";
export const GRAFANA_UNIT_FILE = `/etc/systemd/system/${UNITS.grafana}.service`;
/** The pinned release (version, URL, SHA-256), read by the install script. */
export const GRAFANA_RELEASE_ENV = "/etc/stakepool/grafana-release.env";

/** The monitoring host's scripts, beside the node's. */
export function monitoringScript(name: string): string {
  return `${KIT_LIB_DIR}/${name}`;
}
