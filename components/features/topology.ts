/**
 * The node's topology, and on relays the peer snapshot it names: the node re-reads both on SIGHUP
 * (cardano-node `Run.hs` `updateTopologyConfiguration` / `updateLedgerPeerSnapshot`), so a peer refresh
 * or a new relay restarts nothing.
 */
import { PEER_SNAPSHOT_FILE, TOPOLOGY_FILE } from "../node/paths";
import { RELOAD_NODE } from "./node-commands";
import { ROOT_FILE, type Feature } from "./feature";
import { runsNode } from "../model/pool";

export const topology: Feature = {
  name: "topology",
  step(pool, host) {
    if (!runsNode(host)) return undefined;
    const text = pool.peers.topologies.get(host.name);
    if (text === undefined) throw new Error(`no topology was rendered for ${host.name}`);
    const snapshot = host.role === "relay" ? pool.peers.snapshot.content : undefined;
    return {
      name: "topology",
      delivery: {
        directories: [],
        files: [
          { path: TOPOLOGY_FILE, ...ROOT_FILE, content: text },
          ...(snapshot !== undefined ? [{ path: PEER_SNAPSHOT_FILE, ...ROOT_FILE, content: snapshot }] : []),
        ],
        apply: [RELOAD_NODE],
      },
      secret: false,
      effect: "reload",
      planFiles: { "topology.json": text, ...(snapshot !== undefined ? { "peer-snapshot.json": snapshot } : {}) },
    };
  },
};
