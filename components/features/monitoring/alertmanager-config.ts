/**
 * alertmanager.yml: who hears about what, and how often.
 *
 * - One receiver, `operator`, with every channel the input gives (email over SMTP, SNS, Telegram, a
 *   webhook). Alerts are grouped per pool, alert and host; a new group waits 30 s for its siblings;
 *   critical alerts repeat every hour while they fire, the rest every 4 hours.
 * - `Watchdog` (always firing) goes only to the heartbeat URL, every 5 minutes: a dead-man service that
 *   misses two pings (period 5 min + grace 5 min) tells the operator within about 11 minutes that the
 *   monitoring host, its Prometheus or its Alertmanager died. Without a heartbeat URL it goes nowhere.
 * - Inhibitions: a host that is down does not also page for everything on it; a node that is down does
 *   not also page for not advancing.
 *
 * Secrets stay out of this file: the SMTP password is read by Alertmanager from its file
 * (`smtp_auth_password_file`); the Telegram token is written in by the host from its file
 * (scripts/alertmanager-config.sh), because Debian 12's Alertmanager 0.25 has no `bot_token_file` (0.26 added it).
 * Syntax: Alertmanager config/config.go and config/notifiers.go at 0.25, checked by `amtool check-config`.
 */
import * as yaml from "js-yaml";
import type { MonitoringInput } from "./input";
import { duration, PRODUCTION_TIMING, REPEAT_CRITICAL, REPEAT_DEFAULT, type MonitoringTiming } from "./timing";

/** What the host replaces with the content of `alerts.telegram.botTokenFile`. */
export const TELEGRAM_TOKEN_PLACEHOLDER = "STAKEPOOL_TELEGRAM_BOT_TOKEN";
/**
 * In the SNS topic's ARN, the AWS account the plan cannot know: the monitoring host fills it in from its
 * instance identity document (scripts/alertmanager-config.sh), as the plan shows.
 */
export const AWS_ACCOUNT_PLACEHOLDER = "STAKEPOOL_AWS_ACCOUNT_ID";

export const RECEIVERS = { operator: "operator", heartbeat: "heartbeat", nobody: "nobody" } as const;

/** Alerts that a firing source makes pointless on the same host. */
const INHIBITIONS: ReadonlyArray<{ source: string; targets: string }> = [
  {
    source: "HostDown",
    targets: "CardanoNodeDown|CardanoNodeNotAdvancing|RelayFewHotPeers|SlotLeaderChecksMissed|BlockProducerCannotForge|HostDiskFillingUp|HostMemoryLow|HostClockSkew|MithrilSignerNotRegistered",
  },
  { source: "CardanoNodeDown", targets: "CardanoNodeNotAdvancing|RelayFewHotPeers|SlotLeaderChecksMissed|BlockProducerCannotForge" },
];

export function renderAlertmanagerConfig(input: MonitoringInput, timing: MonitoringTiming = PRODUCTION_TIMING): string {
  const a = input.alerts;
  const global: Record<string, unknown> = { resolve_timeout: "5m" };
  if (a.smtp !== undefined) {
    global.smtp_smarthost = a.smtp.smarthost;
    global.smtp_from = a.smtp.from;
    if (a.smtp.username !== undefined) global.smtp_auth_username = a.smtp.username;
    if (a.smtp.passwordFile !== undefined) global.smtp_auth_password_file = a.smtp.passwordFile;
    global.smtp_require_tls = true;
  }

  const operator: Record<string, unknown> = { name: RECEIVERS.operator };
  if (a.email !== undefined && a.smtp !== undefined) operator.email_configs = [{ to: a.email, send_resolved: true }];
  if (a.sns !== undefined) operator.sns_configs = [{ topic_arn: a.sns.topicArn, sigv4: { region: a.sns.region }, send_resolved: true }];
  if (a.telegram !== undefined) {
    operator.telegram_configs = [{ bot_token: TELEGRAM_TOKEN_PLACEHOLDER, chat_id: Number(a.telegram.chatId), send_resolved: true }];
  }
  if (a.webhookUrl !== undefined) operator.webhook_configs = [{ url: a.webhookUrl, send_resolved: true }];

  const receivers: Record<string, unknown>[] = [operator];
  if (a.heartbeatUrl !== undefined) receivers.push({ name: RECEIVERS.heartbeat, webhook_configs: [{ url: a.heartbeatUrl, send_resolved: false }] });
  else receivers.push({ name: RECEIVERS.nobody });

  const config = {
    global,
    route: {
      receiver: RECEIVERS.operator,
      group_by: ["pool", "alertname", "host"],
      group_wait: duration(timing.groupWaitSeconds),
      group_interval: duration(timing.groupIntervalSeconds),
      repeat_interval: REPEAT_DEFAULT,
      routes: [
        {
          matchers: ['alertname="Watchdog"'],
          receiver: a.heartbeatUrl !== undefined ? RECEIVERS.heartbeat : RECEIVERS.nobody,
          group_wait: duration(Math.min(10, timing.heartbeatSeconds)),
          group_interval: duration(Math.min(60, timing.heartbeatSeconds)),
          repeat_interval: duration(timing.heartbeatSeconds),
        },
        { matchers: ['severity="critical"'], receiver: RECEIVERS.operator, repeat_interval: REPEAT_CRITICAL },
      ],
    },
    inhibit_rules: INHIBITIONS.map((i) => ({
      source_matchers: [`alertname="${i.source}"`],
      target_matchers: [`alertname=~"${i.targets}"`],
      equal: ["pool", "host"],
    })),
    receivers,
  };
  return `# Rendered by the stake pool kit for ${input.stack}; the host fills in secrets from their files.\n${yaml.dump(config, { noRefs: true, lineWidth: -1 })}`;
}
