/**
 * A peer refresh is a small, reviewable change: the same pool with other peers differs only in the
 * topology delivery commands' inputs. No instance, volume or user data changes, so nothing is replaced
 * or rebooted.
 */
import { describe, expect, it } from "vitest";
import { rawConfig } from "../helpers/config";
import { planWith, resourcesOf, type ResourceEntry } from "../helpers/plan";

const key = (r: ResourceEntry) => `${r.type}::${r.name}`;

describe("a topology change", () => {
  it("changes only the topology deliveries, never a server", async () => {
    const before = rawConfig("preprod", { peerSeed: "POOL-A" });
    const after = rawConfig("preprod", { peerSeed: "POOL-A", extraPeers: ["relay.friend.example:3001"], peerCount: 21 });
    const [a, b] = await Promise.all([planWith("preprod", before), planWith("preprod", after)]);
    const ra = new Map(resourcesOf(a).map((r) => [key(r), r]));
    const rb = new Map(resourcesOf(b).map((r) => [key(r), r]));
    expect([...rb.keys()].sort()).toEqual([...ra.keys()].sort());
    const changed = [...ra.keys()].filter((k) => JSON.stringify(ra.get(k)) !== JSON.stringify(rb.get(k))).sort();
    expect(changed).toEqual([
      "command:remote:Command::pool-relay-1-topology",
      "command:remote:Command::pool-relay-2-topology",
    ]);
    // the files a reviewer reads changed accordingly; the core's topology and every user data did not
    expect(b["hosts/relay-1/topology.json"]).toContain("relay.friend.example");
    expect(b["hosts/core/topology.json"]).toBe(a["hosts/core/topology.json"]);
    for (const host of ["core", "relay-1", "relay-2"]) expect(b[`hosts/${host}/cloud-init.yaml`]).toBe(a[`hosts/${host}/cloud-init.yaml`]);
  });
});
