/**
 * The pool's monitoring (`stakepool:monitoring`, issue 15): whether it has a monitoring host, and where
 * its alerts go (`stakepool:alert*`). Every problem names the setting and the fix before anything is
 * created; what the monitoring host runs is ../features/monitoring, built from the input made here.
 *
 * Channels: email (on AWS through an SNS topic the kit creates, unless a mail relay is set; on own servers
 * through the mail relay, `alertSmtpHost`), a Telegram bot, a webhook; the dead-man heartbeat gets only
 * the always-firing Watchdog. A pool whose alerts would reach nobody is refused: monitoring that tells
 * nobody is the silence the operator installed it to end.
 */
import { Findings } from "../../config/problems";
import { fullKey, type SettingKey, type Settings } from "../../config/settings";
import type { PoolModel } from "../../model/pool";
import { isForging, type PoolIdentity } from "../../pool/identity";
import { AWS_ACCOUNT_PLACEHOLDER } from "./alertmanager-config";
import { checkMonitoringInput, type AlertChannels, type MonitoringInput } from "./input";
import { MONITORING_ETC } from "./paths";
import type { MonitorSecret } from "./steps";

/** Where the secrets land on the monitoring host (root only; the monitoring step gives Alertmanager the SMTP one). */
export const SMTP_PASSWORD_FILE = `${MONITORING_ETC}/smtp-password`;
export const TELEGRAM_TOKEN_FILE = `${MONITORING_ETC}/telegram-bot-token`;

/** A BotFather token: `<bot id>:<secret>` (the same rule the monitoring host applies before using it). */
const TELEGRAM_TOKEN = /^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$/;

export interface PoolMonitoring {
  /** What the renderers take (../features/monitoring/input.ts). */
  readonly input: MonitoringInput;
  /** The secrets the monitoring host receives as files, by path. Never in a plan file. */
  readonly secrets: readonly MonitorSecret[];
  /** AWS: the alerts topic the kit creates (its name), with the operator's email subscribed. */
  readonly snsTopic: { readonly name: string; readonly email: string } | undefined;
}

/** The SNS topic of a stack's alerts: fixed by the stack's name, so the monitoring host's configuration can name it. */
export function alertsTopicName(stack: string): string {
  return `stakepool-${stack}-alerts`;
}

/** The AWS partition of a region (the first part of every ARN in it). */
export function awsPartition(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** Which setting each field of the renderers' input comes from (their problems name input fields). */
const FIELD_SETTINGS: ReadonlyArray<readonly [string, SettingKey]> = [
  ["alerts.smtp.smarthost", "alertSmtpHost"],
  ["alerts.smtp.from", "alertSmtpFrom"],
  ["alerts.smtp.passwordFile", "alertSmtpPassword"],
  ["alerts.smtp", "alertSmtpHost"],
  ["alerts.sns.topicArn", "alertEmail"],
  ["alerts.email", "alertEmail"],
  ["alerts.telegram.chatId", "alertTelegramChatId"],
  ["alerts.telegram.botTokenFile", "alertTelegramBotToken"],
  ["alerts.webhookUrl", "alertWebhookUrl"],
  ["alerts.heartbeatUrl", "alertHeartbeatUrl"],
  ["alerts", "monitoring"],
  ["hosts", "servers"],
  ["monitor.privateIp", "servers"],
];

function settingOf(field: string): string {
  return fullKey(FIELD_SETTINGS.find(([prefix]) => field === prefix || field.startsWith(`${prefix}.`))?.[1] ?? "monitoring");
}

type AlertSettings = Pick<
  Settings,
  | "monitoring"
  | "alertEmail"
  | "alertSmtpHost"
  | "alertSmtpFrom"
  | "alertSmtpUser"
  | "alertSmtpPassword"
  | "alertTelegramChatId"
  | "alertTelegramBotToken"
  | "alertWebhookUrl"
  | "alertHeartbeatUrl"
>;

/** The alert channels as the settings give them, with the problems only the settings can name. */
function alertChannels(settings: AlertSettings, backend: { readonly region: string } | undefined, stack: string, findings: Findings) {
  const text = (key: SettingKey & keyof AlertSettings) => String(settings[key]).trim();
  const email = text("alertEmail");
  const smtpHost = text("alertSmtpHost");
  const smtpUser = text("alertSmtpUser");
  const smtpPassword = settings.alertSmtpPassword;
  const chatId = text("alertTelegramChatId");
  const token = settings.alertTelegramBotToken.trim();
  const secrets: MonitorSecret[] = [];

  const smtpSettings: Array<SettingKey & keyof AlertSettings> = ["alertSmtpFrom", "alertSmtpUser"];
  if (smtpHost === "") {
    for (const key of smtpSettings) {
      if (text(key) !== "") findings.problem(fullKey(key), "is set without stakepool:alertSmtpHost, so nothing uses it", `pulumi config set ${fullKey("alertSmtpHost")} smtp.example.org:587, or pulumi config rm ${fullKey(key)}`);
    }
    if (smtpPassword !== "") findings.problem(fullKey("alertSmtpPassword"), "is set without stakepool:alertSmtpHost, so nothing uses it", `pulumi config rm ${fullKey("alertSmtpPassword")}`);
  }
  if (email !== "" && smtpHost === "" && backend === undefined) {
    findings.problem(
      fullKey("alertEmail"),
      "needs a mail relay on your own servers: the monitoring host sends alert emails through it",
      `pulumi config set ${fullKey("alertSmtpHost")} <relay host>:587 and ${fullKey("alertSmtpFrom")} <sender>, or use stakepool:alertTelegramChatId or stakepool:alertWebhookUrl instead`,
    );
  }
  if (smtpUser !== "" && smtpPassword === "") {
    findings.problem(fullKey("alertSmtpPassword"), "is not set, but stakepool:alertSmtpUser is: the relay's login needs its password", `pulumi config set --secret ${fullKey("alertSmtpPassword")}`);
  }
  if (smtpPassword !== "" && smtpUser === "" && smtpHost !== "") {
    findings.problem(fullKey("alertSmtpUser"), "is not set, but stakepool:alertSmtpPassword is", `pulumi config set ${fullKey("alertSmtpUser")} <login>`);
  }
  if (/[\r\n]/.test(smtpPassword.replace(/\n$/, ""))) findings.problem(fullKey("alertSmtpPassword"), "holds a line break; a password is one line", `pulumi config set --secret ${fullKey("alertSmtpPassword")}`);

  if ((chatId === "") !== (token === "")) {
    const missing = chatId === "" ? "alertTelegramChatId" : "alertTelegramBotToken";
    findings.problem(
      fullKey(missing),
      "is not set: Telegram alerts need the bot's token and the chat's id",
      missing === "alertTelegramChatId" ? `pulumi config set ${fullKey(missing)} <chat id> (ask the bot: getUpdates)` : `pulumi config set --secret ${fullKey(missing)} <token from BotFather>`,
    );
  }
  if (token !== "" && !TELEGRAM_TOKEN.test(token)) {
    // Never quote it: it is a credential.
    findings.problem(fullKey("alertTelegramBotToken"), "is not a bot token (<bot id>:<secret>, as BotFather gives it)", `pulumi config set --secret ${fullKey("alertTelegramBotToken")} <token from BotFather>`);
  }

  const channels: { -readonly [K in keyof AlertChannels]: AlertChannels[K] } = {};
  if (email !== "") channels.email = email;
  if (smtpHost !== "") {
    channels.smtp = {
      smarthost: smtpHost,
      from: text("alertSmtpFrom"),
      ...(smtpUser !== "" ? { username: smtpUser, passwordFile: SMTP_PASSWORD_FILE } : {}),
    };
    if (smtpUser !== "" && smtpPassword !== "") secrets.push({ path: SMTP_PASSWORD_FILE, content: smtpPassword.replace(/\n$/, ""), alertmanagerReads: true });
  }
  let snsTopic: PoolMonitoring["snsTopic"];
  if (email !== "" && smtpHost === "" && backend !== undefined) {
    const name = alertsTopicName(stack);
    channels.sns = { topicArn: `arn:${awsPartition(backend.region)}:sns:${backend.region}:${AWS_ACCOUNT_PLACEHOLDER}:${name}`, region: backend.region };
    snsTopic = { name, email };
  }
  if (chatId !== "" && token !== "") {
    channels.telegram = { botTokenFile: TELEGRAM_TOKEN_FILE, chatId };
    // The host fills it in itself (scripts/alertmanager-config.sh): root's alone.
    secrets.push({ path: TELEGRAM_TOKEN_FILE, content: token, alertmanagerReads: false });
  }
  if (text("alertWebhookUrl") !== "") channels.webhookUrl = text("alertWebhookUrl");
  if (text("alertHeartbeatUrl") !== "") channels.heartbeatUrl = text("alertHeartbeatUrl");
  return { channels, secrets, snsTopic };
}

/**
 * The pool's monitoring, or undefined when it has none; every problem in `findings`. `backend` is the AWS
 * region for a pool on AWS, undefined on own servers.
 */
export function loadMonitoring(
  settings: AlertSettings,
  model: PoolModel,
  identity: PoolIdentity,
  backend: { readonly region: string } | undefined,
  findings: Findings,
  /** The core's Mithril signer, when one is delivered: its metrics are scraped too. */
  signer?: { readonly host: string; readonly privateIp: string },
): PoolMonitoring | undefined {
  if (!settings.monitoring) {
    for (const key of ["alertSmtpHost", "alertTelegramChatId", "alertWebhookUrl", "alertHeartbeatUrl"] as const) {
      if (settings[key].trim() !== "") findings.warn(fullKey(key), `is set, but ${fullKey("monitoring")} is false: no alert is sent`);
    }
    return undefined;
  }
  const monitor = model.monitor;
  if (monitor === undefined) return undefined;
  const local = new Findings();
  const { channels, secrets, snsTopic } = alertChannels(settings, backend, model.stack, local);
  const input: MonitoringInput = {
    network: model.network,
    stack: model.stack,
    hosts: [model.core, ...model.relays].map((h) => ({
      name: h.name,
      role: h.role === "core" ? "core" : "relay",
      privateIp: h.privateIp,
      forging: h.role === "core" && isForging(identity),
    })),
    monitor: { privateIp: monitor.privateIp },
    alerts: channels,
    ...(signer === undefined ? {} : { mithrilSigner: signer }),
  };
  const reported = new Set(local.problems.map((p) => p.setting));
  const checked = checkMonitoringInput(input);
  for (const p of checked.problems) {
    const setting = settingOf(p.setting);
    if (reported.has(setting)) continue;
    if (p.setting === "alerts") {
      local.problem(
        fullKey("monitoring"),
        "is on, but its alerts would reach nobody",
        `set ${fullKey("alertEmail")}, ${fullKey("alertTelegramChatId")} (with its bot token) or ${fullKey("alertWebhookUrl")}; or pulumi config set ${fullKey("monitoring")} false`,
      );
    } else local.problem(setting, p.message, p.fix);
  }
  for (const w of checked.warnings) {
    if (w.setting === "alerts.heartbeatUrl") {
      local.warn(
        fullKey("alertHeartbeatUrl"),
        snsTopic !== undefined
          ? "is not set: if the monitoring host dies, only its AWS status alarm tells you (by email)"
          : "is not set: if the monitoring host dies, nothing tells you (give a dead-man service's URL)",
      );
    } else local.warn(settingOf(w.setting), w.message);
  }
  findings.absorb(local);
  return local.problems.length > 0 ? undefined : { input, secrets, snsTopic };
}
