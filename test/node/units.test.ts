/**
 * The node's systemd units: what cardano-node is started with on each role, and that systemd itself
 * accepts every rendered unit (`systemd-analyze verify` in a temporary root holding stub executables at
 * the paths the units name).
 */
import { ADMIN_SYNC_SERVICE, renderAdminSyncService, renderAdminSyncTimer } from "../../components/firewall/admin-sync";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_MOUNT, DB_DIR, INSTALL_ROOT, KES_KEY_FILE, NODE_BIN, NODE_SETUP_SERVICE, OPCERT_FILE, SOCKET_PATH, TOPOLOGY_FILE, VRF_KEY_FILE } from "../../components/node/paths";
import { NODE_SETUP_SCRIPT, renderNodeService, renderNodeSetupService, mountUnitName } from "../../components/node/service";
import type { HostSpec, PoolModel } from "../../components/model/pool";
import { describeWith } from "../helpers/requirements";
import { testModel } from "./sandbox";

const execFileAsync = promisify(execFile);

/** The unit's settings: key → values in order, continuation lines joined. */
function parseUnit(text: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  const joined = text.replace(/\\\n/g, " ");
  for (const line of joined.split("\n")) {
    if (line.startsWith("#") || line.startsWith("[") || !line.includes("=")) continue;
    const key = line.slice(0, line.indexOf("="));
    settings.set(key, [...(settings.get(key) ?? []), line.slice(line.indexOf("=") + 1).replace(/\s+/g, " ").trim()]);
  }
  return settings;
}

function one(unit: Map<string, string[]>, key: string): string {
  const values = unit.get(key) ?? [];
  expect(values, key).toHaveLength(1);
  return values[0]!;
}

/** `cardano-node run` arguments as flag → value. */
function runArguments(unit: Map<string, string[]>): Map<string, string> {
  const words = one(unit, "ExecStart").split(" ");
  expect(words.slice(0, 2)).toEqual([NODE_BIN, "run"]);
  const args = new Map<string, string>();
  for (let i = 2; i < words.length; i += 2) args.set(words[i]!, words[i + 1]!);
  return args;
}

const roles: Array<{ name: string; host: (m: PoolModel) => HostSpec; forging: boolean }> = [
  { name: "core, forging", host: (m) => m.core, forging: true },
  { name: "core, not forging", host: (m) => m.core, forging: false },
  { name: "relay", host: (m) => m.relays[0]!, forging: false },
];

describe("the node unit", () => {
  const model = testModel("mainnet", { relays: 2 });

  it("runs cardano-node with the kit's paths, port 3001 on every address, and the network's kit config", () => {
    for (const role of roles) {
      const args = runArguments(parseUnit(renderNodeService(model, role.host(model), { forging: role.forging })));
      expect(args.get("--port")).toBe("3001");
      expect(args.get("--host-addr")).toBe("0.0.0.0");
      expect(args.get("--topology")).toBe(TOPOLOGY_FILE);
      expect(args.get("--database-path")).toBe(DB_DIR);
      expect(args.get("--socket-path")).toBe(SOCKET_PATH);
      expect(args.get("--config")).toBe(`${INSTALL_ROOT}/current/share/mainnet/stakepool-config.json`);
    }
  });

  it("gives the forging core its KES key, VRF key and certificate, and nobody else any key", () => {
    const forging = parseUnit(renderNodeService(model, model.core, { forging: true }));
    const args = runArguments(forging);
    expect(args.get("--shelley-kes-key")).toBe(KES_KEY_FILE);
    expect(args.get("--shelley-vrf-key")).toBe(VRF_KEY_FILE);
    expect(args.get("--shelley-operational-certificate")).toBe(OPCERT_FILE);
    for (const unit of [renderNodeService(model, model.core, { forging: false }), ...model.relays.map((r) => renderNodeService(model, r, { forging: false }))]) {
      expect(unit).not.toMatch(/shelley|keys\//);
    }
    expect(() => renderNodeService(model, model.relays[0]!, { forging: true })).toThrow(/never holds keys/);
  });

  it("runs as the node user, shuts down with SIGINT and time to close the database, reloads the topology with SIGHUP", () => {
    const unit = parseUnit(renderNodeService(model, model.relays[1]!, { forging: false }));
    expect(one(unit, "User")).toBe("cardano");
    expect(one(unit, "KillSignal")).toBe("SIGINT");
    expect(Number(one(unit, "TimeoutStopSec"))).toBeGreaterThanOrEqual(300);
    expect(one(unit, "ExecReload")).toBe("/bin/kill -HUP $MAINPID");
    expect(one(unit, "Restart")).toBe("on-failure");
    // Until its delivered files exist the node exits; systemd keeps trying, never giving up, so the node
    // starts by itself whenever the delivery lands (no start condition that only a delivery could lift).
    expect(Number(one(unit, "RestartSec"))).toBeGreaterThan(0);
    expect(one(unit, "StartLimitIntervalSec")).toBe("0");
    expect(unit.has("ConditionPathExists")).toBe(false);
    expect(Number(one(unit, "LimitNOFILE"))).toBeGreaterThanOrEqual(32768);
  });

  it("is sandboxed, writes only to the data volume, and never starts without the volume or the setup", () => {
    const unit = parseUnit(renderNodeService(model, model.core, { forging: true }));
    expect(one(unit, "ProtectSystem")).toBe("strict");
    expect(one(unit, "ReadWritePaths")).toBe(DATA_MOUNT);
    for (const key of ["NoNewPrivileges", "PrivateTmp", "ProtectHome", "PrivateDevices", "RestrictSUIDSGID"]) expect(one(unit, key)).toBe("yes");
    expect(one(unit, "CapabilityBoundingSet")).toBe("");
    expect(one(unit, "RequiresMountsFor")).toBe(DATA_MOUNT);
    expect(one(unit, "Requires")).toBe(`${NODE_SETUP_SERVICE}.service`);
    expect(one(unit, "After")).toContain(`${NODE_SETUP_SERVICE}.service`);
    expect(one(unit, "After")).toContain("network-online.target");
  });

  it("orders the setup after the data volume's fstab mount", () => {
    expect(mountUnitName(DATA_MOUNT)).toBe("srv-cardano.mount");
    expect(mountUnitName("/var/lib/my-data")).toBe("var-lib-my\\x2ddata.mount");
    expect(one(parseUnit(renderNodeSetupService()), "After")).toContain("srv-cardano.mount");
  });
});

describeWith({ tools: ["systemd-analyze"] }, "systemd-analyze verify", () => {
  let root: string;
  const stub = (file: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), "#!/bin/sh\n", { mode: 0o755 });
  };

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "stakepool-units-"));
    const systemUnits = ["/usr/lib/systemd/system", "/lib/systemd/system"].find((dir) => existsSync(path.join(dir, "sysinit.target")));
    if (!systemUnits) throw new Error("no systemd unit folder with sysinit.target on this machine");
    cpSync(systemUnits, path.join(root, "usr/lib/systemd/system"), { recursive: true, verbatimSymlinks: true });

    stub(`${INSTALL_ROOT}/11.9.3/bin/cardano-node`);
    symlinkSync("11.9.3", path.join(root, INSTALL_ROOT, "current"));
    stub("/bin/kill");
    stub("/usr/bin/python3");
    stub(NODE_SETUP_SCRIPT);
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

  it("accepts the admin-network sync's service and timer (relays), without a single warning", async () => {
    stub("/usr/bin/python3");
    const result = await verify({
      [`${ADMIN_SYNC_SERVICE}.service`]: renderAdminSyncService(),
      [`${ADMIN_SYNC_SERVICE}.timer`]: renderAdminSyncTimer(),
    });
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  });

  for (const network of ["mainnet", "preview"] as const) {
    for (const role of roles) {
      it(`accepts the ${role.name} unit (${network}) and the setup unit, without a single warning`, async () => {
        const model = testModel(network, { relays: 1 });
        const result = await verify({
          "cardano-node.service": renderNodeService(model, role.host(model), { forging: role.forging }),
          [`${NODE_SETUP_SERVICE}.service`]: renderNodeSetupService(),
        });
        expect(result.output).toBe("");
        expect(result.code).toBe(0);
      });
    }
  }

  it("would catch a unit systemd cannot use (so the checks above mean something)", async () => {
    const model = testModel("preview");
    const broken = renderNodeService(model, model.core, { forging: true }).replace("KillSignal=SIGINT", "KillSignal=SIGINTERRUPT");
    const result = await verify({ "cardano-node.service": broken, [`${NODE_SETUP_SERVICE}.service`]: renderNodeSetupService() });
    expect(result.output).toMatch(/cardano-node\.service:\d+: Failed to parse signal/);
  });
});
