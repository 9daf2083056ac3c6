/**
 * Where things live on a pool host. Every rendering (cloud-init, scripts, units, topology delivery,
 * key delivery) takes its paths from here, so they cannot disagree.
 */

/** The system user the node runs as: no login shell, owns the chain database and the keys. */
export const NODE_USER = "cardano";
export const NODE_GROUP = "cardano";
/** The operator's login user (Ubuntu's default user, given the EC2 key pair). */
export const ADMIN_USER = "ubuntu";

/** Each installed release lives in /opt/cardano/<version>; `current` points at the running one. */
export const INSTALL_ROOT = "/opt/cardano";
export const CURRENT_LINK = `${INSTALL_ROOT}/current`;
export const NODE_BIN = `${CURRENT_LINK}/bin/cardano-node`;
export const CLI_BIN = `${CURRENT_LINK}/bin/cardano-cli`;
/** The network's config and genesis files, from the same release as the binary. */
export function shareDir(network: string): string {
  return `${CURRENT_LINK}/share/${network}`;
}
export function nodeConfigFile(network: string): string {
  return `${shareDir(network)}/config.json`;
}

/** Files the kit writes (topology, peer snapshot); the keys folder under it. */
export const CONFIG_DIR = "/etc/cardano";
export const TOPOLOGY_FILE = `${CONFIG_DIR}/topology.json`;
/** The topology names it relative to its own folder. */
export const PEER_SNAPSHOT_NAME = "peer-snapshot.json";
export const PEER_SNAPSHOT_FILE = `${CONFIG_DIR}/${PEER_SNAPSHOT_NAME}`;
/**
 * The hot keys' folder. The three paths below are fixed links into `current`, itself a link to the set
 * the kit delivered last (`set.<random>/`): one rename switches all three (../delivery/bundle.ts).
 */
export const KEYS_DIR = `${CONFIG_DIR}/keys`;
export const KES_KEY_FILE = `${KEYS_DIR}/kes.skey`;
export const VRF_KEY_FILE = `${KEYS_DIR}/vrf.skey`;
export const OPCERT_FILE = `${KEYS_DIR}/node.cert`;

/** The chain-data volume's mount point; the database and the socket live on it. */
export const DATA_MOUNT = "/srv/cardano";
export const DB_DIR = `${DATA_MOUNT}/db`;
export const SOCKET_PATH = `${DB_DIR}/node.socket`;

/** The kit's own scripts and their settings. */
export const KIT_LIB_DIR = "/usr/local/lib/stakepool";
export const KIT_ETC_DIR = "/etc/stakepool";

export const NODE_SERVICE = "cardano-node";

/**
 * The node's configuration as the kit runs it: the release's `config.json` with the kit's node settings
 * (NODE_CONFIG_OVERLAY_FILE) laid over it, written beside it before every start (so the genesis files it
 * names relative to its own folder still resolve).
 */
export const KIT_NODE_CONFIG_NAME = "stakepool-config.json";
export function kitNodeConfigFile(network: string): string {
  return `${shareDir(network)}/${KIT_NODE_CONFIG_NAME}`;
}

/** Per-host settings of the kit's node scripts (KEY=value lines). */
export const NODE_ENV_FILE = `${KIT_ETC_DIR}/node.env`;
/** The releases the host runs (node and Mithril versions and checksums, whether to use Mithril). */
export const RELEASE_ENV_FILE = `${KIT_ETC_DIR}/release.env`;
/** The settings the kit lays over the release's config.json (a JSON merge patch), per host. */
export const NODE_CONFIG_OVERLAY_FILE = `${CONFIG_DIR}/node-config.json`;
/** What the kit keeps on a host between runs. */
export const KIT_STATE_DIR = "/var/lib/stakepool";
/** A digest of the release, unit and node settings the running node was last started with. */
export const NODE_APPLIED_FILE = `${KIT_STATE_DIR}/node-applied`;
/** Each installed mithril-client release lives in /opt/mithril/<version>. */
export const MITHRIL_INSTALL_ROOT = "/opt/mithril";
/** The network's Mithril verification keys, pinned in the kit and written by cloud-init. */
export const MITHRIL_KEYS_DIR = `${KIT_ETC_DIR}/mithril`;
export const MITHRIL_GENESIS_VKEY_FILE = `${MITHRIL_KEYS_DIR}/genesis.vkey`;
export const MITHRIL_ANCILLARY_VKEY_FILE = `${MITHRIL_KEYS_DIR}/ancillary.vkey`;

/** One lock for every node script: the boot setup and an upgrade over SSH never overlap. */
export const NODE_LOCK_FILE = "/run/lock/stakepool-node.lock";
/** The one-shot unit that prepares volume, release and database before the node starts (every boot). */
export const NODE_SETUP_SERVICE = "stakepool-node-setup";
/** Where the kit's own systemd units go. */
export const SYSTEMD_UNIT_DIR = "/etc/systemd/system";

/** Path of one of the kit's scripts on the host. */
export function kitScript(name: string): string {
  return `${KIT_LIB_DIR}/${name}`;
}
