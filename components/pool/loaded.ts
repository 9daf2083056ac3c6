/**
 * A pool as loaded and checked (../program/load.ts): its settings, its cloud-neutral model, the releases
 * its hosts run, its identity, its peers and its monitoring. What runs on each host (../features) is derived from this
 * alone; where the hosts are, and how they are made, is the backend's (../backends).
 */
import type { Settings } from "../config/settings";
import type { PoolMonitoring } from "../features/monitoring/load";
import type { Warning } from "../config/problems";
import type { PoolModel } from "../model/pool";
import type { NodeReleases } from "../node/pins";
import type { PoolIdentity } from "./identity";
import type { PoolPeers } from "./peers";

export interface LoadedPool {
  readonly settings: Settings;
  readonly model: PoolModel;
  readonly releases: NodeReleases;
  readonly identity: PoolIdentity;
  readonly peers: PoolPeers;
  /** The monitoring host's configuration and alert channels, when the pool has one. */
  readonly monitoring: PoolMonitoring | undefined;
  readonly warnings: readonly Warning[];
}
