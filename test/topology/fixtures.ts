/** Shared inputs for the topology tests: pool models, and the bundled snapshots read as raw JSON. */
import fs from "node:fs";
import { expect } from "vitest";
import { NETWORKS, type NetworkName } from "../../components/networks/networks";
import type { PoolModel } from "../../components/model/pool";
import { groupCandidates, type CandidateGroup } from "../../components/topology/candidates";
import { parseSnapshot, type PeerSnapshot } from "../../components/topology/snapshot";
import { bundledSnapshotPath } from "../../components/topology/snapshot-file";
import { testModel } from "../helpers/model";

export function poolModel(network: NetworkName, relays: number): PoolModel {
  return testModel(network, { relays });
}

export function snapshotText(network: NetworkName): string {
  return fs.readFileSync(bundledSnapshotPath(network), "utf8");
}

export interface RawRelay {
  address?: string;
  domain?: string;
  port?: number;
}
export interface RawPool {
  relativeStake: number;
  accumulatedStake: number;
  relays: RawRelay[];
}

/** The snapshot as plain JSON, read without the code under test. */
export function rawPools(network: NetworkName): RawPool[] {
  return (JSON.parse(snapshotText(network)) as { bigLedgerPools: RawPool[] }).bigLedgerPools;
}

export function bundled(network: NetworkName): { snapshot: PeerSnapshot; groups: CandidateGroup[] } {
  const parsed = parseSnapshot({ text: snapshotText(network), source: `${network}.json`, network: NETWORKS[network] });
  expect(parsed.findings.problems).toEqual([]);
  return { snapshot: parsed.snapshot!, groups: groupCandidates(parsed.snapshot!.pools) };
}
