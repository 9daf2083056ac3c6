/**
 * The node's user-data fragment: valid cloud-config once merged with the base, the exact script bytes of
 * the repository, per-host settings only, and nothing that changes during a pool's life.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import * as yaml from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeCloudConfig, nodeFiles, type WriteFile } from "../../components/node/cloud-config";
import { nodeSettings } from "../../components/node/env-file";
import { MITHRIL_ANCILLARY_VKEY_FILE, MITHRIL_GENESIS_VKEY_FILE, NODE_ENV_FILE } from "../../components/node/paths";
import { KIT_SCRIPT_NAMES, SCRIPTS_DIR } from "../../components/node/scripts";
import { baseCloudConfig, mergeCloudConfigs, renderCloudConfig } from "../../components/host/cloud-init";
import { describeWith } from "../helpers/requirements";
import { testModel } from "./sandbox";

const execFileAsync = promisify(execFile);

function byPath(files: readonly WriteFile[]): Map<string, WriteFile> {
  return new Map(files.map((f) => [f.path, f]));
}

describe("the node's cloud-config fragment", () => {
  const model = testModel("mainnet", { relays: 2 });

  it("uses none of the base's keys, so it merges with it", () => {
    const fragment = nodeCloudConfig(model, model.core);
    for (const key of Object.keys(baseCloudConfig(model, model.core))) expect(fragment).not.toHaveProperty(key);
    expect(Object.keys(fragment).sort()).toEqual(["runcmd", "write_files"]);
  });

  it("ships the repository's scripts byte for byte, runnable, and enables and runs the setup unit", () => {
    const files = byPath(nodeFiles(model, model.relays[0]!));
    for (const name of KIT_SCRIPT_NAMES) {
      const file = files.get(`/usr/local/lib/stakepool/${name}`)!;
      expect(file.content).toBe(readFileSync(path.join(SCRIPTS_DIR, name), "utf8"));
      expect(file.permissions).toBe(name === "common.sh" ? "0644" : "0755");
    }
    // The node's unit is delivered over SSH (it changes when keys are added); only the setup is user data.
    expect(files.has("/etc/systemd/system/cardano-node.service")).toBe(false);
    expect(files.has("/etc/systemd/system/stakepool-node-setup.service")).toBe(true);
    expect(nodeCloudConfig(model, model.core).runcmd).toEqual([
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "stakepool-node-setup.service"],
      ["systemctl", "start", "--no-block", "stakepool-node-setup.service"],
    ]);
  });

  it("gives each host its own metrics address and its network's Mithril aggregator and keys", () => {
    const preview = testModel("preview", { relays: 1 });
    for (const m of [model, preview]) {
      for (const host of m.hosts) {
        const files = byPath(nodeFiles(m, host));
        const env = files.get(NODE_ENV_FILE)!.content;
        expect(env).toContain(`\nMETRICS_HOST=${host.privateIp}\n`);
        expect(env).toContain(`\nNETWORK=${m.network.name}\n`);
        expect(env).toContain(`\nMITHRIL_AGGREGATOR=${m.network.mithrilAggregator}\n`);
        const keysDir = path.join(__dirname, "../../components/node/mithril-keys");
        expect(files.get(MITHRIL_GENESIS_VKEY_FILE)!.content).toBe(readFileSync(path.join(keysDir, `${m.network.mithrilRelease}.genesis.vkey`), "utf8"));
        expect(files.get(MITHRIL_ANCILLARY_VKEY_FILE)!.content).toBe(readFileSync(path.join(keysDir, `${m.network.mithrilRelease}.ancillary.vkey`), "utf8"));
      }
    }
    expect(byPath(nodeFiles(model, model.core)).get(MITHRIL_GENESIS_VKEY_FILE)!.content).not.toBe(
      byPath(nodeFiles(preview, preview.core)).get(MITHRIL_GENESIS_VKEY_FILE)!.content,
    );
  });

  it("holds no release version or checksum: those are instance tags, so an upgrade never changes user data", () => {
    const env = nodeSettings(model, model.core, { mithril: true });
    expect(Object.keys(env).filter((k) => /VERSION$|SHA256$/.test(k))).toEqual([]);
    const text = renderCloudConfig(nodeCloudConfig(model, model.core));
    // (The Mithril keys are longer hex strings; a SHA-256 is exactly 64 digits.)
    expect(text).not.toMatch(/(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/);
  });

  it("survives YAML: cloud-init reads back exactly the files the kit rendered", () => {
    for (const host of model.hosts) {
      const parsed = yaml.load(renderCloudConfig(nodeCloudConfig(model, host))) as { write_files: WriteFile[] };
      expect(parsed.write_files).toEqual(nodeFiles(model, host));
    }
  });

  it("fits EC2's 16 KiB user-data limit once gzipped, with room left for the other fragments", () => {
    // Raw, the scripts alone exceed 16 KiB: the host must pass its user data gzipped (cloud-init
    // decompresses it). This keeps the node's share of that budget in view.
    const text = renderCloudConfig(nodeCloudConfig(model, model.core));
    expect(gzipSync(text, { level: 9 }).length).toBeLessThan(12 * 1024);
  });

  it("renders the same bytes every time", () => {
    expect(renderCloudConfig(nodeCloudConfig(model, model.core))).toBe(renderCloudConfig(nodeCloudConfig(model, model.core)));
  });

  it("turns Mithril off on request, and is the same for a forging and a passive core", () => {
    const files = byPath(nodeFiles(model, model.core, { mithril: false }));
    expect(files.get(NODE_ENV_FILE)!.content).toContain("\nMITHRIL_BOOTSTRAP=false\n");
    expect(renderCloudConfig(nodeCloudConfig(model, model.core))).not.toContain("--shelley-kes-key");
  });
});

describeWith({ tools: ["cloud-init"] }, "cloud-init schema", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "stakepool-cloud-config-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function schema(text: string): Promise<{ code: number; output: string }> {
    const file = path.join(dir, "user-data.yaml");
    writeFileSync(file, text);
    try {
      const { stdout, stderr } = await execFileAsync("cloud-init", ["schema", "--config-file", file]);
      return { code: 0, output: `${stdout}${stderr}` };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
  }

  for (const network of ["mainnet", "preprod"] as const) {
    it(`accepts the base merged with the node fragment (${network}, core and relay)`, async () => {
      const model = testModel(network, { relays: 1 });
      for (const host of model.hosts) {
        const text = renderCloudConfig(mergeCloudConfigs(baseCloudConfig(model, host), nodeCloudConfig(model, host)));
        expect(yaml.load(text)).toBeTruthy();
        const result = await schema(text);
        expect(result.output).toMatch(/Valid cloud-config/);
        expect(result.code).toBe(0);
      }
    });
  }

  it("would reject a fragment cloud-init does not know (so the check above means something)", async () => {
    const model = testModel("preview");
    const text = renderCloudConfig(mergeCloudConfigs(baseCloudConfig(model, model.core), { write_files: [{ path: "/x", content: "y", permissions: 644 }] }));
    expect((await schema(text)).code).not.toBe(0);
  });
});
