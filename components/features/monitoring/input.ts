/**
 * What the monitoring renderers need to know about a pool, as plain data: the network, the hosts it
 * scrapes, the monitoring host, and where alerts go. The lead's wiring builds it from the pool model and
 * the stack's settings; nothing here reads config or knows a setting's name (problems name the input
 * field, e.g. `alerts.smtp.smarthost`, which the wiring maps to its `stakepool:` key).
 */
import ipaddr from "ipaddr.js";
import { Findings } from "../../config/problems";
import type { NetworkProfile } from "../../networks/networks";

export interface MonitoredHost {
  /** "core", "relay-1", …: the `host` label of every series scraped from it. */
  readonly name: string;
  readonly role: "core" | "relay";
  readonly privateIp: string;
  /** The node has forging keys (the core of a registered pool): the forging alerts watch it. */
  readonly forging: boolean;
}

export interface SmtpSettings {
  /** `host:port` of the mail relay (587 with STARTTLS is the usual submission port). */
  readonly smarthost: string;
  readonly from: string;
  readonly username?: string;
  /** A file on the monitoring host holding the password (Alertmanager's `smtp_auth_password_file`). */
  readonly passwordFile?: string;
}

export interface TelegramSettings {
  /** A file on the monitoring host holding the bot token (a secret: never in a rendered file). */
  readonly botTokenFile: string;
  /** The chat's numeric id (negative for groups). */
  readonly chatId: string;
}

export interface SnsSettings {
  readonly topicArn: string;
  readonly region: string;
}

export interface AlertChannels {
  /** Where email alerts go; needs `smtp` (or, on AWS, `sns` with an email subscription instead). */
  readonly email?: string;
  readonly smtp?: SmtpSettings;
  /** AWS SNS topic (the monitoring host's instance role must be allowed to publish to it). */
  readonly sns?: SnsSettings;
  readonly telegram?: TelegramSettings;
  /** Any receiver of Alertmanager's webhook JSON (e.g. a chat bridge). */
  readonly webhookUrl?: string;
  /** A dead-man service (e.g. healthchecks.io) that the always-firing Watchdog pings. */
  readonly heartbeatUrl?: string;
}

export interface MonitoringInput {
  readonly network: NetworkProfile;
  /** The stack's name: the `pool` label on every alert, so one inbox can serve several pools. */
  readonly stack: string;
  readonly hosts: readonly MonitoredHost[];
  readonly monitor: { readonly privateIp: string };
  readonly alerts: AlertChannels;
  /** The Mithril signer on the core, when it runs (issue 16): its metrics endpoint is scraped too. */
  readonly mithrilSigner?: { readonly host: string; readonly privateIp: string };
}

const HOST_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ABSOLUTE_PATH = /^\/[A-Za-z0-9._/-]+$/;
const SMARTHOST = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):([0-9]{1,5})$/;
const EMAIL = /^[^\s@"]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
/** Alertmanager's `chat_id` is an int64 (config/notifiers.go `TelegramConfig`); Telegram's ids fit in 15 digits, and so in YAML's exact integers. */
const CHAT_ID = /^-?[0-9]{1,15}$/;
/** The account may be the placeholder the monitoring host fills in from its identity document (pool/monitoring.ts). */
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:([0-9]{12}|STAKEPOOL_AWS_ACCOUNT_ID):[A-Za-z0-9_-]{1,256}$/;

function isPrivateIpv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text) && ipaddr.IPv4.parse(text).range() === "private";
}

function checkUrl(findings: Findings, field: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    findings.problem(field, `${JSON.stringify(value)} is not a URL`, "give an https:// URL");
    return;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    findings.problem(field, `must be an http(s) URL, not ${url.protocol}`, "give an https:// URL");
  } else if (url.protocol === "http:") {
    findings.warn(field, "is plain http: alerts (host names, addresses) cross the Internet unencrypted");
  }
}

/** Every problem with the input at once; warnings for what works but leaves a gap. */
export function checkMonitoringInput(input: MonitoringInput): Findings {
  const findings = new Findings();
  const names = new Set<string>();
  const addresses = new Set<string>([input.monitor.privateIp]);
  if (!isPrivateIpv4(input.monitor.privateIp)) {
    findings.problem("monitor.privateIp", `${input.monitor.privateIp} is not a private IPv4 address`, "give the monitoring host's private address");
  }
  for (const host of input.hosts) {
    if (!HOST_NAME.test(host.name)) findings.problem("hosts", `host name ${JSON.stringify(host.name)} is not a short lower-case name`, "use names like core, relay-1");
    if (names.has(host.name)) findings.problem("hosts", `host name ${host.name} appears twice`, "give every host its own name");
    names.add(host.name);
    if (!isPrivateIpv4(host.privateIp)) findings.problem("hosts", `${host.name}: ${host.privateIp} is not a private IPv4 address`, "scrape hosts on their private addresses only");
    else if (addresses.has(host.privateIp)) findings.problem("hosts", `${host.name}: ${host.privateIp} is used twice (hosts and monitor)`, "give every host its own address");
    addresses.add(host.privateIp);
    if (host.forging && host.role !== "core") findings.problem("hosts", `${host.name} is a relay marked as forging`, "only the core forges");
  }
  if (!input.hosts.some((h) => h.role === "core")) findings.problem("hosts", "no core to watch", "list the pool's core");
  if (!input.hosts.some((h) => h.role === "relay")) findings.problem("hosts", "no relay to watch", "list the pool's relays");

  const a = input.alerts;
  if (a.email !== undefined && !EMAIL.test(a.email)) findings.problem("alerts.email", `${JSON.stringify(a.email)} is not an email address`, "give the operator's address");
  if (a.email !== undefined && a.smtp === undefined && a.sns === undefined) {
    findings.problem("alerts.email", "email alerts need a mail relay", "set alerts.smtp (or, on AWS, alerts.sns with an email subscription)");
  }
  if (a.smtp !== undefined) {
    if (a.email === undefined) findings.problem("alerts.smtp", "a mail relay without a recipient sends nothing", "set alerts.email");
    const match = SMARTHOST.exec(a.smtp.smarthost);
    const port = match ? Number(match[2]) : 0;
    if (!match || port < 1 || port > 65535) findings.problem("alerts.smtp.smarthost", `${JSON.stringify(a.smtp.smarthost)} is not host:port`, "e.g. smtp.example.org:587");
    if (!EMAIL.test(a.smtp.from)) findings.problem("alerts.smtp.from", `${JSON.stringify(a.smtp.from)} is not an email address`, "give the sender address the relay accepts");
    if (a.smtp.passwordFile !== undefined && !ABSOLUTE_PATH.test(a.smtp.passwordFile)) {
      findings.problem("alerts.smtp.passwordFile", "must be an absolute path on the monitoring host", "e.g. /etc/stakepool/monitoring/smtp-password");
    }
    if ((a.smtp.passwordFile === undefined) !== (a.smtp.username === undefined)) {
      findings.problem("alerts.smtp", "username and password file go together", "give both, or neither for a relay without authentication");
    }
  }
  if (a.sns !== undefined && !SNS_TOPIC_ARN.test(a.sns.topicArn)) findings.problem("alerts.sns.topicArn", `${JSON.stringify(a.sns.topicArn)} is not an SNS topic ARN`, "give the topic's ARN");
  if (a.telegram !== undefined) {
    if (!ABSOLUTE_PATH.test(a.telegram.botTokenFile)) findings.problem("alerts.telegram.botTokenFile", "must be an absolute path on the monitoring host", "e.g. /etc/stakepool/monitoring/telegram-bot-token");
    if (!CHAT_ID.test(a.telegram.chatId)) findings.problem("alerts.telegram.chatId", `${JSON.stringify(a.telegram.chatId)} is not a numeric chat id`, "ask the bot for the chat's id (getUpdates)");
  }
  if (a.webhookUrl !== undefined) checkUrl(findings, "alerts.webhookUrl", a.webhookUrl);
  if (a.heartbeatUrl !== undefined) checkUrl(findings, "alerts.heartbeatUrl", a.heartbeatUrl);

  const channels = [a.email !== undefined, a.sns !== undefined, a.telegram !== undefined, a.webhookUrl !== undefined].filter(Boolean).length;
  if (channels === 0) findings.problem("alerts", "alerts would reach nobody", "set at least one of alerts.email (with smtp or sns), alerts.telegram, alerts.webhookUrl");
  if (a.heartbeatUrl === undefined) {
    findings.warn("alerts.heartbeatUrl", "no dead-man heartbeat: if the monitoring host dies, only a cloud status alarm (AWS) can tell you");
  }
  return findings;
}
