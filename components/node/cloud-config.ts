/**
 * The node's part of a host's user data: the scripts, their per-host settings, the network's Mithril
 * keys and the setup unit, then one command that starts the setup. Nothing in it changes during the
 * pool's life (versions and checksums are instance tags; upgrades come by SSH), so it never stops a
 * server. The node's own unit is not here: whether the core forges changes when keys are added or
 * removed, so the unit is delivered over SSH like the keys (components/pool/deliveries.ts). It merges with `baseCloudConfig` and the other fragments (lists concatenated) and uses none of
 * the base's keys.
 */
import type { CloudConfig } from "../host/cloud-init";
import type { HostSpec, PoolModel } from "../pool/model";
import { nodeSettings, renderNodeEnv } from "./env-file";
import { mithrilKeys } from "./mithril-keys";
import {
  MITHRIL_ANCILLARY_VKEY_FILE,
  MITHRIL_GENESIS_VKEY_FILE,
  NODE_ENV_FILE,
  NODE_SETUP_SERVICE,
  SYSTEMD_UNIT_DIR,
} from "./paths";
import { kitScripts } from "./scripts";
import { renderNodeSetupService } from "./service";

export interface NodeCloudConfigOptions {
  /** Fill an empty data volume from Mithril (default true). */
  readonly mithril?: boolean;
}

/** One cloud-init `write_files` entry. */
export interface WriteFile {
  readonly path: string;
  readonly content: string;
  readonly owner: string;
  readonly permissions: string;
}

/** Every file the node's setup needs on the host, sorted by path. */
export function nodeFiles(model: PoolModel, host: HostSpec, options: NodeCloudConfigOptions = {}): WriteFile[] {
  const mithril = options.mithril ?? true;
  const keys = mithrilKeys(model.network);
  const file = (path: string, content: string, permissions = "0644"): WriteFile => ({ path, content, owner: "root:root", permissions });
  return [
    ...kitScripts().map((script) => file(script.path, script.content, script.permissions)),
    file(NODE_ENV_FILE, renderNodeEnv(nodeSettings(model, host, { mithril }))),
    file(MITHRIL_GENESIS_VKEY_FILE, keys.genesis),
    file(MITHRIL_ANCILLARY_VKEY_FILE, keys.ancillary),
    file(`${SYSTEMD_UNIT_DIR}/${NODE_SETUP_SERVICE}.service`, renderNodeSetupService()),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The fragment. `runcmd` enables the setup unit (it runs at every boot from now on) and starts it without
 * waiting: a mainnet Mithril restore takes half an hour, and the deliveries (which wait for cloud-init)
 * need not wait for it. The setup starts the node once the node's unit has been delivered; the unit
 * requires the setup, so the node never starts before it ends. Watch it with
 * `systemctl status stakepool-node-setup`.
 */
export function nodeCloudConfig(model: PoolModel, host: HostSpec, options: NodeCloudConfigOptions = {}): CloudConfig {
  const setup = `${NODE_SETUP_SERVICE}.service`;
  return {
    write_files: nodeFiles(model, host, options),
    runcmd: [
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", setup],
      ["systemctl", "start", "--no-block", setup],
    ],
  };
}
