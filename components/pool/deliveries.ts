/**
 * What reaches each host after boot, over SSH, and how it is applied: the parts of a host that change
 * during the pool's life. Pure: the component runs these, the tests run their scripts.
 *
 * - firewall: the nftables ruleset, checked then loaded atomically;
 * - topology (+ the relays' peer snapshot): the node re-reads it on SIGHUP;
 * - keys (a forging core only): KES key, VRF key and operational certificate, 0400 for the node user in
 *   a 0700 folder; the node re-reads them on SIGHUP (a rotation needs no restart). Removing the keys from
 *   the stack deletes them from the core;
 * - service: the node's unit; a changed unit (keys added or removed) restarts the node.
 */
import type { Delivery } from "../delivery/bundle";
import { nftablesDelivery } from "../firewall/nftables-delivery";
import {
  KEYS_DIR,
  KES_KEY_FILE,
  NODE_GROUP,
  NODE_SERVICE,
  NODE_USER,
  OPCERT_FILE,
  PEER_SNAPSHOT_FILE,
  SYSTEMD_UNIT_DIR,
  TOPOLOGY_FILE,
  VRF_KEY_FILE,
} from "../node/paths";
import { nodeUpgradeCommand } from "../node/upgrade";
import type { HostFiles } from "./host-files";
import type { LoadedPool } from "./load";
import type { HostSpec } from "./model";

export type DeliveryKind = "firewall" | "topology" | "keys" | "service";

export interface HostDelivery {
  /** Suffix of the command's name: `<host resource>-<kind>`. Identity: never renamed. */
  readonly kind: DeliveryKind;
  readonly delivery: Delivery;
  readonly secret: boolean;
  /** Deliveries of the same host that must be in place first. */
  readonly after: readonly DeliveryKind[];
}

const UNIT = `${NODE_SERVICE}.service`;
/** Re-read topology and credentials without a restart, if the node is already running. */
const RELOAD_NODE = `if systemctl is-active --quiet ${UNIT}; then systemctl reload ${UNIT}; fi`;
/** A new unit: load it, enable it, (re)start it; the start waits for the boot setup if that still runs. */
const RESTART_NODE = `systemctl daemon-reload && systemctl enable ${UNIT} && systemctl restart --no-block ${UNIT}`;

export function hostDeliveries(pool: LoadedPool, host: HostSpec, files: HostFiles): HostDelivery[] {
  const root = { owner: "root", group: "root" } as const;
  const node = { owner: NODE_USER, group: NODE_GROUP } as const;
  const deliveries: HostDelivery[] = [
    {
      kind: "firewall",
      delivery: nftablesDelivery(pool.model, host, { relayConnectionLimit: pool.model.relayConnectionLimit }),
      secret: false,
      after: [],
    },
    {
      kind: "topology",
      delivery: {
        directories: [],
        files: [
          { path: TOPOLOGY_FILE, mode: "0644", ...root, content: files["topology.json"] },
          // The relay's topology names its peer snapshot; the core's has none.
          ...(host.role === "relay" ? [{ path: PEER_SNAPSHOT_FILE, mode: "0644", ...root, content: pool.peers.snapshot.content }] : []),
        ],
        apply: [RELOAD_NODE],
      },
      secret: false,
      after: [],
    },
  ];
  const keys = pool.identity.hotKeyFiles;
  if (host.role === "core" && keys) {
    deliveries.push({
      kind: "keys",
      delivery: {
        directories: [{ path: KEYS_DIR, mode: "0700", ...node }],
        files: [
          { path: KES_KEY_FILE, mode: "0400", ...node, content: keys.kes },
          { path: VRF_KEY_FILE, mode: "0400", ...node, content: keys.vrf },
          { path: OPCERT_FILE, mode: "0400", ...node, content: keys.opcert },
        ],
        apply: [RELOAD_NODE],
        // Keys removed from the stack leave the core: the node stops forging on the reload.
        remove: [`rm -f "$R${KES_KEY_FILE}" "$R${VRF_KEY_FILE}" "$R${OPCERT_FILE}"`, RELOAD_NODE],
      },
      secret: true,
      after: [],
    });
  }
  deliveries.push({
    kind: "service",
    delivery: {
      directories: [],
      files: [{ path: `${SYSTEMD_UNIT_DIR}/${UNIT}`, mode: "0644", ...root, content: files["cardano-node.service"] }],
      apply: [RESTART_NODE],
    },
    secret: false,
    // The node starts with its firewall, topology and (on a forging core) keys in place.
    after: deliveries.map((d) => d.kind),
  });
  return deliveries;
}

/**
 * The node release step of a host: a new server installs the release from its instance tags at boot, so
 * creating the step does nothing; changing the release re-runs it (an update), which installs the new
 * release beside the old one, switches and restarts. Undefined when the release is not pinned.
 */
export function nodeReleaseStep(pool: LoadedPool): { create: string; update: string } | undefined {
  const { node } = pool.releases;
  if (node.sha256 === undefined) return undefined;
  return {
    create: `# cardano-node ${node.version} (${node.sha256}) is installed at boot from the instance's tags\ntrue`,
    update: nodeUpgradeCommand(node.version, node.sha256),
  };
}
