/**
 * The signer's two steps as the deployment would deliver them: what lands where, with which owner and
 * mode, what runs after, in which order, and what is removed; the script and the inline commands pass
 * shellcheck.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { deliveryHash, deliveryScript, removalScript } from "../../../components/delivery/bundle";
import {
  APPLY_SIGNER,
  CHECK_RELAY_PROXY_UP,
  CHECK_SQUID_CONFIG,
  INSTALL_SQUID,
  KEYS_APPLY_WITH_SIGNER,
  MASK_DISTRIBUTION_SQUID,
  RESTART_RELAY_PROXY,
  RESTART_SIGNER_IF_RUNNING,
} from "../../../components/features/mithril-signer/commands";
import { RELAY_PROXY_CONFIG_FILE, SIGNER_APPLY_SETTINGS_FILE, SIGNER_ENV_FILE } from "../../../components/features/mithril-signer/paths";
import { SIGNER_SCRIPTS_DIR } from "../../../components/features/mithril-signer/scripts";
import { signerApplySettings, signerCoreStep, signerRelayStep } from "../../../components/features/mithril-signer/steps";
import { RELOAD_NODE } from "../../../components/features/node-commands";
import { nodeSettings } from "../../../components/node/env-file";
import { describeWith } from "../../helpers/requirements";
import { envLines, MITHRIL_VERSION, signerInput } from "./input";

const run = promisify(execFile);

describe("the signer's step on the core", () => {
  const { model, input } = signerInput("mainnet");
  const step = signerCoreStep(input);
  const files = new Map(step.delivery.files.map((f) => [f.path, f]));

  it("delivers the apply script, its settings, the signer's environment and unit, root-owned, none of them secret", () => {
    expect([...files.keys()]).toEqual([
      "/etc/stakepool/mithril-signer/apply.env",
      "/etc/stakepool/mithril-signer/signer.env",
      "/etc/systemd/system/mithril-signer.service",
      "/usr/local/lib/stakepool/mithril-signer-apply.sh",
    ]);
    for (const file of files.values()) expect([file.owner, file.group, file.mode]).toEqual(["root", "root", file.path.endsWith(".sh") ? "0755" : "0644"]);
    expect(step.secret).toBe(false);
    // The environment names key files; it never holds a key.
    expect(files.get(SIGNER_ENV_FILE)!.content).not.toMatch(/"type":|cborHex/);
    expect(step.delivery.apply).toEqual([APPLY_SIGNER]);
    expect(step.effect).toBe("files");
    expect(Object.keys(step.planFiles).sort()).toEqual(["mithril-signer.env", "mithril-signer.service"]);
  });

  it("pins the same Mithril release the bootstrap verifies, and reads every other setting from the node's", () => {
    const settings = envLines(files.get(SIGNER_APPLY_SETTINGS_FILE)!.content);
    expect(settings.get("SIGNER_MITHRIL_VERSION")).toBe(MITHRIL_VERSION);
    expect(settings.get("SIGNER_MITHRIL_SHA256")).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.fromEntries(settings)).toEqual(signerApplySettings(input));
    // What the script needs besides its own settings is in the node's settings file (node.env).
    const node = nodeSettings(model, model.relays[0]!);
    for (const key of ["NETWORK", "MITHRIL_INSTALL_ROOT", "MITHRIL_RELEASE_BASE_URL", "MITHRIL_TARBALL", "SYSTEMCTL", "NODE_SERVICE"]) expect(node[key], key).toBeTruthy();
    expect(signerApplySettings({ ...input, mithril: { version: "2630.0", sha256: undefined } }).SIGNER_MITHRIL_SHA256).toBe("");
  });

  it("re-runs exactly when the release, the proxy or the network changes", () => {
    const hash = deliveryHash(step.delivery);
    expect(deliveryHash(signerCoreStep(input).delivery)).toBe(hash);
    expect(deliveryHash(signerCoreStep({ ...input, mithril: { version: "2630.1", sha256: "a".repeat(64) } }).delivery)).not.toBe(hash);
    expect(deliveryHash(signerCoreStep({ ...input, proxyRelayIps: [...input.proxyRelayIps].reverse() }).delivery)).not.toBe(hash);
    expect(deliveryHash(signerCoreStep(signerInput("preprod").input).delivery)).not.toBe(hash);
  });

  it("renders a delivery script and a removal that stops the signer and deletes its files, not its stores", () => {
    expect(deliveryScript(step.delivery)).toContain(APPLY_SIGNER);
    const removal = removalScript(step.delivery)!;
    expect(removal).toMatch(/disable --now mithril-signer\.service/);
    expect(removal).toContain(SIGNER_ENV_FILE);
    expect(removal).not.toContain("/srv/cardano");
  });

  it("gives the keys step the node's reload first, then the signer's restart only if it runs", () => {
    expect(KEYS_APPLY_WITH_SIGNER).toEqual([RELOAD_NODE, RESTART_SIGNER_IF_RUNNING]);
    expect(RESTART_SIGNER_IF_RUNNING).toBe("if systemctl is-active --quiet mithril-signer.service; then systemctl restart mithril-signer.service; fi");
  });
});

describe("the proxy's step on a relay", () => {
  const { model, input } = signerInput("preview");
  const step = signerRelayStep(input, model.relays[1]!.privateIp);

  it("delivers the squid configuration and the unit, and never Debian's own squid.conf", () => {
    expect(step.delivery.files.map((f) => f.path)).toEqual([RELAY_PROXY_CONFIG_FILE, "/etc/systemd/system/mithril-relay.service"]);
    expect(step.delivery.files.some((f) => f.path.startsWith("/etc/squid"))).toBe(false);
    expect(step.delivery.files[0]!.content).toContain(`http_port ${model.relays[1]!.privateIp}:3132`);
    expect(step.secret).toBe(false);
  });

  it("masks the package's squid before installing it, checks the configuration, and only then restarts the proxy", () => {
    expect(step.delivery.apply).toEqual([MASK_DISTRIBUTION_SQUID, INSTALL_SQUID, CHECK_SQUID_CONFIG, ...RESTART_RELAY_PROXY, CHECK_RELAY_PROXY_UP]);
    expect(MASK_DISTRIBUTION_SQUID).toMatch(/^systemctl mask squid\.service/);
    expect(RESTART_RELAY_PROXY).toEqual(["systemctl daemon-reload", "systemctl enable mithril-relay.service", "systemctl restart mithril-relay.service"]);
    expect(CHECK_RELAY_PROXY_UP).toMatch(/systemctl is-active --quiet mithril-relay\.service/);
    expect(removalScript(step.delivery)).toMatch(/disable --now mithril-relay\.service/);
  });

  it("exists only on a proxy relay", () => {
    expect(() => signerRelayStep(input, model.core.privateIp)).toThrow(/not one of the proxy relays/);
  });
});

describeWith({ tools: ["shellcheck"] }, "shellcheck", () => {
  async function check(args: readonly string[], input?: string): Promise<string> {
    try {
      const child = run("shellcheck", [...args]);
      if (input !== undefined) child.child.stdin?.end(input);
      const { stdout, stderr } = await child;
      return `${stdout}${stderr}`;
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      return `${e.stdout ?? "failed"}${e.stderr ?? ""}`;
    }
  }

  it("finds nothing in mithril-signer-apply.sh (following its source of the node scripts' common.sh)", async () => {
    expect(await check(["--external-sources", "--source-path=SCRIPTDIR", "--severity=style", path.join(SIGNER_SCRIPTS_DIR, "mithril-signer-apply.sh")])).toBe("");
  });

  it("finds nothing in the inline apply and removal commands, run by sh as the delivery runs them", async () => {
    const { model, input } = signerInput("preprod");
    const steps = [signerCoreStep(input), signerRelayStep(input, model.relays[0]!.privateIp)];
    const commands = [...steps.flatMap((s) => [...s.delivery.apply, ...(s.delivery.remove ?? [])]), ...KEYS_APPLY_WITH_SIGNER];
    const text = `#!/bin/sh\nR=\${R:-}\n${commands.join("\n")}\n`;
    expect(await check(["--shell=sh", "--severity=style", "-"], text)).toBe("");
  });
});
