/**
 * Monitoring wired into the pool (issue 15): `stakepool:monitoring` and the alert channels decide, with
 * every bad input refused by its setting before anything exists; the monitoring host is placed on both
 * backends; both walls admit the scrapes from it alone (the same ports ./ports.ts lists); the secrets
 * reach the monitoring host only; on AWS the alerts topic, its publisher role and the status alarm exist.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { AWS_ACCOUNT_PLACEHOLDER, TELEGRAM_TOKEN_PLACEHOLDER } from "../../../components/features/monitoring/alertmanager-config";
import { monitorHostStep } from "../../../components/features/monitoring/index";
import { SMTP_PASSWORD_FILE, TELEGRAM_TOKEN_FILE } from "../../../components/features/monitoring/load";
import { scrapeRules } from "../../../components/features/monitoring/ports";
import { planDeployment } from "../../../components/deployment/deployment";
import { firewallPolicy, hostRules } from "../../../components/firewall/policy";
import { ConfigurationError } from "../../../components/config/problems";
import { inputEffect, knowsType } from "../../../cli/plan/replacements";
import { loadPool } from "../../../components/program/load";
import type { RawConfig } from "../../../components/config/read";
import { rawConfig, type ConfigValues } from "../../helpers/config";
import { ROOT, planWith, resourcesOf, type PlanFiles } from "../../helpers/plan";
import { GOOD } from "../../backends/ssh/servers";
import { KES_SKEY, VRF_SKEY, opcertFor } from "../../helpers/hot-keys";
import { kesPeriodAt } from "../../../components/keys/kes";
import { NETWORKS } from "../../../components/networks/networks";

/** Mainnet hot keys with a certificate valid now. */
function mainnetKeys(): ConfigValues {
  return { kesSigningKey: KES_SKEY, vrfSigningKey: VRF_SKEY, operationalCertificate: opcertFor(kesPeriodAt(NETWORKS.mainnet.timing, NOW)) };
}

const NOW = new Date("2026-11-26T12:00:00Z");
const TOKEN = "123456789:AAEhBP0av28VKcdXvzXLEBcSDlMy6Mo-Ab0";

function withSecrets(raw: RawConfig, secrets: readonly string[]): RawConfig {
  return { values: raw.values, secretKeys: new Set(secrets.map((k) => `stakepool:${k}`)) };
}

function load(values: ConfigValues, secrets: readonly string[] = [], drop: readonly string[] = []) {
  return loadPool(withSecrets(rawConfig("preview", values, drop), secrets), "mon", { plan: true, now: NOW, baseDir: ROOT });
}

/** The problems' settings, with their messages and fixes, of a configuration that must be refused. */
function refusal(values: ConfigValues, secrets: readonly string[] = [], drop: readonly string[] = []): { settings: string[]; text: string } {
  try {
    load(values, secrets, drop);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return { settings: error.problems.map((p) => p.setting), text: error.message };
  }
  throw new Error("the configuration was accepted");
}

/** The same pool on own servers: GOOD (core, relay-1, relay-2) and a monitoring host. */
const MONITOR_SERVER = { name: "watch", role: "monitor", address: "10.0.0.20", sshUser: "ops", hostKey: GOOD[0]!.hostKey, memoryGiB: 2, dataDiskGiB: 20 };
const SSH = { backend: "ssh", sshPublicKey: "", monitoring: true };
const SMTP = { alertEmail: "ops@example.org", alertSmtpHost: "smtp.example.org:587", alertSmtpFrom: "pool@example.org" };

describe("stakepool:monitoring and the alert channels", () => {
  it("on by default: a monitoring host beside the pool, node_exporter on every pool host, alerts to the email through SNS on AWS", () => {
    const pool = load({});
    expect(pool.model.monitor).toMatchObject({ name: "monitor", role: "monitor", privateIp: "10.30.0.9", dataDisk: { kind: "folder" } });
    const steps = Object.fromEntries(planDeployment(pool).hosts.map((h) => [h.host.name, h.steps.map((s) => s.name)]));
    expect(steps.monitor).toEqual(["system", "firewall", "monitoring"]);
    for (const host of ["core", "relay-1", "relay-2"]) expect(steps[host]!.at(-1)).toBe("node-exporter");
    expect(pool.monitoring!.input.alerts.sns).toEqual({ topicArn: `arn:aws:sns:us-east-2:${AWS_ACCOUNT_PLACEHOLDER}:stakepool-mon-alerts`, region: "us-east-2" });
    expect(pool.monitoring!.snsTopic).toEqual({ name: "stakepool-mon-alerts", email: "ops@example.com" });
    // The forging alerts watch the core only when it has keys.
    expect(pool.monitoring!.input.hosts.map((h) => [h.name, h.role, h.forging])).toEqual([
      ["core", "core", false],
      ["relay-1", "relay", false],
      ["relay-2", "relay", false],
    ]);
  });

  it("off: no monitoring host, no exporter, no scrape rule, the node's metrics on loopback", () => {
    const pool = load({ monitoring: false });
    expect(pool.model.monitor).toBeUndefined();
    expect(pool.monitoring).toBeUndefined();
    for (const h of planDeployment(pool).hosts) {
      expect(h.steps.map((s) => s.name)).not.toContain("node-exporter");
      expect(h.planFiles.get("node-config.json")).not.toContain("TraceOptions");
    }
  });

  it.each<[string, ConfigValues, readonly string[], readonly string[], RegExp]>([
    ["no channel at all", {}, [], ["alertEmail"], /stakepool:monitoring: is on, but its alerts would reach nobody[\s\S]*pulumi config set stakepool:monitoring false/],
    ["a chat id without its token", { alertTelegramChatId: "-1001234567890" }, [], [], /stakepool:alertTelegramBotToken: is not set: Telegram alerts need/],
    ["a token without its chat", { alertTelegramBotToken: TOKEN }, ["alertTelegramBotToken"], [], /stakepool:alertTelegramChatId: is not set/],
    ["a token that is not one", { alertTelegramChatId: "42", alertTelegramBotToken: "not-a-token" }, ["alertTelegramBotToken"], [], /stakepool:alertTelegramBotToken: is not a bot token/],
    ["a chat id that is not a number", { alertTelegramChatId: "@mychannel", alertTelegramBotToken: TOKEN }, ["alertTelegramBotToken"], [], /stakepool:alertTelegramChatId: "@mychannel" is not a numeric chat id/],
    ["a webhook that is not a URL", { alertWebhookUrl: "hooks.example.org" }, [], [], /stakepool:alertWebhookUrl: "hooks\.example\.org" is not a URL/],
    ["a webhook over ftp", { alertWebhookUrl: "ftp://hooks.example.org/x" }, [], [], /stakepool:alertWebhookUrl: must be an http\(s\) URL/],
    ["a mail relay without host:port", { alertSmtpHost: "smtp.example.org", alertSmtpFrom: "a@example.org" }, [], [], /stakepool:alertSmtpHost: "smtp\.example\.org" is not host:port/],
    ["a mail relay without a sender", { alertSmtpHost: "smtp.example.org:587" }, [], [], /stakepool:alertSmtpFrom: "" is not an email address/],
    ["a login without its password", { ...SMTP, alertSmtpUser: "pool" }, [], [], /stakepool:alertSmtpPassword: is not set, but stakepool:alertSmtpUser is/],
    ["a sender without a relay", { alertSmtpFrom: "a@example.org" }, [], [], /stakepool:alertSmtpFrom: is set without stakepool:alertSmtpHost/],
  ])("refuses %s, naming the setting and the fix", (_, values, secrets, drop, message) => {
    const { text } = refusal(values, secrets, drop);
    expect(text).toMatch(message);
    expect(text).toContain("Fix: ");
    // A credential is never quoted back.
    expect(text).not.toContain(TOKEN.split(":")[1]);
  });

  it("refuses a credential in plain text when deploying (the plan only warns)", () => {
    const raw = rawConfig("preview", { alertTelegramChatId: "42", alertTelegramBotToken: TOKEN });
    expect(() => loadPool(raw, "mon", { deploying: true, now: NOW, baseDir: ROOT })).toThrow(/stakepool:alertTelegramBotToken: .*it must be encrypted/);
  });

  it("keeps the secrets on the monitoring host: 0400 files in a secret step, never in a plan file", () => {
    const pool = load({ ...SMTP, alertSmtpUser: "pool", alertSmtpPassword: "s3cret-relay-pass", alertTelegramChatId: "-1001234567890", alertTelegramBotToken: TOKEN }, ["alertSmtpPassword", "alertTelegramBotToken"]);
    const deployment = planDeployment(pool);
    const monitor = deployment.hosts.find((h) => h.host.role === "monitor")!;
    const step = monitor.steps.find((s) => s.name === "monitoring")!;
    expect(step.secret).toBe(true);
    const secrets = step.delivery.files.filter((f) => f.path === SMTP_PASSWORD_FILE || f.path === TELEGRAM_TOKEN_FILE);
    expect(secrets.map((f) => [f.path, f.owner, f.group, f.mode, f.content])).toEqual([
      [SMTP_PASSWORD_FILE, "root", "root", "0400", "s3cret-relay-pass"],
      [TELEGRAM_TOKEN_FILE, "root", "root", "0400", TOKEN],
    ]);
    // Alertmanager reads the SMTP password itself: its group gets it once the package has made the group.
    const apply = step.delivery.apply;
    expect(apply.findIndex((c) => c.startsWith("chgrp prometheus"))).toBe(1);
    expect(apply[0]).toContain("prometheus-alertmanager");
    for (const h of deployment.hosts) {
      for (const content of h.planFiles.values()) {
        expect(content).not.toContain(TOKEN);
        expect(content).not.toContain("s3cret-relay-pass");
      }
      if (h.host.role !== "monitor") for (const s of h.steps) expect(s.delivery.files.map((f) => f.content).join()).not.toContain(TOKEN);
    }
    expect(monitor.planFiles.get("alertmanager.yml")).toContain(TELEGRAM_TOKEN_PLACEHOLDER);
    expect(monitor.planFiles.get("alertmanager.yml")).toContain("smtp_auth_password_file: /etc/stakepool/monitoring/smtp-password");
    // Without secrets, the step is plain.
    expect(monitorHostStep(load({}).monitoring!).secret).toBe(false);
  });

  it("a mail relay on AWS replaces SNS: no topic, and a warning that nothing reports the monitoring host's death", () => {
    const pool = load({ ...SMTP });
    expect(pool.monitoring!.snsTopic).toBeUndefined();
    expect(pool.monitoring!.input.alerts.sns).toBeUndefined();
    expect(pool.warnings.find((w) => w.setting === "stakepool:alertHeartbeatUrl")?.message).toContain("nothing tells you");
  });
});

describe("both walls admit the scrapes from the monitoring host alone", () => {
  const pool = load({});
  const policy = firewallPolicy(pool.model);

  it("the policy opens exactly the ports the monitoring renderers scrape, on every pool host, from the monitoring host's /32", () => {
    const fromPolicy = pool.model.hosts
      .filter((h) => h.role !== "monitor")
      .flatMap((h) => hostRules(policy, h).filter((r) => r.service === "node-metrics" || r.service === "node-exporter").map((r) => `${h.name}:${r.port}<-${r.source.cidr}`));
    const fromRenderers = scrapeRules(pool.monitoring!.input).map((r) => `${r.host}:${r.port}<-${r.from}/32`);
    expect(fromPolicy.sort()).toEqual(fromRenderers.sort());
    expect(hostRules(policy, pool.model.monitor!).map((r) => `${r.port}<-${r.source.cidr}`)).toEqual(["22<-10.30.0.11/32", "22<-10.30.1.12/32"]);
  });

  it("the node listens for metrics on the private address the monitoring host scrapes", () => {
    for (const h of planDeployment(pool).hosts.filter((x) => x.host.role !== "monitor")) {
      expect(h.planFiles.get("node-config.json")).toContain(`"PrometheusSimple suffix ${h.host.privateIp} 12798"`);
      expect(h.planFiles.get("node-exporter.conf")).toContain(`--web.listen-address=${h.host.privateIp}:9100`);
    }
  });
});

describe("with a Mithril signer on the core (issue 16)", () => {
  const pool = loadPool(
    withSecrets(rawConfig("mainnet", { ...mainnetKeys(), nodeSha256: "a".repeat(64), mithrilSha256: "b".repeat(64) }), ["kesSigningKey", "vrfSigningKey"]),
    "mon",
    { plan: true, now: NOW, baseDir: ROOT },
  );
  const monitorIp = pool.model.monitor!.privateIp;
  const coreStep = (p: typeof pool) => planDeployment(p).hosts.find((h) => h.host.role === "core")!;

  it("the signer's metrics listen on the core's private address, for the monitoring host alone (both walls and its own sandbox)", () => {
    const core = coreStep(pool);
    expect(core.planFiles.get("mithril-signer.env")).toContain(`METRICS_SERVER_IP=${pool.model.core.privateIp}\n`);
    expect(core.planFiles.get("mithril-signer.service")).toMatch(new RegExp(`^IPAddressAllow=localhost .*${monitorIp.replace(/\./g, "\\.")}$`, "m"));
    expect(pool.monitoring!.input.mithrilSigner).toEqual({ host: "core", privateIp: pool.model.core.privateIp });
    const rules = hostRules(firewallPolicy(pool.model), pool.model.core).filter((r) => r.port === 9090);
    expect(rules.map((r) => `${r.service}<-${r.source.cidr}`)).toEqual([`signer-metrics<-${monitorIp}/32`]);
    expect(core.planFiles.get("nftables.conf")).toContain(`ip saddr ${monitorIp}/32 tcp dport 9090 accept`);
    const monitor = planDeployment(pool).hosts.find((h) => h.host.role === "monitor")!;
    expect(monitor.planFiles.get("prometheus.yml")).toContain(`- ${pool.model.core.privateIp}:9090`);
    expect(monitor.planFiles.get("alert-rules.yml")).toContain("alert: MithrilSignerNotRegistered");
    // The renderers' list and the policy agree, the signer's port included.
    const fromPolicy = pool.model.hosts.flatMap((h) => hostRules(firewallPolicy(pool.model), h).filter((r) => r.source.cidr === `${monitorIp}/32`).map((r) => `${h.name}:${r.port}`));
    expect(fromPolicy.sort()).toEqual(scrapeRules(pool.monitoring!.input).map((r) => `${r.host}:${r.port}`).sort());
  });

  it("without monitoring, the signer keeps its metrics on loopback and admits no one else", () => {
    const bare = loadPool(
      withSecrets(rawConfig("mainnet", { ...mainnetKeys(), nodeSha256: "a".repeat(64), mithrilSha256: "b".repeat(64), monitoring: false }), ["kesSigningKey", "vrfSigningKey"]),
      "mon",
      { plan: true, now: NOW, baseDir: ROOT },
    );
    const core = coreStep(bare);
    expect(core.planFiles.get("mithril-signer.env")).toContain("METRICS_SERVER_IP=127.0.0.1\n");
    expect(core.planFiles.get("nftables.conf")).not.toContain("dport 9090");
  });
});

describe("on own servers", () => {
  const servers = [...GOOD, MONITOR_SERVER];

  it("the server with role monitor is the monitoring host, reached through the first relay, and alerts mail through the relay", () => {
    const pool = load({ ...SSH, ...SMTP, servers }, [], ["aws:region"]);
    expect(pool.model.monitor).toMatchObject({ name: "watch", role: "monitor", privateIp: "10.0.0.20", login: { user: "ops", port: 22 }, dataDisk: { kind: "folder" } });
    const deployment = planDeployment(pool);
    expect(deployment.hosts.find((h) => h.host.name === "watch")!.via).toBe(pool.model.relays[0]!.name);
    expect(deployment.rollout.at(-1)).toBe("watch");
    expect(pool.monitoring!.input.alerts.smtp).toEqual({ smarthost: "smtp.example.org:587", from: "pool@example.org" });
    expect(pool.monitoring!.snsTopic).toBeUndefined();
  });

  it.each<[string, ConfigValues, RegExp]>([
    ["monitoring on without a monitor server", { ...SSH, ...SMTP, servers: GOOD }, /stakepool:servers: has no server with role monitor[\s\S]*or pulumi config set stakepool:monitoring false/],
    ["a monitor server with monitoring off", { ...SSH, ...SMTP, monitoring: false, servers }, /lists watch with role monitor, but stakepool:monitoring is false/],
    ["email without a mail relay", { ...SSH, alertEmail: "ops@example.org", servers }, /stakepool:alertEmail: needs a mail relay on your own servers/],
    ["two monitoring hosts", { ...SSH, ...SMTP, servers: [...servers, { ...MONITOR_SERVER, name: "watch-2", address: "10.0.0.21" }] }, /has 2 servers with role monitor/],
    ["a monitoring host with a data device", { ...SSH, ...SMTP, servers: [...GOOD, { ...MONITOR_SERVER, dataDevice: "/dev/disk/by-id/nvme-X" }] }, /dataDevice: is set on the monitoring host/],
    ["a monitoring host with 1 GiB", { ...SSH, ...SMTP, servers: [...GOOD, { ...MONITOR_SERVER, memoryGiB: 1 }] }, /below the monitoring host's floor of 2 GiB/],
    ["a published monitoring host", { ...SSH, ...SMTP, servers: [...GOOD, { ...MONITOR_SERVER, publicAddress: "203.0.113.50" }] }, /publicAddress: is set on the monitor/],
  ])("refuses %s", (_, values, message) => {
    expect(refusal(values, [], ["aws:region"]).text).toMatch(message);
  });
});

describe("the AWS resources of monitoring (the program under Pulumi mocks)", () => {
  let files: PlanFiles;
  beforeAll(async () => {
    files = await planWith("preview", rawConfig("preview", {}), NOW.toISOString());
  }, 120_000);

  it("an alerts topic with the email subscribed, a role that may publish to it alone, on the monitoring instance only", () => {
    const resources = resourcesOf(files);
    const of = (type: string) => resources.filter((r) => r.type === type);
    expect(of("aws:sns/topic:Topic").map((r) => r.inputs.name)).toEqual(["stakepool-preview-alerts"]);
    expect(of("aws:sns/topicSubscription:TopicSubscription").find((r) => r.name === "pool-alerts")!.inputs).toMatchObject({ protocol: "email", endpoint: "ops@example.com" });
    const policy = of("aws:iam/rolePolicy:RolePolicy").find((r) => r.name === "pool-alerts")!;
    expect(JSON.parse(String(policy.inputs.policy))).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sns:Publish", Resource: "<arn of pool-alerts>" }] });
    const instances = of("aws:ec2/instance:Instance");
    expect(instances.filter((r) => r.inputs.iamInstanceProfile !== undefined).map((r) => [r.name, r.inputs.iamInstanceProfile])).toEqual([["pool-monitor", "stakepool-preview-monitor"]]);
    expect(instances.find((r) => r.name === "pool-monitor")!.inputs).toMatchObject({ instanceType: "t3.small", privateIp: "10.30.0.9" });
    // No chain database on the monitoring host.
    expect(of("aws:ebs/volume:Volume").map((r) => r.name).sort()).toEqual(["pool-core-data", "pool-relay-1-data", "pool-relay-2-data"]);
  });

  it("a status alarm on the monitoring instance that mails the topic, a stopped instance included", () => {
    const alarms = resourcesOf(files).filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.inputs).toMatchObject({
      name: "stakepool-preview-monitor-down",
      namespace: "AWS/EC2",
      metricName: "StatusCheckFailed",
      dimensions: { InstanceId: "<id of pool-monitor>" },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 5,
      treatMissingData: "breaching",
      alarmActions: ["<arn of pool-alerts>"],
    });
  });

  it("what replaces the new resource types, as the provider decides (terraform-provider-aws iam/instance_profile.go, cloudwatch/metric_alarm.go)", () => {
    expect(inputEffect("aws:iam/instanceProfile:InstanceProfile", { name: "a", role: "r" }, { name: "b", role: "r" })?.effect).toBe("replace");
    expect(inputEffect("aws:iam/instanceProfile:InstanceProfile", { name: "a", role: "r" }, { name: "a", role: "s" })?.effect).toBe("update");
    expect(inputEffect("aws:cloudwatch/metricAlarm:MetricAlarm", { name: "a", period: 60 }, { name: "b", period: 60 })?.effect).toBe("replace");
    expect(inputEffect("aws:cloudwatch/metricAlarm:MetricAlarm", { name: "a", period: 60 }, { name: "a", period: 300 })?.effect).toBe("update");
    for (const r of resourcesOf(files)) expect(knowsType(r.type), r.type).toBe(true);
  });

  it("the monitoring host's deliveries wait for the first relay's SSH settings, which name it", () => {
    const up = resourcesOf(files).find((r) => r.name === "pool-monitor-up")!;
    expect(up.options?.dependsOn).toContain("command:remote:Command::pool-relay-1-system");
    expect(files["hosts/relay-1/sshd.conf"]).toContain("PermitOpen 10.30.0.10:22 10.30.0.9:22");
    expect(files["plan.md"]).toContain("ssh -N -J ubuntu@<publicIp of pool-relay-1> -L 3000:127.0.0.1:3000 ubuntu@10.30.0.9");
  });
});
