/**
 * Grafana on the monitoring host: the pinned release, its settings, its provisioning (the Prometheus
 * datasource and the pool's dashboard, both read-only) and its unit.
 *
 * Grafana is in neither Debian's nor Ubuntu's archive, so it is installed like the node: a release
 * tarball, downloaded by the host, checked against a pinned SHA-256 before anything is extracted
 * (scripts/install-grafana.sh). A wrong pin fails safe: nothing is installed.
 *
 * Access: Grafana listens on the monitoring host's loopback only and is reached through an SSH tunnel
 * (./access.ts), so the tunnel is the login: visitors are anonymous viewers; the admin password is made
 * on the host at first install (never in the kit, the plan or the state) and read by Grafana from its file.
 */
import * as yaml from "js-yaml";
import { DATASOURCE_UID } from "./dashboard";
import {
  GRAFANA_ADMIN_PASSWORD_FILE,
  GRAFANA_CURRENT,
  GRAFANA_DASHBOARDS_DIR,
  GRAFANA_DATA,
  GRAFANA_INI,
  GRAFANA_LOGS,
  GRAFANA_PROVISIONING,
  GRAFANA_USER,
} from "./paths";
import { GRAFANA_PORT, LOOPBACK, PROMETHEUS_PORT } from "./ports";
import { PRODUCTION_TIMING, duration, type MonitoringTiming } from "./timing";

export interface GrafanaRelease {
  readonly version: string;
  readonly url: string;
  readonly sha256: string;
}

/**
 * Grafana OSS 13.2.0, linux-amd64. Not downloaded here (no network). Grafana publishes each tarball's
 * SHA-256 beside it (`<url>.sha256`) and on https://grafana.com/grafana/download?edition=oss; this digest
 * is quoted by three independent projects that pin the same tarball, two under this URL and one under the
 * newer `https://dl.grafana.com/grafana/release/13.2.0/grafana_13.2.0_32077357341_linux_amd64.tar.gz`
 * (the same file). Check it against the published `.sha256` before relying on it.
 */
export const GRAFANA_RELEASE: GrafanaRelease = {
  version: "13.2.0",
  url: "https://dl.grafana.com/oss/release/grafana-13.2.0.linux-amd64.tar.gz",
  sha256: "4669384cdb0bb5b4a3f804927e57490d17f4cc47258cd1698fc124e99ee58265",
};

/** KEY=value lines read by install-grafana.sh. */
export function renderGrafanaReleaseEnv(release: GrafanaRelease = GRAFANA_RELEASE): string {
  return [
    "# The Grafana release the monitoring host runs (install-grafana.sh reads this).",
    `GRAFANA_VERSION=${release.version}`,
    `GRAFANA_URL=${release.url}`,
    `GRAFANA_SHA256=${release.sha256}`,
    "",
  ].join("\n");
}

/** grafana.ini: loopback only, anonymous read-only viewers, no phoning home, provisioning from /etc. */
export function renderGrafanaIni(): string {
  return [
    "; Rendered by the stake pool kit; changes here are overwritten.",
    "[paths]",
    `data = ${GRAFANA_DATA}`,
    `logs = ${GRAFANA_LOGS}`,
    `plugins = ${GRAFANA_DATA}/plugins`,
    `provisioning = ${GRAFANA_PROVISIONING}`,
    "",
    "[server]",
    `http_addr = ${LOOPBACK}`,
    `http_port = ${GRAFANA_PORT}`,
    "",
    "[security]",
    "admin_user = admin",
    `admin_password = $__file{${GRAFANA_ADMIN_PASSWORD_FILE}}`,
    "disable_gravatar = true",
    "",
    "[users]",
    "allow_sign_up = false",
    "",
    "[auth.anonymous]",
    "enabled = true",
    "org_role = Viewer",
    "",
    "[analytics]",
    "reporting_enabled = false",
    "check_for_updates = false",
    "check_for_plugin_updates = false",
    "",
    "[news]",
    "news_feed_enabled = false",
    "",
  ].join("\n");
}

/** The Prometheus datasource, on the monitoring host's loopback. */
export function renderGrafanaDatasources(timing: MonitoringTiming = PRODUCTION_TIMING): string {
  const doc = {
    apiVersion: 1,
    datasources: [
      {
        name: "Prometheus",
        uid: DATASOURCE_UID,
        type: "prometheus",
        access: "proxy",
        url: `http://${LOOPBACK}:${PROMETHEUS_PORT}`,
        isDefault: true,
        editable: false,
        // The scrape interval: Grafana's $__rate_interval is at least four of it.
        jsonData: { timeInterval: duration(timing.scrapeSeconds), httpMethod: "POST" },
      },
    ],
  };
  return yaml.dump(doc, { noRefs: true, lineWidth: -1 });
}

/** The dashboard provider: the pool's dashboard from its file, not editable or deletable in the UI. */
export function renderGrafanaDashboardProvider(): string {
  const doc = {
    apiVersion: 1,
    providers: [
      {
        name: "stakepool",
        type: "file",
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 60,
        options: { path: GRAFANA_DASHBOARDS_DIR, foldersFromFilesStructure: false },
      },
    ],
  };
  return yaml.dump(doc, { noRefs: true, lineWidth: -1 });
}

/** Grafana's unit: the current release, as its own user, confined to its data and log folders. */
export function renderGrafanaService(): string {
  return [
    "# Grafana for the stake pool's monitoring. Rendered by the kit.",
    "[Unit]",
    "Description=Grafana (stake pool dashboards)",
    "Documentation=https://grafana.com/docs/grafana/latest/",
    "Wants=network-online.target",
    "After=network-online.target prometheus.service",
    "",
    "[Service]",
    "Type=simple",
    `User=${GRAFANA_USER}`,
    `Group=${GRAFANA_USER}`,
    `WorkingDirectory=${GRAFANA_CURRENT}`,
    `ExecStart=${GRAFANA_CURRENT}/bin/grafana server --homepath ${GRAFANA_CURRENT} --config ${GRAFANA_INI}`,
    "Restart=on-failure",
    "RestartSec=5",
    "UMask=0027",
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    `ReadWritePaths=${GRAFANA_DATA} ${GRAFANA_LOGS}`,
    "ProtectHome=yes",
    "PrivateTmp=yes",
    "PrivateDevices=yes",
    "ProtectKernelTunables=yes",
    "ProtectKernelModules=yes",
    "ProtectControlGroups=yes",
    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
    "RestrictNamespaces=yes",
    "LockPersonality=yes",
    "CapabilityBoundingSet=",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}
