/**
 * What reaches each host after boot, over SSH, and how it is applied: the parts of a host that change
 * during the pool's life. Pure: the component runs these, the tests run their scripts.
 */
import type { Delivery } from "../delivery/bundle";
import { nftablesDelivery } from "../firewall/nftables-delivery";
import { NODE_SERVICE, PEER_SNAPSHOT_FILE, TOPOLOGY_FILE } from "../node/paths";
import type { HostFiles } from "./host-files";
import type { LoadedPool } from "./load";
import type { HostSpec } from "./model";

export interface HostDelivery {
  /** Suffix of the command's name: `<host resource>-<kind>`. Identity: never renamed. */
  readonly kind: "topology" | "firewall";
  readonly delivery: Delivery;
  readonly secret: boolean;
}

/** Re-read the topology without a restart, if the node is already running. */
const RELOAD_NODE = `if systemctl is-active --quiet ${NODE_SERVICE}; then systemctl reload ${NODE_SERVICE}; fi`;

export function hostDeliveries(pool: LoadedPool, host: HostSpec, files: HostFiles): HostDelivery[] {
  const root = { owner: "root", group: "root" } as const;
  const topology: Delivery = {
    directories: [],
    files: [
      { path: TOPOLOGY_FILE, mode: "0644", ...root, content: files["topology.json"] },
      // The relay's topology names its peer snapshot; the core's has none.
      ...(host.role === "relay" ? [{ path: PEER_SNAPSHOT_FILE, mode: "0644", ...root, content: pool.peers.snapshot.content }] : []),
    ],
    apply: [RELOAD_NODE],
  };
  const firewall = nftablesDelivery(pool.model, host, { relayConnectionLimit: pool.model.relayConnectionLimit });
  return [
    { kind: "firewall", delivery: firewall, secret: false },
    { kind: "topology", delivery: topology, secret: false },
  ];
}
