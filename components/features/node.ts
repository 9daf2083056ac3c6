/**
 * The node itself: the release it runs (version and pinned checksum), its unit, and the settings the kit
 * lays over the release's config.json. The one step that restarts the node, so the deployment rolls it
 * one host at a time; node-apply.sh restarts only when one of these changed, waits until the node
 * stayed up, and on a new server starts the boot setup instead (which starts the node when it is done).
 */
import { releaseSettings, renderSettingsFile } from "../node/env-file";
import { NODE_CONFIG_OVERLAY_FILE, NODE_SERVICE, RELEASE_ENV_FILE, SYSTEMD_UNIT_DIR } from "../node/paths";
import { renderNodeService } from "../node/service";
import { nodeSettingsOverlay, renderNodeSettings } from "../node/settings";
import { pinnedRoots } from "../node/rules/topology";
import { isForging } from "../pool/identity";
import { APPLY_NODE } from "./node-commands";
import { ROOT_FILE, type Feature } from "./feature";
import { runsNode } from "../model/pool";

export const node: Feature = {
  name: "node",
  step(pool, host) {
    if (!runsNode(host)) return undefined;
    const { model, releases } = pool;
    const topology = pool.peers.topologies.get(host.name);
    if (topology === undefined) throw new Error(`no topology was rendered for ${host.name}`);
    const settings = renderNodeSettings(nodeSettingsOverlay(model, host, host.role === "relay" ? pinnedRoots(topology) : undefined));
    const unit = renderNodeService(model, host, { forging: host.role === "core" && isForging(pool.identity) });
    const release = renderSettingsFile(`The releases ${host.name} runs`, releaseSettings(releases));
    return {
      name: "node",
      delivery: {
        directories: [],
        files: [
          { path: NODE_CONFIG_OVERLAY_FILE, ...ROOT_FILE, content: settings },
          { path: RELEASE_ENV_FILE, ...ROOT_FILE, content: release },
          { path: `${SYSTEMD_UNIT_DIR}/${NODE_SERVICE}.service`, ...ROOT_FILE, content: unit },
        ],
        apply: [APPLY_NODE],
      },
      secret: false,
      effect: "restart",
      planFiles: { "node-config.json": settings, "release.env": release, [`${NODE_SERVICE}.service`]: unit },
    };
  },
};
