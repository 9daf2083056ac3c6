/**
 * What monitoring delivers to hosts, as steps of the kind features contribute (../feature.ts): files
 * and the commands that apply them: `exporterStep` on every pool host, `monitorStep` on the monitoring
 * host (./index.ts registers them, with the alert channels' secrets).
 *
 * Nothing here touches the node: `files` steps, never a reload or a restart of cardano-node.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { DeliveredDirectory, DeliveredFile } from "../../delivery/bundle";
import { ROOT_FILE, type HostStep } from "../feature";
import { renderAlertmanagerConfig } from "./alertmanager-config";
import { renderDashboard } from "./dashboard";
import {
  GRAFANA_DASHBOARD_PROVIDERS,
  GRAFANA_DASHBOARDS_DIR,
  GRAFANA_DASHBOARD_FILE,
  GRAFANA_DATASOURCES,
  GRAFANA_ETC,
  GRAFANA_INI,
  GRAFANA_PROVISIONING,
  GRAFANA_RELEASE_ENV,
  GRAFANA_UNIT_FILE,
  ALERTMANAGER_TEMPLATE,
  MONITORING_ETC,
  PROMETHEUS_CONFIG,
  PROMETHEUS_USER,
  RULES_FILE,
  UNITS,
  monitoringScript,
  unitDropIn,
} from "./paths";
import { GRAFANA_RELEASE, renderGrafanaDashboardProvider, renderGrafanaDatasources, renderGrafanaIni, renderGrafanaReleaseEnv, renderGrafanaService, type GrafanaRelease } from "./grafana";
import type { MonitoringInput } from "./input";
import { renderPrometheusConfig } from "./prometheus-config";
import { renderAlertRules } from "./rules";
import { renderAlertmanagerDropIn, renderExporterDropIn, renderPrometheusDropIn } from "./services";
import { PRODUCTION_TIMING, type MonitoringTiming } from "./timing";

export const MONITOR_PACKAGES = ["prometheus", "prometheus-alertmanager", "prometheus-node-exporter"] as const;
export const EXPORTER_PACKAGES = ["prometheus-node-exporter"] as const;
export const MONITORING_SCRIPTS = ["alertmanager-config.sh", "install-grafana.sh"] as const;

const SCRIPTS_DIR = path.join(__dirname, "scripts");

/**
 * Installs what is missing, keeping the kit's files if a package ships one at the same path (it does
 * not: the kit's configuration lives outside the packages' conffiles), and waiting for a running
 * unattended-upgrades instead of failing on its lock.
 */
export function installPackages(packages: readonly string[]): string {
  return [
    "set --",
    ...packages.map((p) => `dpkg-query -W -f='\${Status}\\n' ${p} 2>/dev/null | grep -q '^install ok installed$' || set -- "$@" ${p}`),
    'if [ "$#" -gt 0 ]; then export DEBIAN_FRONTEND=noninteractive; apt-get -o DPkg::Lock::Timeout=900 update -q && apt-get -o DPkg::Lock::Timeout=900 -o Dpkg::Options::=--force-confold install -y -q --no-install-recommends "$@"; fi',
  ].join("; ");
}

function restart(unit: string): string {
  return `systemctl enable ${unit}.service && systemctl restart ${unit}.service`;
}

const dir = (p: string): DeliveredDirectory => ({ path: p, owner: "root", group: "root", mode: "0755" });
const file = (p: string, content: string): DeliveredFile => ({ path: p, ...ROOT_FILE, content });

function script(name: (typeof MONITORING_SCRIPTS)[number]): DeliveredFile {
  return { path: monitoringScript(name), owner: "root", group: "root", mode: "0755", content: readFileSync(path.join(SCRIPTS_DIR, name), "utf8") };
}

/** node_exporter on a pool host, on its private address. */
export function exporterStep(input: MonitoringInput, hostName: string): HostStep {
  const host = input.hosts.find((h) => h.name === hostName);
  if (!host) throw new Error(`no monitored host ${hostName}`);
  const dropIn = renderExporterDropIn(host.privateIp);
  const dropInPath = unitDropIn(UNITS.nodeExporter);
  return {
    name: "node-exporter",
    delivery: {
      directories: [],
      files: [file(dropInPath, dropIn)],
      apply: [installPackages(EXPORTER_PACKAGES), "systemctl daemon-reload", restart(UNITS.nodeExporter)],
      remove: [`systemctl disable --now ${UNITS.nodeExporter}.service || true`, `rm -f "$R${dropInPath}"`, "systemctl daemon-reload"],
    },
    secret: false,
    effect: "files",
    planFiles: { "node-exporter.conf": dropIn },
  };
}

/** A secret the monitoring host receives as a file (the Telegram token, the SMTP password). */
export interface MonitorSecret {
  readonly path: string;
  readonly content: string;
  /** Alertmanager reads it itself (`smtp_auth_password_file`): readable by its group once the package made it. */
  readonly alertmanagerReads: boolean;
}

export interface MonitorStepOptions {
  readonly timing?: MonitoringTiming;
  readonly grafana?: GrafanaRelease;
  /** Written root-only (0400) like the hot keys; with any, the step travels as a Pulumi secret. */
  readonly secrets?: readonly MonitorSecret[];
}

/**
 * The monitoring host: Prometheus, Alertmanager and node_exporter from the distribution, Grafana from
 * its pinned release, everything they read, and the alert channels' secrets at the paths the input names.
 */
export function monitorStep(input: MonitoringInput, options: MonitorStepOptions = {}): HostStep {
  const timing = options.timing ?? PRODUCTION_TIMING;
  const prometheus = renderPrometheusConfig(input, timing);
  const rules = renderAlertRules(input);
  const alertmanager = renderAlertmanagerConfig(input, timing);
  const dashboard = renderDashboard(input);
  const ini = renderGrafanaIni();
  const datasources = renderGrafanaDatasources(timing);
  const providers = renderGrafanaDashboardProvider();
  const unit = renderGrafanaService();
  const release = renderGrafanaReleaseEnv(options.grafana ?? GRAFANA_RELEASE);
  const dropIns = {
    prometheus: renderPrometheusDropIn(),
    alertmanager: renderAlertmanagerDropIn(),
    exporter: renderExporterDropIn(input.monitor.privateIp),
  };
  const tokenFile = input.alerts.telegram?.botTokenFile;
  const secrets = options.secrets ?? [];
  return {
    name: "monitoring",
    delivery: {
      directories: [MONITORING_ETC, path.dirname(RULES_FILE), GRAFANA_ETC, GRAFANA_PROVISIONING, path.dirname(GRAFANA_DATASOURCES), path.dirname(GRAFANA_DASHBOARD_PROVIDERS), GRAFANA_DASHBOARDS_DIR].map(dir),
      files: [
        file(PROMETHEUS_CONFIG, prometheus),
        file(RULES_FILE, rules),
        file(ALERTMANAGER_TEMPLATE, alertmanager),
        file(unitDropIn(UNITS.prometheus), dropIns.prometheus),
        file(unitDropIn(UNITS.alertmanager), dropIns.alertmanager),
        file(unitDropIn(UNITS.nodeExporter), dropIns.exporter),
        file(GRAFANA_RELEASE_ENV, release),
        file(GRAFANA_INI, ini),
        file(GRAFANA_DATASOURCES, datasources),
        file(GRAFANA_DASHBOARD_PROVIDERS, providers),
        file(GRAFANA_DASHBOARD_FILE, dashboard),
        file(GRAFANA_UNIT_FILE, unit),
        script("alertmanager-config.sh"),
        script("install-grafana.sh"),
        ...secrets.map((s): DeliveredFile => ({ path: s.path, owner: "root", group: "root", mode: "0400", content: s.content })),
      ],
      apply: [
        installPackages(MONITOR_PACKAGES),
        // The packages made the group; a secret Alertmanager reads becomes readable by it.
        ...secrets.filter((s) => s.alertmanagerReads).map((s) => `chgrp ${PROMETHEUS_USER} "$R${s.path}" && chmod 0440 "$R${s.path}"`),
        "systemctl daemon-reload",
        // A configuration Prometheus would refuse never replaces the running one's process.
        `promtool check config "$R${PROMETHEUS_CONFIG}" >/dev/null`,
        `"$R${monitoringScript("alertmanager-config.sh")}"${tokenFile !== undefined ? ` "${tokenFile}"` : ""}`,
        restart(UNITS.prometheus),
        restart(UNITS.alertmanager),
        restart(UNITS.nodeExporter),
        `"$R${monitoringScript("install-grafana.sh")}"`,
        restart(UNITS.grafana),
      ],
      ...(secrets.length > 0 ? { remove: secrets.map((s) => `rm -f "$R${s.path}"`) } : {}),
    },
    secret: secrets.length > 0,
    effect: "files",
    planFiles: {
      "prometheus.yml": prometheus,
      "alert-rules.yml": rules,
      "alertmanager.yml": alertmanager,
      "grafana-dashboard.json": dashboard,
      "grafana.ini": ini,
      "prometheus.conf": dropIns.prometheus,
      "alertmanager.conf": dropIns.alertmanager,
      "node-exporter.conf": dropIns.exporter,
    },
  };
}
