/**
 * Peer changes are small, reviewable changes. A refresh (other peers, same counts) differs only in the
 * topology steps, which the node re-reads on SIGHUP. Pinning one more peer also raises each relay's
 * peer-selection targets (read only at start): the relays' node steps change too, and roll one at a
 * time; the core and every server stay as they are.
 */
import { describe, expect, it } from "vitest";
import { rawConfig } from "../helpers/config";
import { planWith, resourcesOf, type PlanFiles, type ResourceEntry } from "../helpers/plan";

const key = (r: ResourceEntry) => `${r.type}::${r.name}`;
/** What the engine acts on: inputs and options, but not the order it waits in (dependencies re-run nothing). */
const acted = (r: ResourceEntry | undefined) => JSON.stringify(r && { ...r, options: { ...r.options, dependsOn: undefined } });

function changed(a: PlanFiles, b: PlanFiles): string[] {
  const ra = new Map(resourcesOf(a).map((r) => [key(r), r]));
  const rb = new Map(resourcesOf(b).map((r) => [key(r), r]));
  expect([...rb.keys()].sort()).toEqual([...ra.keys()].sort());
  return [...ra.keys()].filter((k) => acted(ra.get(k)) !== acted(rb.get(k))).sort();
}

describe("peer changes", () => {
  it("a refresh (another seed, same counts) changes only the relays' topology steps", async () => {
    const [a, b] = await Promise.all([planWith("preprod", rawConfig("preprod", { peerSeed: "POOL-A" })), planWith("preprod", rawConfig("preprod", { peerSeed: "POOL-B" }))]);
    expect(changed(a, b)).toEqual(["command:remote:Command::pool-relay-1-topology", "command:remote:Command::pool-relay-2-topology"]);
    expect(b["hosts/core/topology.json"]).toBe(a["hosts/core/topology.json"]);
  });

  it("one more pinned peer changes the relays' topologies and targets, never the core or a server", async () => {
    const before = rawConfig("preprod", { peerSeed: "POOL-A" });
    const after = rawConfig("preprod", { peerSeed: "POOL-A", extraPeers: ["relay.friend.example.org:3001"] });
    const [a, b] = await Promise.all([planWith("preprod", before), planWith("preprod", after)]);
    expect(changed(a, b)).toEqual([
      "command:remote:Command::pool-relay-1-node",
      "command:remote:Command::pool-relay-1-topology",
      "command:remote:Command::pool-relay-2-node",
      "command:remote:Command::pool-relay-2-topology",
    ]);
    expect(b["hosts/relay-1/topology.json"]).toContain("relay.friend.example.org");
    const active = (files: PlanFiles) => (JSON.parse(files["hosts/relay-1/node-config.json"]!) as { TargetNumberOfActivePeers: number }).TargetNumberOfActivePeers;
    expect(active(b)).toBe(active(a) + 1);
    for (const host of ["core", "relay-1", "relay-2"]) expect(b[`hosts/${host}/cloud-init.yaml`]).toBe(a[`hosts/${host}/cloud-init.yaml`]);
  });
});
