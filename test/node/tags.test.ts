/** The node's instance tags and the upgrade command's argument checks. */
import { describe, expect, it } from "vitest";
import { releaseTags } from "../../components/node/tags";
import { nodeUpgradeCommand } from "../../components/node/upgrade";

const SHA = "530fb99986fbdccc46f9ee0dd86cabb1393b015feac9173cb731d89fa748365f";

describe("instance tags", () => {
  it("carry the release pins under the names the scripts read", () => {
    expect(releaseTags({ nodeVersion: "11.1.3", nodeSha256: SHA, mithrilVersion: "2617.0", mithrilSha256: SHA })).toEqual({
      "stakepool:mithril-sha256": SHA,
      "stakepool:mithril-version": "2617.0",
      "stakepool:node-sha256": SHA,
      "stakepool:node-version": "11.1.3",
    });
  });
});

describe("the upgrade command", () => {
  it("runs the install script with the version and checksum, restarting a running node", () => {
    expect(nodeUpgradeCommand("11.1.3", SHA)).toBe(
      `sudo -n cloud-init status --wait >/dev/null 2>&1 || true; sudo -n /usr/local/lib/stakepool/install-node.sh --restart 11.1.3 ${SHA}`,
    );
  });

  it("carries nothing but a version and a SHA-256", () => {
    expect(() => nodeUpgradeCommand("11.1.3; rm -rf /", SHA)).toThrow(/version/);
    expect(() => nodeUpgradeCommand("../11.1.3", SHA)).toThrow(/version/);
    expect(() => nodeUpgradeCommand("11.1.3", SHA.toUpperCase())).toThrow(/SHA-256/);
    expect(() => nodeUpgradeCommand("11.1.3", "")).toThrow(/SHA-256/);
  });
});
