/**
 * The core's hot keys (KES key, VRF key, operational certificate), when the pool forges: 0400 files of
 * the node user in a 0700 folder, on the core only. The node re-reads them on SIGHUP (cardano-node
 * `Run.hs` `updateBlockForging`), so a KES rotation restarts nothing. Removing the keys from the stack
 * deletes them from the core.
 *
 * The three are delivered as one set (see ../delivery/bundle.ts): decoded straight into a new folder
 * beside the old set, then switched by one rename, so the paths the node opens name the old three or
 * the new three, never a KES key with another key's certificate. The node opens them one after another
 * (cardano-node `Protocol/Shelley.hs` `readLeaderCredentialsSingleton`: VRF key, certificate, KES key),
 * so a read that began before the switch may still combine both sets; the node refuses a KES key that
 * its certificate does not name (`MismatchedKesKey`), keeps its credentials when a reload fails
 * (`updateBlockForging` traces `BlockForgingUpdateError` and changes nothing), and the reload this step
 * sends after the switch reads the new set whole.
 */
import { setRemovalCommand } from "../delivery/bundle";
import { KES_KEY_FILE, KEYS_DIR, NODE_GROUP, NODE_USER, OPCERT_FILE, VRF_KEY_FILE } from "../node/paths";
import { RELOAD_NODE } from "./node-commands";
import { KEYS_APPLY_WITH_SIGNER } from "./mithril-signer/commands";
import { signerInput } from "./mithril-signer";
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
        sets: [KEYS_DIR],
        // With a signer on the core it restarts right after the node's reload (a SIGHUP would end it).
        apply: signerInput(pool) === undefined ? [RELOAD_NODE] : [...KEYS_APPLY_WITH_SIGNER],
        // Keys removed from the stack leave the core: the node stops forging on the reload (a missing
        // file is `FileDoesNotExistError`, on which `updateBlockForging` disables forging).
        remove: [setRemovalCommand(KEYS_DIR, [KES_KEY_FILE, VRF_KEY_FILE, OPCERT_FILE].map((f) => f.slice(KEYS_DIR.length + 1))), RELOAD_NODE],
      },
      secret: true,
      effect: "reload",
      planFiles: {},
    };
  },
};
