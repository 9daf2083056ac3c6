/** Raw stack config for tests, shaped as the Pulumi runtime hands it to the program. */
import type { RawConfig } from "../../components/config/read";

export const EXAMPLE_SSH_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBv32qnzTka+QThxUJW5I3xCwGjEc+LPhxgnsNIKjMVv test@example.invalid";

export type ConfigValues = Record<string, string | number | boolean | readonly unknown[] | Readonly<Record<string, unknown>>>;

/** A valid stack on `network`, overridden by `overrides` (keys without namespace are stakepool keys). */
export function rawConfig(network: "mainnet" | "preprod" | "preview", overrides: ConfigValues = {}, drop: readonly string[] = []): RawConfig {
  const base: ConfigValues = {
    "aws:region": "us-east-2",
    network,
    adminCidrs: ["203.0.113.7/32"],
    sshPublicKey: EXAMPLE_SSH_KEY,
    // Monitoring is on by default and needs a channel: on AWS the email goes through SNS. A pool on own
    // servers has no monitoring host unless the test lists one (test/features/monitoring/wiring.test.ts).
    ...(overrides.backend === "ssh" ? { monitoring: false } : { alertEmail: "ops@example.com" }),
  };
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...base, ...overrides })) {
    if (drop.includes(key)) continue;
    const full = key.includes(":") ? key : `stakepool:${key}`;
    values[full] = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  }
  return { values, secretKeys: new Set() };
}
