/**
 * What prepares a host for the node (components/node/scripts): the kit's scripts, the host's settings
 * (paths, the network, the Mithril bootstrap and its pinned client), the network's Mithril verification
 * keys and the setup unit that runs at every boot. Changing any of these restarts nothing: the setup
 * runs when the node step starts it on a new server, and at boot. A larger data volume re-runs this step,
 * which grows the file system online.
 */
import { mithrilKeys } from "../node/mithril-keys";
import { nodeSettings, renderSettingsFile } from "../node/env-file";
import {
  kitScript,
  MITHRIL_ANCILLARY_VKEY_FILE,
  MITHRIL_GENESIS_VKEY_FILE,
  NODE_ENV_FILE,
  NODE_SETUP_SERVICE,
  SYSTEMD_UNIT_DIR,
} from "../node/paths";
import { kitScripts } from "../node/scripts";
import { renderNodeSetupService } from "../node/service";
import { ROOT_FILE, type Feature } from "./feature";
import { runsNode } from "../model/pool";

const SETUP_UNIT = `${NODE_SETUP_SERVICE}.service`;

/** On a host whose setup has run, mount checks and the file system's online growth run again at once. */
const GROW_IF_SET_UP = `if systemctl is-active --quiet ${SETUP_UNIT}; then ${kitScript("data-volume.sh")}; fi`;

export const nodeSetup: Feature = {
  name: "node-setup",
  step(pool, host) {
    if (!runsNode(host)) return undefined;
    const { model, releases } = pool;
    const keys = mithrilKeys(model.network);
    const env = renderSettingsFile(`Settings of the stakepool node scripts on ${host.name}`, {
      ...nodeSettings(model, host),
      // The size the kit gave the data volume: a larger one re-runs this step, which grows the file system.
      // An operator's own disk is as large as it is: nothing to wait for.
      ...(host.dataDisk.kind === "tagged-volume" ? { DATA_VOLUME_GIB: String(host.dataDiskGiB) } : {}),
      MITHRIL_BOOTSTRAP: String(releases.mithril !== undefined),
      ...(releases.mithril ? { MITHRIL_SHA256: releases.mithril.sha256 ?? "", MITHRIL_VERSION: releases.mithril.version } : {}),
    });
    const unit = renderNodeSetupService();
    const files = [
      ...kitScripts().map((script) => ({ path: script.path, ...ROOT_FILE, mode: script.permissions, content: script.content })),
      { path: NODE_ENV_FILE, ...ROOT_FILE, content: env },
      { path: MITHRIL_GENESIS_VKEY_FILE, ...ROOT_FILE, content: keys.genesis },
      { path: MITHRIL_ANCILLARY_VKEY_FILE, ...ROOT_FILE, content: keys.ancillary },
      { path: `${SYSTEMD_UNIT_DIR}/${SETUP_UNIT}`, ...ROOT_FILE, content: unit },
    ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return {
      name: "node-setup",
      delivery: { directories: [], files, apply: [`systemctl daemon-reload && systemctl enable ${SETUP_UNIT}`, GROW_IF_SET_UP] },
      secret: false,
      effect: "files",
      planFiles: { "node.env": env, [SETUP_UNIT]: unit },
    };
  },
};
