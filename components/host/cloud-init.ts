/**
 * The host's user data: a #cloud-config document holding only what is constant for the server's life
 * (a changed user data stops and starts the instance). Peers, keys and firewall lists are delivered
 * separately over SSH.
 */
import * as yaml from "js-yaml";
import type { HostSpec, PoolModel } from "../pool/model";

/** The subset of cloud-config the kit writes; keys follow the cloud-init schema. */
export interface CloudConfig {
  readonly [key: string]: unknown;
}

export function hostname(model: PoolModel, host: HostSpec): string {
  return `${model.stack}-${host.name}`;
}

/** Serialises deterministically: sorted keys, no anchors, no folded lines. */
export function renderCloudConfig(config: CloudConfig): string {
  return `#cloud-config\n${yaml.dump(config, { sortKeys: true, noRefs: true, lineWidth: -1 })}`;
}

/**
 * Merges cloud-config fragments: lists are concatenated in fragment order; any other key may appear in
 * one fragment only (or with the same value), so that no fragment silently overrides another.
 */
export function mergeCloudConfigs(...fragments: readonly CloudConfig[]): CloudConfig {
  const merged: Record<string, unknown> = {};
  for (const fragment of fragments) {
    for (const [key, value] of Object.entries(fragment)) {
      const existing = merged[key];
      if (existing === undefined) merged[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
      else if (Array.isArray(existing) && Array.isArray(value)) merged[key] = [...(existing as unknown[]), ...(value as unknown[])];
      else if (JSON.stringify(existing) !== JSON.stringify(value)) throw new Error(`cloud-config fragments disagree on ${key}`);
    }
  }
  return merged;
}

export function baseCloudConfig(model: PoolModel, host: HostSpec): CloudConfig {
  return {
    hostname: hostname(model, host),
    preserve_hostname: false,
    timezone: "Etc/UTC",
    package_update: true,
    package_upgrade: true,
  };
}
