/** Reads the stack's config from the Pulumi runtime (the real CLI, or the plan's mocks). */
import * as pulumi from "@pulumi/pulumi";
import type { RawConfig } from "./read";

type SecretProbe = (key: string) => boolean;

export function rawConfigFromRuntime(): RawConfig {
  const values = pulumi.runtime.allConfig();
  // The language host passes the encrypted keys' names alongside the config (PULUMI_CONFIG_SECRET_KEYS);
  // the SDK exposes the check at runtime, though not in its type declarations.
  const probe = (pulumi.runtime as unknown as { isConfigSecret?: SecretProbe }).isConfigSecret;
  const secretKeys = new Set(Object.keys(values).filter((key) => probe?.(key) ?? false));
  return { values, secretKeys };
}
