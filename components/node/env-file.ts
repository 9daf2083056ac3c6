/**
 * The per-host settings of the node scripts: the only part of them the kit renders. The scripts are
 * static files; everything they touch (paths, URLs, the network, the metrics address) is named here,
 * from the same constants every other rendering uses, so scripts and units cannot disagree.
 */
import { METRICS_PORT } from "../networks/networks";
import type { HostSpec, PoolModel } from "../pool/model";
import {
  CURRENT_LINK,
  DATA_MOUNT,
  DB_DIR,
  INSTALL_ROOT,
  KIT_NODE_CONFIG_NAME,
  MITHRIL_ANCILLARY_VKEY_FILE,
  MITHRIL_GENESIS_VKEY_FILE,
  MITHRIL_INSTALL_ROOT,
  NODE_GROUP,
  NODE_LOCK_FILE,
  NODE_SERVICE,
  SYSTEMD_UNIT_DIR,
  NODE_USER,
} from "./paths";
import { MITHRIL_RELEASE_BASE_URL, MITHRIL_TARBALL_PATTERN, NODE_RELEASE_BASE_URL, NODE_TARBALL_PATTERN } from "./releases";
import { DATA_VOLUME_TAG, MITHRIL_SHA256_TAG, MITHRIL_VERSION_TAG, NODE_SHA256_TAG, NODE_VERSION_TAG } from "./tags";

/** IMDS, reachable from the instance only (link-local). */
export const IMDS_URL = "http://169.254.169.254";
/** Where udev names NVMe EBS volumes by their id. */
export const DEVICE_BY_ID_DIR = "/dev/disk/by-id";
/** How long the setup waits for the data volume's attachment (it comes after the instance starts). */
export const DEVICE_WAIT_SECONDS = 600;
/** The ext4 label of a data volume the kit formatted (at most 16 bytes). */
export const DATA_LABEL = "cardano-data";
/** How long an upgrade waits for a running setup (a mainnet Mithril restore takes 20–35 minutes). */
export const LOCK_WAIT_SECONDS = 10800;
/** A failed setup is tried again after 30 s, then twice as long each time, at most every 15 minutes. */
export const SETUP_RETRY_FIRST_SECONDS = 30;
export const SETUP_RETRY_MAX_SECONDS = 900;
/** One attempt (volume, release, a mainnet Mithril restore of 20–35 minutes) is stopped after 4 hours. */
export const SETUP_ATTEMPT_SECONDS = 14400;

export interface NodeEnvOptions {
  /** Fill an empty data volume from Mithril (the default) instead of syncing from genesis. */
  readonly mithril: boolean;
}

/** The settings as name → value, for one host. */
export function nodeSettings(model: PoolModel, host: HostSpec, options: NodeEnvOptions): Record<string, string> {
  return {
    CURRENT_LINK,
    DATA_LABEL,
    DATA_MOUNT,
    DATA_VOLUME_TAG,
    DB_DIR,
    DEVICE_BY_ID_DIR,
    DEVICE_WAIT_SECONDS: String(DEVICE_WAIT_SECONDS),
    FSTAB: "/etc/fstab",
    IMDS_URL,
    INSTALL_ROOT,
    KIT_NODE_CONFIG_NAME,
    LOCK_FILE: NODE_LOCK_FILE,
    LOCK_WAIT_SECONDS: String(LOCK_WAIT_SECONDS),
    // Prometheus metrics listen on the host's private address: reachable inside the VPC only.
    METRICS_HOST: host.privateIp,
    METRICS_PORT: String(METRICS_PORT),
    MITHRIL_AGGREGATOR: model.network.mithrilAggregator,
    MITHRIL_ANCILLARY_VKEY_FILE,
    MITHRIL_BOOTSTRAP: String(options.mithril),
    MITHRIL_GENESIS_VKEY_FILE,
    MITHRIL_INSTALL_ROOT,
    MITHRIL_RELEASE_BASE_URL,
    MITHRIL_SHA256_TAG,
    MITHRIL_TARBALL: MITHRIL_TARBALL_PATTERN,
    MITHRIL_VERSION_TAG,
    NETWORK: model.network.name,
    NODE_GROUP,
    NODE_RELEASE_BASE_URL,
    NODE_SERVICE: `${NODE_SERVICE}.service`,
    NODE_SHA256_TAG,
    NODE_TARBALL: NODE_TARBALL_PATTERN,
    // Delivered over SSH (it changes when the core gains or loses its keys); the setup starts the node once it is there.
    NODE_UNIT_FILE: `${SYSTEMD_UNIT_DIR}/${NODE_SERVICE}.service`,
    NODE_USER,
    NODE_VERSION_TAG,
    SETUP_ATTEMPT_SECONDS: String(SETUP_ATTEMPT_SECONDS),
    SETUP_RETRY_FIRST_SECONDS: String(SETUP_RETRY_FIRST_SECONDS),
    SETUP_RETRY_MAX_SECONDS: String(SETUP_RETRY_MAX_SECONDS),
    SYSTEMCTL: "systemctl",
  };
}

/**
 * The settings file (NODE_ENV_FILE): sorted KEY=value lines. The scripts read it as data, without
 * evaluating it, so a value is taken literally and may not span lines.
 */
export function renderNodeEnv(settings: Readonly<Record<string, string>>): string {
  const lines = Object.keys(settings)
    .sort()
    .map((key) => {
      const value = settings[key]!;
      if (!/^[A-Z][A-Z0-9_]*$/.test(key)) throw new Error(`bad node setting name ${key}`);
      if (/[\r\n]/.test(value)) throw new Error(`node setting ${key} spans lines`);
      return `${key}=${value}`;
    });
  return ["# Settings of the stakepool node scripts. Rendered by the kit; constant for the server's life.", ...lines, ""].join("\n");
}
