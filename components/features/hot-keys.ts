/**
 * The core's hot keys (KES key, VRF key, operational certificate), when the pool forges: 0400 files of
 * the node user in a 0700 folder, on the core only. The node re-reads them on SIGHUP (cardano-node
 * `Run.hs` `updateBlockForging`), so a KES rotation restarts nothing. Removing the keys from the stack
 * deletes them from the core.
 */
import { KES_KEY_FILE, KEYS_DIR, NODE_GROUP, NODE_USER, OPCERT_FILE, VRF_KEY_FILE } from "../node/paths";
import { RELOAD_NODE } from "./node-commands";
import type { Feature } from "./feature";

export const hotKeys: Feature = {
  name: "keys",
  step(pool, host) {
    const keys = pool.identity.hotKeyFiles;
    if (host.role !== "core" || !keys) return undefined;
    const node = { owner: NODE_USER, group: NODE_GROUP, mode: "0400" } as const;
    return {
      name: "keys",
      delivery: {
        directories: [{ path: KEYS_DIR, mode: "0700", owner: NODE_USER, group: NODE_GROUP }],
        files: [
          { path: KES_KEY_FILE, ...node, content: keys.kes },
          { path: VRF_KEY_FILE, ...node, content: keys.vrf },
          { path: OPCERT_FILE, ...node, content: keys.opcert },
        ],
        apply: [RELOAD_NODE],
        // Keys removed from the stack leave the core: the node stops forging on the reload.
        remove: [`rm -f "$R${KES_KEY_FILE}" "$R${VRF_KEY_FILE}" "$R${OPCERT_FILE}"`, RELOAD_NODE],
      },
      secret: true,
      effect: "reload",
      planFiles: {},
    };
  },
};
