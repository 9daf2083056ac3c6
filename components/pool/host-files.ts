/**
 * Every file the kit puts on a host, rendered from the loaded pool by pure functions. The Pulumi
 * components deploy exactly these bytes and the plan writes them to `hosts/<host>/` for review.
 */
import { renderNftables } from "../firewall/nftables";
import { baseCloudConfig, mergeCloudConfigs, renderCloudConfig } from "../host/cloud-init";
import { hardeningCloudConfig } from "../host/hardening";
import { nodeCloudConfig } from "../node/cloud-config";
import { renderNodeService } from "../node/service";
import { isForging } from "./identity";
import type { LoadedPool } from "./load";
import type { HostSpec } from "./model";

export interface HostFiles {
  /** User data: constant for the server's life. */
  readonly "cloud-init.yaml": string;
  /** Delivered over SSH; the node re-reads it on SIGHUP. */
  readonly "topology.json": string;
  /** The host firewall, delivered over SSH and applied atomically with `nft -f`. */
  readonly "nftables.conf": string;
  /** The node's unit, delivered over SSH: the core's changes when its keys are added or removed. */
  readonly "cardano-node.service": string;
}

const rendered = new WeakMap<LoadedPool, Map<string, HostFiles>>();

/** A host's files; rendered once per loaded pool, since the component and the plan both ask. */
export function renderHostFiles(pool: LoadedPool, host: HostSpec): HostFiles {
  let perHost = rendered.get(pool);
  if (!perHost) rendered.set(pool, (perHost = new Map<string, HostFiles>()));
  const cached = perHost.get(host.name);
  if (cached) return cached;
  const files = render(pool, host);
  perHost.set(host.name, files);
  return files;
}

function render(pool: LoadedPool, host: HostSpec): HostFiles {
  const topology = pool.peers.topologies.get(host.name);
  if (topology === undefined) throw new Error(`no topology was rendered for ${host.name}`);
  const { model, settings } = pool;
  const userData = mergeCloudConfigs(
    baseCloudConfig(model, host),
    hardeningCloudConfig(model, host),
    nodeCloudConfig(model, host, { mithril: settings.mithrilBootstrap }),
  );
  return {
    "cloud-init.yaml": renderCloudConfig(userData),
    "topology.json": topology,
    "nftables.conf": renderNftables(model, host, { relayConnectionLimit: model.relayConnectionLimit }),
    "cardano-node.service": renderNodeService(model, host, { forging: host.role === "core" && isForging(pool.identity) }),
  };
}
