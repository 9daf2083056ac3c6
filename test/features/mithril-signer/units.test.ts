/**
 * The signer's unit on the core and the proxy's unit on a relay: what they run and as whom, their
 * sandbox, and that systemd itself accepts them (`systemd-analyze verify` in a temporary root holding
 * stub executables at the paths the units name, like test/node/units.test.ts).
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RELAY_PROXY_CONFIG_FILE, SIGNER_BIN, SIGNER_ENV_FILE, SIGNER_STORES_DIR, SQUID_BIN } from "../../../components/features/mithril-signer/paths";
import { renderRelayProxyService } from "../../../components/features/mithril-signer/relay-unit";
import { renderSignerService } from "../../../components/features/mithril-signer/signer-unit";
import { DATA_MOUNT, MITHRIL_INSTALL_ROOT } from "../../../components/node/paths";
import { renderNodeService, renderNodeSetupService } from "../../../components/node/service";
import { describeWith } from "../../helpers/requirements";
import { signerInput } from "./input";

const execFileAsync = promisify(execFile);

/** The unit's settings: key → values in order. */
function parseUnit(text: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.startsWith("[") || !line.includes("=")) continue;
    const key = line.slice(0, line.indexOf("="));
    settings.set(key, [...(settings.get(key) ?? []), line.slice(line.indexOf("=") + 1)]);
  }
  return settings;
}

function one(unit: Map<string, string[]>, key: string): string {
  const values = unit.get(key) ?? [];
  expect(values, key).toHaveLength(1);
  return values[0]!;
}

const SANDBOX_YES = ["NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables", "ProtectKernelModules", "ProtectControlGroups", "RestrictSUIDSGID", "MemoryDenyWriteExecute", "LockPersonality"];

describe("the signer's unit", () => {
  const { model, input } = signerInput("mainnet");
  const unit = parseUnit(renderSignerService(input));

  it("runs the current Mithril release's signer as the node's user, with the kit's environment, after the node", () => {
    expect(one(unit, "User")).toBe("cardano");
    expect(one(unit, "Group")).toBe("cardano");
    expect(one(unit, "EnvironmentFile")).toBe(SIGNER_ENV_FILE);
    expect(one(unit, "ExecStart").split(" ")[0]).toBe(SIGNER_BIN);
    expect(SIGNER_BIN).toBe(`${MITHRIL_INSTALL_ROOT}/current/mithril-signer`);
    expect(one(unit, "After").split(" ")).toContain("cardano-node.service");
    // It never pulls the node up itself (the node's own steps decide when it starts).
    expect(unit.has("Requires")).toBe(false);
    expect(unit.has("BindsTo")).toBe(false);
    expect(one(unit, "RequiresMountsFor")).toBe(DATA_MOUNT);
  });

  it("restarts on failure and keeps trying while the node is not up", () => {
    expect(one(unit, "Restart")).toBe("on-failure");
    expect(Number(one(unit, "RestartSec"))).toBeGreaterThan(0);
    expect(one(unit, "StartLimitIntervalSec")).toBe("0");
    // Never reloaded: a SIGHUP would end it (it has no handler), as a clean exit systemd would not restart.
    expect(unit.has("ExecReload")).toBe(false);
  });

  it("is sandboxed like the node, writes only its stores, and reaches only loopback and the proxy relays", () => {
    expect(one(unit, "ProtectSystem")).toBe("strict");
    // "-": systemd 252 checks the path for the "+" ExecStartPre that makes it too, and fails a start
    // where it does not exist yet (226/NAMESPACE, seen in the e2e box).
    expect(one(unit, "ReadWritePaths")).toBe(`-${SIGNER_STORES_DIR}`);
    for (const key of SANDBOX_YES) expect(one(unit, key), key).toBe("yes");
    expect(one(unit, "CapabilityBoundingSet")).toBe("");
    expect(one(unit, "IPAddressDeny")).toBe("any");
    expect(one(unit, "IPAddressAllow").split(" ").sort()).toEqual(["localhost", ...model.relays.map((r) => r.privateIp)].sort());
    // Its stores folder is made by root before each start, for the node user alone.
    expect(one(unit, "ExecStartPre")).toBe(`+/usr/bin/install -d -m 0700 -o cardano -g cardano ${SIGNER_STORES_DIR}`);
    // The node comes first: the signer gets a fifth of its CPU and I/O weight.
    expect(Number(one(unit, "CPUWeight"))).toBeLessThan(100);
    expect(Number(one(unit, "IOWeight"))).toBeLessThan(100);
  });

  it("admits the monitoring host's scrape besides them when the pool has one, and no other address", () => {
    const { model: m, input: base } = signerInput("mainnet");
    const watched = parseUnit(renderSignerService({ ...base, monitorIp: m.monitor!.privateIp }));
    expect(one(watched, "IPAddressAllow").split(" ").sort()).toEqual(["localhost", ...m.relays.map((r) => r.privateIp), m.monitor!.privateIp].sort());
    expect(() => renderSignerService({ ...base, monitorIp: m.core.privateIp })).toThrow(/another host's/);
    expect(() => renderSignerService({ ...base, monitorIp: "monitor.example" })).toThrow(/not an IPv4 address/);
  });

  it("allows the second proxy relay too, and only one relay when the pool has one", () => {
    const single = parseUnit(renderSignerService(signerInput("preview", 1).input));
    expect(one(single, "IPAddressAllow").split(" ")).toHaveLength(2);
  });
});

describe("the proxy's unit", () => {
  const { model, input } = signerInput("preprod");
  const relayIp = model.relays[0]!.privateIp;
  const unit = parseUnit(renderRelayProxyService(input, relayIp));

  it("runs squid with the kit's configuration only, unprivileged, in one foreground process", () => {
    expect(one(unit, "ExecStart")).toBe(`${SQUID_BIN} -N -d 1 -f ${RELAY_PROXY_CONFIG_FILE}`);
    expect(one(unit, "User")).toBe("proxy");
    expect(one(unit, "Restart")).toBe("on-failure");
    expect(one(unit, "CapabilityBoundingSet")).toBe("");
    expect(one(unit, "ProtectSystem")).toBe("strict");
    for (const key of SANDBOX_YES) expect(one(unit, key), key).toBe("yes");
  });

  it("is rendered only for a proxy relay", () => {
    expect(() => renderRelayProxyService(input, model.core.privateIp)).toThrow(/not one of the proxy relays/);
  });
});

describeWith({ tools: ["systemd-analyze"] }, "systemd-analyze verify", () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "stakepool-signer-units-"));
    const systemUnits = ["/usr/lib/systemd/system", "/lib/systemd/system"].find((dir) => existsSync(path.join(dir, "sysinit.target")));
    if (!systemUnits) throw new Error("no systemd unit folder with sysinit.target on this machine");
    cpSync(systemUnits, path.join(root, "usr/lib/systemd/system"), { recursive: true, verbatimSymlinks: true });
    const stub = (file: string) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), "#!/bin/sh\n", { mode: 0o755 });
    };
    stub(`${MITHRIL_INSTALL_ROOT}/2630.0/mithril-signer`);
    symlinkSync("2630.0", path.join(root, MITHRIL_INSTALL_ROOT, "current"));
    stub("/opt/cardano/11.9.3/bin/cardano-node");
    symlinkSync("11.9.3", path.join(root, "opt/cardano/current"));
    for (const tool of ["/bin/kill", "/usr/bin/install", "/usr/bin/python3", SQUID_BIN, "/usr/local/lib/stakepool/node-setup.sh"]) stub(tool);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function verify(units: Record<string, string>): Promise<{ code: number; output: string }> {
    const dir = path.join(root, "etc/systemd/system");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(units)) writeFileSync(path.join(dir, name), text);
    try {
      const { stdout, stderr } = await execFileAsync("systemd-analyze", ["verify", "--man=no", `--root=${root}`, ...Object.keys(units)]);
      return { code: 0, output: `${stdout}${stderr}` };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
  }

  for (const network of ["mainnet", "preprod", "preview"] as const) {
    it(`accepts the signer's unit beside the forging core's node units (${network}), without a single warning`, async () => {
      const { model, input } = signerInput(network);
      const result = await verify({
        "mithril-signer.service": renderSignerService(input),
        "cardano-node.service": renderNodeService(model, model.core, { forging: true }),
        "stakepool-node-setup.service": renderNodeSetupService(),
      });
      expect(result.output).toBe("");
      expect(result.code).toBe(0);
      // With a monitoring host admitted too.
      const watched = await verify({ "mithril-signer.service": renderSignerService({ ...input, monitorIp: model.monitor!.privateIp }) });
      expect(watched.output).toBe("");
      expect(watched.code).toBe(0);
    });

    it(`accepts the proxy's unit on each proxy relay (${network}), without a single warning`, async () => {
      const { input } = signerInput(network);
      for (const relayIp of input.proxyRelayIps) {
        const result = await verify({ "mithril-relay.service": renderRelayProxyService(input, relayIp) });
        expect(result.output).toBe("");
        expect(result.code).toBe(0);
      }
    });
  }

  it("would catch a unit systemd cannot use (so the checks above mean something)", async () => {
    const { input } = signerInput("preview");
    const broken = renderSignerService(input).replace("IPAddressDeny=any", "IPAddressDeny=nowhere");
    const result = await verify({ "mithril-signer.service": broken });
    expect(result.output).toMatch(/mithril-signer\.service:\d+: Address prefix is invalid, ignoring assignment: nowhere/);
  });
});
