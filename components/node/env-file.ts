/**
 * The per-host settings of the node scripts: the only part of them the kit renders. The scripts are
 * static files; everything they touch (paths, URLs, the network, the metrics address) is named here,
 * from the same constants every other rendering uses, so scripts and units cannot disagree.
 */
import type { DataDisk, HostSpec, PoolModel } from "../model/pool";
import type { NodeReleases } from "./pins";
import {
  CURRENT_LINK,
  DATA_MOUNT,
  DB_DIR,
  INSTALL_ROOT,
  KIT_NODE_CONFIG_NAME,
  MITHRIL_ANCILLARY_VKEY_FILE,
  MITHRIL_GENESIS_VKEY_FILE,
  MITHRIL_INSTALL_ROOT,
  NODE_APPLIED_FILE,
  NODE_CONFIG_OVERLAY_FILE,
  NODE_GROUP,
  NODE_LOCK_FILE,
  NODE_SERVICE,
  NODE_SETUP_SERVICE,
  SYSTEMD_UNIT_DIR,
  NODE_USER,
} from "./paths";
import { MITHRIL_RELEASE_BASE_URL, MITHRIL_TARBALL_PATTERN, NODE_RELEASE_BASE_URL, NODE_TARBALL_PATTERN } from "../networks/releases";

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
/** A restarted node must stay up this long before the rollout moves on to the next host. */
export const NODE_HEALTHY_SECONDS = 30;

/** Where the host's chain database lives, as the setup's data-volume.sh reads it. */
function dataDiskSettings(disk: DataDisk): Record<string, string> {
  switch (disk.kind) {
    case "tagged-volume":
      return { DATA_VOLUME_TAG: disk.tag, DEVICE_BY_ID_DIR, DEVICE_WAIT_SECONDS: String(DEVICE_WAIT_SECONDS), IMDS_URL };
    case "device":
      return { DATA_DEVICE: disk.path, DEVICE_WAIT_SECONDS: String(DEVICE_WAIT_SECONDS) };
    case "folder":
      return { DATA_FOLDER: "true" };
  }
}

/** The settings as name → value, for one host. They change only with the kit's own paths and URLs. */
export function nodeSettings(model: PoolModel, host: HostSpec): Record<string, string> {
  return {
    ...dataDiskSettings(host.dataDisk),
    CURRENT_LINK,
    DATA_LABEL,
    DATA_MOUNT,
    DB_DIR,
    FSTAB: "/etc/fstab",
    INSTALL_ROOT,
    KIT_NODE_CONFIG_NAME,
    LOCK_FILE: NODE_LOCK_FILE,
    LOCK_WAIT_SECONDS: String(LOCK_WAIT_SECONDS),
    MITHRIL_AGGREGATOR: model.network.mithrilAggregator,
    MITHRIL_ANCILLARY_VKEY_FILE,
    MITHRIL_GENESIS_VKEY_FILE,
    MITHRIL_INSTALL_ROOT,
    MITHRIL_RELEASE_BASE_URL,
    MITHRIL_TARBALL: MITHRIL_TARBALL_PATTERN,
    NETWORK: model.network.name,
    NODE_APPLIED_FILE,
    NODE_CONFIG_OVERLAY: NODE_CONFIG_OVERLAY_FILE,
    NODE_GROUP,
    NODE_HEALTHY_SECONDS: String(NODE_HEALTHY_SECONDS),
    NODE_RELEASE_BASE_URL,
    NODE_SERVICE: `${NODE_SERVICE}.service`,
    NODE_SETUP_SERVICE: `${NODE_SETUP_SERVICE}.service`,
    NODE_TARBALL: NODE_TARBALL_PATTERN,
    // Delivered by the node step; the setup starts the node once it is there.
    NODE_UNIT_FILE: `${SYSTEMD_UNIT_DIR}/${NODE_SERVICE}.service`,
    NODE_USER,
    SETUP_ATTEMPT_SECONDS: String(SETUP_ATTEMPT_SECONDS),
    SETUP_RETRY_FIRST_SECONDS: String(SETUP_RETRY_FIRST_SECONDS),
    SETUP_RETRY_MAX_SECONDS: String(SETUP_RETRY_MAX_SECONDS),
    SYSTEMCTL: "systemctl",
  };
}

/**
 * The release settings (RELEASE_ENV_FILE): the node release the host runs, delivered by the node step
 * (whose change restarts the node, one host at a time). A release without a pinned checksum carries an
 * empty one: the scripts then refuse to install it. The Mithril pins are the setup's (node.env): they
 * restart nothing.
 */
export function releaseSettings(releases: NodeReleases): Record<string, string> {
  return { NODE_SHA256: releases.node.sha256 ?? "", NODE_VERSION: releases.node.version };
}

/**
 * A settings file (NODE_ENV_FILE, RELEASE_ENV_FILE): sorted KEY=value lines. The scripts read it as
 * data, without evaluating it, so a value is taken literally and may not span lines.
 */
export function renderSettingsFile(title: string, settings: Readonly<Record<string, string>>): string {
  const lines = Object.keys(settings)
    .sort()
    .map((key) => {
      const value = settings[key]!;
      if (!/^[A-Z][A-Z0-9_]*$/.test(key)) throw new Error(`bad node setting name ${key}`);
      if (/[\r\n]/.test(value)) throw new Error(`node setting ${key} spans lines`);
      return `${key}=${value}`;
    });
  return [`# ${title}. Rendered by the stakepool kit and delivered over SSH: do not edit.`, ...lines, ""].join("\n");
}
