/**
 * prometheus.yml and alertmanager.yml: what they say, and that the real tools accept them
 * (`promtool check config` with the rules at their delivered path, `amtool check-config`, and
 * `amtool config routes test` for where each alert goes).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as yaml from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderAlertmanagerConfig, TELEGRAM_TOKEN_PLACEHOLDER } from "../../../components/features/monitoring/alertmanager-config";
import { checkMonitoringInput, type AlertChannels, type MonitoringInput } from "../../../components/features/monitoring/input";
import { PROMETHEUS_CONFIG, RULES_FILE } from "../../../components/features/monitoring/paths";
import { renderPrometheusConfig } from "../../../components/features/monitoring/prometheus-config";
import { renderAlertRules } from "../../../components/features/monitoring/rules";
import { describeWith } from "../../helpers/requirements";
import { ALL_CHANNELS, poolInput } from "./fixtures";

interface StaticConfig {
  targets: string[];
  labels: Record<string, string>;
}
interface ScrapeConfig {
  job_name: string;
  static_configs: StaticConfig[];
  metric_relabel_configs?: Array<Record<string, unknown>>;
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "monitoring-configs-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("prometheus.yml", () => {
  const input = poolInput("preprod");
  const config = yaml.load(renderPrometheusConfig(input)) as {
    global: Record<string, unknown>;
    scrape_configs: ScrapeConfig[];
    rule_files: string[];
    alerting: unknown;
  };
  const job = (name: string) => config.scrape_configs.find((j) => j.job_name === name)!;

  it("scrapes every pool host's node and node_exporter on its private address, and the monitor's node_exporter", () => {
    expect(job("cardano-node").static_configs).toEqual([
      { targets: ["10.30.0.10:12798"], labels: { host: "core", role: "core", forging: "true" } },
      { targets: ["10.30.16.11:12798"], labels: { host: "relay-1", role: "relay", forging: "false" } },
      { targets: ["10.30.32.12:12798"], labels: { host: "relay-2", role: "relay", forging: "false" } },
    ]);
    expect(job("node-exporter").static_configs.map((s) => [s.targets[0], s.labels.host])).toEqual([
      ["10.30.0.10:9100", "core"],
      ["10.30.16.11:9100", "relay-1"],
      ["10.30.32.12:9100", "relay-2"],
      ["10.30.0.20:9100", "monitor"],
    ]);
  });

  it("scrapes every 30 s, labels alerts with the pool and network, and never stores the per-block tip label", () => {
    expect(config.global).toMatchObject({ scrape_interval: "30s", evaluation_interval: "30s", external_labels: { pool: "test", network: "preprod" } });
    expect(job("cardano-node").metric_relabel_configs).toEqual([{ source_labels: ["__name__"], regex: "cardano_node_metrics_tipBlock", action: "drop" }]);
    expect(config.rule_files).toEqual([RULES_FILE]);
  });
});

describe("alertmanager.yml", () => {
  interface Routed {
    route: { routes: Array<Record<string, unknown>> };
    receivers: Array<{ name: string }>;
  }
  const load = (channels: AlertChannels) => yaml.load(renderAlertmanagerConfig(poolInput("preview", channels))) as Routed;

  it("keeps every secret out: the SMTP password by file, the Telegram token as a placeholder the host fills", () => {
    const text = renderAlertmanagerConfig(poolInput());
    expect(text).toContain("smtp_auth_password_file: /etc/stakepool/monitoring/smtp-password");
    expect(text).toContain(`bot_token: ${TELEGRAM_TOKEN_PLACEHOLDER}`);
    expect(text).not.toMatch(/smtp_auth_password:|bot_token_file/);
  });

  it("sends the Watchdog only to the heartbeat, every 5 minutes, or nowhere without one", () => {
    const withHeartbeat = load(ALL_CHANNELS);
    expect(withHeartbeat.route.routes[0]).toMatchObject({ matchers: ['alertname="Watchdog"'], receiver: "heartbeat", repeat_interval: "5m", group_interval: "1m" });
    const without = load({ webhookUrl: "https://hooks.example.org/x" });
    expect(without.route.routes[0]).toMatchObject({ receiver: "nobody" });
    expect(without.receivers.map((r) => r.name)).toEqual(["operator", "nobody"]);
  });
});

describe("the monitoring input", () => {
  const base = poolInput();
  const cases: Array<[string, (i: MonitoringInput) => MonitoringInput, RegExp]> = [
    ["no channel at all", (i) => ({ ...i, alerts: { heartbeatUrl: "https://hc.example.org/x" } }), /^alerts: alerts would reach nobody/],
    ["email without a relay", (i) => ({ ...i, alerts: { email: "a@example.org" } }), /^alerts\.email: email alerts need a mail relay/],
    ["a relay without port", (i) => ({ ...i, alerts: { ...ALL_CHANNELS, smtp: { ...ALL_CHANNELS.smtp!, smarthost: "smtp.example.org" } } }), /^alerts\.smtp\.smarthost/],
    ["a password without user", (i) => ({ ...i, alerts: { ...ALL_CHANNELS, smtp: { smarthost: "s.example.org:25", from: "a@example.org", passwordFile: "/p" } } }), /username and password file go together/],
    ["a relative token file", (i) => ({ ...i, alerts: { telegram: { botTokenFile: "token", chatId: "1" } } }), /^alerts\.telegram\.botTokenFile/],
    ["a chat name for an id", (i) => ({ ...i, alerts: { telegram: { botTokenFile: "/t", chatId: "@pool" } } }), /^alerts\.telegram\.chatId/],
    ["a webhook that is no URL", (i) => ({ ...i, alerts: { webhookUrl: "hooks.example.org/x" } }), /^alerts\.webhookUrl: .* is not a URL/],
    ["a file: heartbeat", (i) => ({ ...i, alerts: { ...ALL_CHANNELS, heartbeatUrl: "file:///etc/passwd" } }), /^alerts\.heartbeatUrl: must be an http\(s\) URL/],
    ["a public scrape address", (i) => ({ ...i, hosts: i.hosts.map((h) => (h.name === "relay-1" ? { ...h, privateIp: "203.0.113.7" } : h)) }), /relay-1: 203\.0\.113\.7 is not a private/],
    ["a duplicate address", (i) => ({ ...i, monitor: { privateIp: "10.30.0.10" } }), /core: 10\.30\.0\.10 is used twice/],
    ["a forging relay", (i) => ({ ...i, hosts: i.hosts.map((h) => (h.role === "relay" ? { ...h, forging: true } : h)) }), /relay-1 is a relay marked as forging/],
    ["a host name with a space", (i) => ({ ...i, hosts: [...i.hosts, { name: "relay 3", role: "relay", privateIp: "10.30.0.13", forging: false }] }), /not a short lower-case name/],
    ["a topic that is not an ARN", (i) => ({ ...i, alerts: { sns: { topicArn: "pool-alerts", region: "us-east-2" } } }), /^alerts\.sns\.topicArn/],
  ];

  it.each(cases)("refuses %s, naming the field and a fix", (_, change, message) => {
    const findings = checkMonitoringInput(change(base));
    const text = findings.problems.map((p) => `${p.setting}: ${p.message}`);
    expect(text.some((t) => message.test(t)), text.join("\n")).toBe(true);
    expect(findings.problems.every((p) => p.fix.length > 0)).toBe(true);
  });

  it("accepts a complete pool, and warns when no heartbeat watches the monitoring host", () => {
    expect(checkMonitoringInput(base).problems).toEqual([]);
    expect(checkMonitoringInput(base).warnings).toEqual([]);
    const { heartbeatUrl: _, ...rest } = ALL_CHANNELS;
    const findings = checkMonitoringInput({ ...base, alerts: rest });
    expect(findings.problems).toEqual([]);
    expect(findings.warnings.map((w) => w.setting)).toEqual(["alerts.heartbeatUrl"]);
  });
});

function run(argv: readonly string[], cwd = dir): { status: number; output: string } {
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", cwd });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

describeWith({ tools: ["promtool", "unshare", "mount"], root: true }, "prometheus.yml under promtool check config", () => {
  /** Puts the files at their delivered paths in a private mount namespace, then checks the config there. */
  function checkAtDeliveredPaths(config: string, rules: string): { status: number; output: string } {
    fs.writeFileSync(path.join(dir, "prometheus.yml"), config);
    fs.writeFileSync(path.join(dir, "rules.yml"), rules);
    // A private /etc: the kit's folder does not exist on this machine, and nothing else of /etc is needed.
    const script = [
      "mount -t tmpfs -o mode=0755 tmpfs /etc",
      `mkdir -p ${path.dirname(RULES_FILE)}`,
      `cp "$1/prometheus.yml" ${PROMETHEUS_CONFIG}`,
      `cp "$1/rules.yml" ${RULES_FILE}`,
      `promtool check config ${PROMETHEUS_CONFIG}`,
    ].join(" && ");
    return run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", dir]);
  }

  it("accepts the config and the rules it names, at the paths they are delivered to", () => {
    const input = poolInput("mainnet");
    const { status, output } = checkAtDeliveredPaths(renderPrometheusConfig(input), renderAlertRules(input));
    expect(output).toContain("SUCCESS: 1 rule files found");
    expect(output).toContain("SUCCESS: 21 rules found");
    expect(status).toBe(0);
  });

  it("refuses a broken config (the check is real)", () => {
    const input = poolInput("mainnet");
    const broken = renderPrometheusConfig(input).replace("scrape_interval: 30s", "scrape_interval: 30 seconds");
    const { status, output } = checkAtDeliveredPaths(broken, renderAlertRules(input));
    expect(status).not.toBe(0);
    expect(output).toMatch(/30 seconds|not a valid duration/);
  });
});

describeWith({ tools: ["amtool"] }, "alertmanager.yml under amtool (Debian's prometheus-alertmanager)", () => {
  const variants: Array<[string, AlertChannels]> = [
    ["every channel", ALL_CHANNELS],
    ["a webhook only, no heartbeat", { webhookUrl: "https://hooks.example.org/pool" }],
    ["email over a relay without authentication", { email: "op@example.org", smtp: { smarthost: "[2001:db8::25]:25", from: "pool@example.org" } }],
    ["Telegram and SNS", { telegram: ALL_CHANNELS.telegram!, sns: ALL_CHANNELS.sns!, heartbeatUrl: ALL_CHANNELS.heartbeatUrl! }],
  ];

  it.each(variants)("passes amtool check-config with %s", (name, channels) => {
    const file = path.join(dir, `am-${name.replace(/\W+/g, "-")}.yml`);
    fs.writeFileSync(file, renderAlertmanagerConfig(poolInput("preview", channels)));
    const { status, output } = run(["amtool", "check-config", file]);
    expect(output).toContain("SUCCESS");
    expect(status).toBe(0);
  });

  it("routes the Watchdog to the heartbeat and everything else to the operator", () => {
    const file = path.join(dir, "am-routes.yml");
    fs.writeFileSync(file, renderAlertmanagerConfig(poolInput()));
    const route = (...labels: string[]) => run(["amtool", "config", "routes", "test", `--config.file=${file}`, ...labels]).output.split("\n")[0];
    expect(route("alertname=Watchdog", "severity=none")).toBe("heartbeat");
    expect(route("alertname=KESExpiryImminent", "severity=critical", "host=core")).toBe("operator");
    expect(route("alertname=HostMemoryLow", "severity=warning", "host=relay-1")).toBe("operator");
  });

  it("refuses a broken config (the check is real)", () => {
    const file = path.join(dir, "am-broken.yml");
    fs.writeFileSync(file, renderAlertmanagerConfig(poolInput()).replace("group_wait: 30s", "group_wait: soon"));
    const { status } = run(["amtool", "check-config", file]);
    expect(status).not.toBe(0);
  });
});
