/** Monitoring inputs for tests: a 1 core + 2 relays pool in the kit's address plan, and its alert channels. */
import type { AlertChannels, MonitoringInput } from "../../../components/features/monitoring/input";
import { NETWORKS, type NetworkName } from "../../../components/networks/networks";

export const ALL_CHANNELS: AlertChannels = {
  email: "operator@example.org",
  smtp: { smarthost: "smtp.example.org:587", from: "pool@example.org", username: "pool", passwordFile: "/etc/stakepool/monitoring/smtp-password" },
  sns: { topicArn: "arn:aws:sns:us-east-2:123456789012:pool-alerts", region: "us-east-2" },
  telegram: { botTokenFile: "/etc/stakepool/monitoring/telegram-bot-token", chatId: "-1001234567890" },
  webhookUrl: "https://hooks.example.org/pool",
  heartbeatUrl: "https://hc-ping.example.org/0a1b2c3d",
};

export function poolInput(network: NetworkName = "preview", alerts: AlertChannels = ALL_CHANNELS, stack = "test"): MonitoringInput {
  return {
    network: NETWORKS[network],
    stack,
    hosts: [
      { name: "core", role: "core", privateIp: "10.30.0.10", forging: true },
      { name: "relay-1", role: "relay", privateIp: "10.30.16.11", forging: false },
      { name: "relay-2", role: "relay", privateIp: "10.30.32.12", forging: false },
    ],
    monitor: { privateIp: "10.30.0.20" },
    alerts,
  };
}
