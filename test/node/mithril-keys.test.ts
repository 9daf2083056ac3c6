/** The pinned Mithril keys are the ones their README vouches for, and each network gets its own. */
import { readdirSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NETWORKS } from "../../components/networks/networks";
import { MITHRIL_KEYS_SOURCE_DIR, mithrilKeys } from "../../components/node/mithril-keys";

describe("the pinned Mithril verification keys", () => {
  const readme = readFileSync(path.join(MITHRIL_KEYS_SOURCE_DIR, "README.md"), "utf8");
  const table = new Map([...readme.matchAll(/^\| (\S+\.vkey) \| ([0-9a-f]{64}) \|$/gm)].map((m) => [m[1]!, m[2]!]));
  const files = readdirSync(MITHRIL_KEYS_SOURCE_DIR).filter((f) => f.endsWith(".vkey")).sort();

  it("match the SHA-256 recorded in their README, file for file", () => {
    expect([...table.keys()].sort()).toEqual(files);
    for (const file of files) {
      const digest = createHash("sha256").update(readFileSync(path.join(MITHRIL_KEYS_SOURCE_DIR, file))).digest("hex");
      expect(digest, file).toBe(table.get(file));
    }
  });

  it("exist for every network's Mithril release, as one hex-encoded line without newline", () => {
    for (const network of Object.values(NETWORKS)) {
      const keys = mithrilKeys(network);
      for (const key of [keys.genesis, keys.ancillary]) expect(key).toMatch(/^[0-9a-f]+$/);
      expect(keys.genesis).not.toBe(keys.ancillary);
    }
    expect(mithrilKeys(NETWORKS.mainnet).genesis).not.toBe(mithrilKeys(NETWORKS.preprod).genesis);
  });
});
