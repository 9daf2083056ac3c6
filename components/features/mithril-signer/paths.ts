/**
 * Where the Mithril signer (on the core) and its forward proxy (on a proxy relay) live on a host. The
 * node's own paths (keys, socket, database, the Mithril install root) come from ../../node/paths, so the
 * signer reads exactly the files the node is given.
 */
import { DATA_MOUNT, KIT_ETC_DIR, KIT_STATE_DIR, MITHRIL_INSTALL_ROOT } from "../../node/paths";

/** The signer's unit; the restart after a KES rotation names it. Identity: never renamed. */
export const SIGNER_SERVICE = "mithril-signer";
/** The proxy's unit on a relay: squid with the kit's configuration only. Identity: never renamed. */
export const RELAY_PROXY_SERVICE = "mithril-relay";

/** The kit's files about the signer: its environment and the settings of its apply script. */
export const SIGNER_ETC_DIR = `${KIT_ETC_DIR}/mithril-signer`;
/** The signer's own environment (systemd EnvironmentFile): the settings mithril-signer reads. */
export const SIGNER_ENV_FILE = `${SIGNER_ETC_DIR}/signer.env`;
/** What mithril-signer-apply.sh installs and switches to (the pinned release) and the paths it touches. */
export const SIGNER_APPLY_SETTINGS_FILE = `${SIGNER_ETC_DIR}/apply.env`;

/**
 * The signer's stores (stake distributions, its Mithril keys for the coming epochs, caches; < 300 MB
 * on mainnet per the Mithril docs). On the data volume, so that a replaced server keeps its registration
 * for the epochs it already registered for.
 */
export const SIGNER_STORES_DIR = `${DATA_MOUNT}/mithril-signer`;

/**
 * The Mithril release the signer runs: MITHRIL_INSTALL_ROOT/<version> holds the whole distribution
 * (the same verified tarball the Mithril bootstrap installs mithril-client from); this link points at it.
 */
export const SIGNER_CURRENT_LINK = `${MITHRIL_INSTALL_ROOT}/current`;
export const SIGNER_BIN = `${SIGNER_CURRENT_LINK}/mithril-signer`;

/** A digest of the release, unit and environment the running signer was last started with. */
export const SIGNER_APPLIED_FILE = `${KIT_STATE_DIR}/mithril-signer-applied`;
/** Two runs of the apply script never overlap (it does not take the node scripts' lock: see the script). */
export const SIGNER_LOCK_FILE = "/run/lock/stakepool-mithril-signer.lock";

/** The proxy's configuration, owned by the kit (never Debian's /etc/squid/squid.conf, a dpkg conffile). */
export const RELAY_PROXY_CONFIG_FILE = `${KIT_ETC_DIR}/mithril-relay/squid.conf`;
/** Debian's and Ubuntu's squid binary (package `squid`). */
export const SQUID_BIN = "/usr/sbin/squid";
/** The package's own unit, which would serve Debian's default configuration (port 3128): kept masked. */
export const DISTRIBUTION_SQUID_SERVICE = "squid";
