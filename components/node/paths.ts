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
