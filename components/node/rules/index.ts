/**
 * Every file the kit ships that cardano-node reads, checked by the node's own rules before it leaves the
 * plan: the topology, the peer snapshot it names, and the settings laid over config.json.
 */
import { runsNode, type PoolModel, type HostSpec } from "../../model/pool";
import { checkNodeSettings } from "./node-config";
import { decodePeerSnapshot, refusalsFor } from "./peer-snapshot";
import { checkTopology } from "./topology";

/** `files`: the host's plan files by name (topology.json, peer-snapshot.json, node-config.json). */
export function checkNodeFiles(model: PoolModel, host: HostSpec, files: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  // The monitoring host runs no node, so nothing there may be a node's file.
  if (!runsNode(host)) return ["topology.json", "node-config.json", "peer-snapshot.json"].filter((f) => files.has(f)).map((f) => `${f} on a host that runs no node`);
  const topologyText = files.get("topology.json");
  if (topologyText === undefined) return ["no topology.json"];
  const topology = JSON.parse(topologyText) as { useLedgerAfterSlot?: number };
  problems.push(...checkTopology(topology, { role: host.role, network: model.network }).map((p) => `topology.json: ${p}`));
  const snapshot = files.get("peer-snapshot.json");
  if (host.role === "relay") {
    if (snapshot === undefined) problems.push("a relay's topology names peer-snapshot.json, which is not delivered");
    else {
      const decoded = decodePeerSnapshot(snapshot);
      if (!decoded.ok) problems.push(...decoded.errors.map((e) => `peer-snapshot.json ${e}`));
      else {
        const use = { networkMagic: model.network.magic, useLedgerAfterSlot: topology.useLedgerAfterSlot ?? -1 };
        problems.push(...refusalsFor(decoded.snapshot, use).map((r) => `peer-snapshot.json ${r}`));
      }
    }
  }
  const settings = files.get("node-config.json");
  if (settings === undefined) problems.push("no node-config.json");
  else problems.push(...checkNodeSettings(JSON.parse(settings) as Record<string, unknown>, model.network).map((p) => `node-config.json: ${p}`));
  if (host.role === "core" && settings !== undefined && (JSON.parse(settings) as { PeerSharing?: unknown }).PeerSharing !== false) {
    problems.push("node-config.json: a core must set PeerSharing false, keys or not");
  }
  return problems;
}
