/**
 * The peer snapshot the kit delivers to every relay must be one the node reads and uses: current format,
 * the pool's network, a point at or after useLedgerAfterSlot (cardano-node Run.hs updateLedgerPeerSnapshot;
 * ouroboros-network LedgerPeers/Type.hs FromJSON). Anything else is refused on stakepool:peerSnapshotFile.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NETWORKS, type NetworkName } from "../../components/networks/networks";
import { parseSnapshot, skippedSummary, SNAPSHOT_SETTING, type SnapshotParse } from "../../components/topology/snapshot";
import { bundledSnapshotPath, MAX_SNAPSHOT_BYTES, readSnapshotFile } from "../../components/topology/snapshot-file";
import { fixtureText } from "../fixtures/paths";
import { rawPools, snapshotText } from "./fixtures";

function parse(text: string, network: NetworkName = "mainnet"): SnapshotParse {
  return parseSnapshot({ text, source: "peer-snapshot.json", network: NETWORKS[network] });
}

const HASH = "1a7f1af3e52ba8810247f7c82431113a61c2efc5435a8fe6f76c5ae6618cc92a";
const GOOD_SLOT = NETWORKS.mainnet.useLedgerAfterSlot + 1;

/** A current-format snapshot (what `cardano-cli latest query ledger-peer-snapshot` writes). */
function current(pools: unknown, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({
    NetworkMagic: NETWORKS.mainnet.magic,
    NodeToClientVersion: 23,
    Point: { blockPointHash: HASH, blockPointSlot: GOOD_SLOT },
    bigLedgerPools: pools,
    ...fields,
  });
}

const pool = (relays: unknown, relativeStake: unknown = 0.01) => ({ accumulatedStake: 0.01, relativeStake, relays });
const good = { address: "relay.example.org", port: 3001 };

function messages(result: SnapshotParse): string[] {
  return result.findings.problems.map((p) => p.message);
}

function expectRefused(result: SnapshotParse, fragment: string | RegExp): void {
  expect(result.snapshot).toBeUndefined();
  expect(result.findings.problems.length).toBeGreaterThan(0);
  for (const p of result.findings.problems) {
    expect(p.setting).toBe(SNAPSHOT_SETTING);
    expect(p.fix).toMatch(/cardano-cli latest query ledger-peer-snapshot (--mainnet|--testnet-magic)/);
    expect(p.fix).toMatch(/pulumi config (set|rm) stakepool:peerSnapshotFile/);
  }
  expect(messages(result).some((m) => (typeof fragment === "string" ? m.includes(fragment) : fragment.test(m)))).toBe(true);
}

describe("the bundled snapshots", () => {
  it("match the SHA-256 their README records with their provenance", () => {
    const readme = fs.readFileSync(path.join(path.dirname(bundledSnapshotPath("mainnet")), "README.md"), "utf8");
    for (const network of ["mainnet", "preprod", "preview"] as const) {
      const digest = createHash("sha256").update(fs.readFileSync(bundledSnapshotPath(network))).digest("hex");
      expect(readme).toMatch(new RegExp(`${network}\\.json[^\\n]*${digest}`));
    }
  });

  it("are current-format snapshots the node uses on their own network: magic, slot at or after useLedgerAfterSlot", () => {
    for (const network of ["mainnet", "preprod", "preview"] as const) {
      const raw = JSON.parse(snapshotText(network)) as { Point: { blockPointSlot: number } };
      const { snapshot, findings } = parse(snapshotText(network), network);
      expect(findings.problems).toEqual([]);
      expect(snapshot!.networkMagic).toBe(NETWORKS[network].magic);
      expect(snapshot!.slot).toBe(raw.Point.blockPointSlot);
      expect(snapshot!.slot).toBeGreaterThanOrEqual(NETWORKS[network].useLedgerAfterSlot);
      expect(snapshot!.pools.map((p) => p.relativeStake)).toEqual(rawPools(network).map((p) => p.relativeStake));
    }
  });

  it("are each refused on the other networks (magic)", () => {
    expectRefused(parse(snapshotText("mainnet"), "preprod"), "network magic 764824073");
    expectRefused(parse(snapshotText("preview"), "preprod"), "network magic 2");
  });

  it("accounts for every relay: usable in its pool, or skipped with the place and the reason", () => {
    for (const network of ["mainnet", "preprod", "preview"] as const) {
      const { snapshot } = parse(snapshotText(network), network);
      const skippedAt = new Set(snapshot!.skipped.map((s) => s.where));
      rawPools(network).forEach((raw, i) => {
        raw.relays.forEach((relay, j) => {
          const where = `bigLedgerPools[${i}].relays[${j}]`;
          if (skippedAt.has(where)) return;
          expect(snapshot!.pools[i]!.relays, where).toContainEqual({ address: relay.address!.toLowerCase().replace(/\.$/, ""), port: relay.port });
        });
        const keys = snapshot!.pools[i]!.relays.map((r) => `${r.address}:${r.port}`);
        expect(new Set(keys).size).toBe(keys.length);
      });
    }
  });

  it("skips mainnet's 18 SRV relays (no port), and preview's private and shared addresses", () => {
    const mainnet = parse(snapshotText("mainnet")).snapshot!;
    expect(rawPools("mainnet").flatMap((p) => p.relays).filter((r) => r.port === undefined)).toHaveLength(18);
    expect(mainnet.skipped).toHaveLength(18);
    expect(mainnet.skipped.every((s) => /SRV/.test(s.reason) && s.kind === "srv")).toBe(true);
    expect(skippedSummary(mainnet.skipped)).toBe("18 relays of the snapshot skipped: 18 SRV names (no port).");
    const preview = parse(snapshotText("preview"), "preview").snapshot!;
    expect(preview.skipped.map((s) => s.relay).sort()).toEqual(["100.100.100.100:100", "172.24.135.93:6000"]);
    expect(skippedSummary(preview.skipped)).toBe("2 relays of the snapshot skipped: 2 addresses nobody on the Internet reaches.");
    expect(skippedSummary(parse(snapshotText("preprod"), "preprod").snapshot!.skipped)).toBe("No relay of the snapshot skipped.");
  });
});

describe("a snapshot the node would refuse", () => {
  it("is refused when it is the legacy format (the shared preview vector, and crafted version 1 and 2)", () => {
    const legacy = fixtureText("peer-snapshots/legacy-v1-preview.json");
    expectRefused(parse(legacy, "preview"), 'legacy version-1 snapshot (slotNo, no NetworkMagic): cardano-node 10.7 and later stop with "Unsupported legacy peer snapshot version."');
    const v2 = JSON.stringify({ version: 2, slotNo: GOOD_SLOT, bigLedgerPools: [pool([good])] });
    expectRefused(parse(v2), "legacy version-2 snapshot");
    // "version" wins over "NodeToClientVersion", as in the node's decoder.
    expectRefused(parse(current([pool([good])], { version: 1 })), "legacy version-1");
  });

  it("is refused with another version, naming it", () => {
    expectRefused(parse(current([pool([good])], { NodeToClientVersion: 22 })), "has version 22");
    expectRefused(parse(JSON.stringify({ NetworkMagic: 764824073, bigLedgerPools: [] })), "has no snapshot version");
  });

  it("is refused for another network's magic", () => {
    expectRefused(parse(current([pool([good])], { NetworkMagic: 2 })), /magic 2, but the node runs with magic 764824073/);
  });

  it("is refused when it was taken before the topology's useLedgerAfterSlot (LedgerPeerSnapshotTooOld)", () => {
    const old = current([pool([good])], { Point: { blockPointHash: HASH, blockPointSlot: NETWORKS.mainnet.useLedgerAfterSlot - 1 } });
    expectRefused(parse(old), `before the topology's useLedgerAfterSlot ${NETWORKS.mainnet.useLedgerAfterSlot}: the node stops with LedgerPeerSnapshotTooOld`);
    const exact = current([pool([good])], { Point: { blockPointHash: HASH, blockPointSlot: NETWORKS.mainnet.useLedgerAfterSlot } });
    expect(parse(exact).findings.problems).toEqual([]);
  });

  it("is refused at the GenesisPoint", () => {
    expectRefused(parse(current([pool([good])], { Point: "origin" })), "GenesisPoint is not a valid value in the peer snapshot file");
  });

  it("is refused when the node's decoder fails on it, saying where", () => {
    expectRefused(parse(current([pool([])])), "bigLedgerPools[0].relays is empty");
    expectRefused(parse(current([pool([good, { domain: "relay.example.org", port: 3001 }])])), 'bigLedgerPools[0].relays[1] has "domain" instead of "address"');
    expectRefused(parse(current([pool([{ address: 42, port: 1 }])])), "bigLedgerPools[0].relays[0].address is number 42, not text");
    expectRefused(parse(current([pool("relay.example.org")])), "bigLedgerPools[0].relays is string");
    expectRefused(parse(current([pool([good], "high")])), "bigLedgerPools[0].relativeStake is string");
    expectRefused(parse(current([7])), "bigLedgerPools[0] is number 7, not a pool object");
    expectRefused(parse(current({})), "bigLedgerPools is an object, not a list");
    expectRefused(parse(current([pool([good])], { Point: { blockPointSlot: GOOD_SLOT, blockPointHash: "xyz" } })), "Point.blockPointHash");
    expectRefused(parse(current([pool([good])], { NetworkMagic: "mainnet" })), "NetworkMagic is string");
  });

  it("sums up a flood of malformed entries instead of listing them all", () => {
    const result = parse(current(Array.from({ length: 40 }, () => pool([{}]))));
    expect(result.snapshot).toBeUndefined();
    expect(result.findings.problems).toHaveLength(6);
    expect(messages(result)[5]).toMatch(/35 more errors/);
  });

  it("never quotes the file in its message (it may hold anything)", () => {
    const result = parse("ed25519_sk1secretsecretsecret");
    expectRefused(result, "is not JSON");
    expect(JSON.stringify(result.findings.problems)).not.toContain("secret");
  });
});

describe("relays the node reads but the kit will not write", () => {
  it("are skipped with a reason, not refused: SRV names, a port the node would wrap, port 0, unreachable or malformed hosts", () => {
    const relays = [
      { address: "relay.example.org" },
      { address: "relay.example.org", port: "3001" },
      { address: "relay.example.org", port: 70000 },
      { address: "relay.example.org", port: 0 },
      { address: "127.0.0.1", port: 3001 },
      { address: "bad_name.example.org", port: 3001 },
      { address: "Relay.Example.ORG.", port: 3001 },
    ];
    const { snapshot, findings } = parse(current([pool(relays)]));
    expect(findings.problems).toEqual([]);
    expect(snapshot!.skipped.map((s) => s.where)).toEqual([0, 1, 2, 3, 4, 5].map((j) => `bigLedgerPools[0].relays[${j}]`));
    expect(snapshot!.skipped[2]!.reason).toBe("port 70000 is not a TCP port; the node would read it as 4464");
    expect(snapshot!.skipped.map((s) => s.kind)).toEqual(["srv", "srv", "port", "port", "not-public", "malformed"]);
    expect(skippedSummary(snapshot!.skipped)).toBe("6 relays of the snapshot skipped: 2 SRV names (no port), 2 ports that are not TCP ports, 1 malformed host, 1 address nobody on the Internet reaches.");
    expect(snapshot!.pools[0]!.relays).toEqual([{ address: "relay.example.org", port: 3001 }]);
  });
});

describe("reading the snapshot file", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snapshot-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads the bundled snapshot of the pool's network when no file is set, and keeps its exact text", () => {
    for (const network of ["mainnet", "preprod", "preview"] as const) {
      const read = readSnapshotFile("", NETWORKS[network]);
      expect(read.findings.problems).toEqual([]);
      expect(read.path).toBe(bundledSnapshotPath(network));
      expect(read.text).toBe(snapshotText(network));
    }
  });

  it("reads the operator's file relative to the project folder", () => {
    fs.writeFileSync(path.join(dir, "mine.json"), current([pool([good])]));
    const read = readSnapshotFile("mine.json", NETWORKS.mainnet, dir);
    expect(read.findings.problems).toEqual([]);
    expect(read.snapshot!.pools[0]!.relays).toEqual([good]);
  });

  it("refuses a missing file, a folder, a pipe, a device and an oversized file, without reading them", () => {
    expectRefused(readSnapshotFile("nowhere.json", NETWORKS.preview, dir), "does not exist");
    expectRefused(readSnapshotFile(".", NETWORKS.preview, dir), "is a folder");
    execFileSync("mkfifo", [path.join(dir, "pipe.json")]);
    expectRefused(readSnapshotFile("pipe.json", NETWORKS.preview, dir), "is not a regular file");
    fs.symlinkSync("/dev/zero", path.join(dir, "zero.json"));
    expectRefused(readSnapshotFile("zero.json", NETWORKS.preview, dir), "is not a regular file");
    fs.writeFileSync(path.join(dir, "big.json"), Buffer.alloc(MAX_SNAPSHOT_BYTES + 1, 0x20));
    expectRefused(readSnapshotFile("big.json", NETWORKS.preview, dir), `a peer snapshot is at most ${MAX_SNAPSHOT_BYTES}`);
  });
});
