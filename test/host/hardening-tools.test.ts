/**
 * The hardening fragment checked by the tools that will read it on a server: cloud-init's schema for
 * every host's whole user data (the base merged with the fragment), sshd for the drop-in (in a private
 * mount namespace, because `sshd -t` wants /run/sshd), apt for the update settings, shellcheck for the
 * shell it runs.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { baseCloudConfig, renderCloudConfig, type CloudConfig } from "../../components/host/cloud-init";
import { hardeningCloudConfig } from "../../components/host/hardening";
import type { HostSpec, PoolModel } from "../../components/pool/model";
import { describeWith } from "../helpers/requirements";
import { host, poolModel } from "../firewall/model";

/** Merges fragments as the user data will: lists concatenated, any other shared key is a collision. */
function merge(...fragments: CloudConfig[]): CloudConfig {
  const merged: Record<string, unknown> = {};
  for (const fragment of fragments) {
    for (const [key, value] of Object.entries(fragment)) {
      const existing = merged[key];
      if (existing === undefined) merged[key] = value;
      else if (Array.isArray(existing) && Array.isArray(value)) merged[key] = [...(existing as unknown[]), ...(value as unknown[])];
      else throw new Error(`cloud-config key ${key} set by two fragments`);
    }
  }
  return merged;
}

function userData(model: PoolModel, h: HostSpec): string {
  return renderCloudConfig(merge(baseCloudConfig(model, h), hardeningCloudConfig(model, h)));
}

function writtenFile(model: PoolModel, h: HostSpec, file: string): string {
  const files = hardeningCloudConfig(model, h).write_files as { path: string; content: string }[];
  return files.find((f) => f.path === file)!.content;
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hardening-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function schema(name: string, text: string) {
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, text);
  return spawnSync("cloud-init", ["schema", "--config-file", file], { encoding: "utf8" });
}

describeWith({ tools: ["cloud-init"] }, "the user data under cloud-init's schema", () => {
  it("is valid for every host of a mainnet and a testnet pool", () => {
    for (const [network, relays] of [["mainnet", 3], ["preview", 1]] as const) {
      const model = poolModel({ relays }, network);
      for (const h of model.hosts) {
        const result = schema(`${network}-${h.name}`, userData(model, h));
        expect(`${result.stdout}${result.stderr}`, `${network} ${h.name}`).toContain("Valid cloud-config");
        expect(result.status).toBe(0);
      }
    }
  });

  it("is refused when a user entry is malformed (the check is real)", () => {
    const model = poolModel();
    const config = hardeningCloudConfig(model, model.core);
    const users = config.users as unknown[];
    const broken = { ...config, users: [users[0], { ...(users[1] as object), system: "yes please" }] };
    const result = schema("broken", renderCloudConfig(merge(baseCloudConfig(model, model.core), broken)));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("users.1");
  });
});

/** Runs sshd in a private mount namespace with a fresh /run, and returns `sshd -T` (keyword -> value). */
function sshdEffective(dropIn: string, connection: string): { check: number; stderr: string; settings: Map<string, string> } {
  const work = fs.mkdtempSync(path.join(dir, "sshd-"));
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(work, "host_key")]);
  fs.writeFileSync(path.join(work, "10-stakepool.conf"), dropIn);
  // The image's sshd_config starts by including the drop-ins; this one holds only what a test needs.
  const config = path.join(work, "sshd_config");
  fs.writeFileSync(config, `Include ${work}/10-stakepool.conf\nHostKey ${work}/host_key\n`);
  const sshd = "/usr/sbin/sshd";
  const script = `mount -t tmpfs -o mode=0755 tmpfs /run && mkdir -m 0755 /run/sshd && ${sshd} -t -f "$1" && ${sshd} -T -f "$1" -C "$2"`;
  const result = spawnSync("unshare", ["--mount", "--propagation", "private", "sh", "-c", script, "sh", config, connection], { encoding: "utf8" });
  const settings = new Map<string, string>();
  for (const line of result.stdout.split("\n")) {
    const space = line.indexOf(" ");
    if (space > 0) settings.set(line.slice(0, space), line.slice(space + 1));
  }
  return { check: result.status ?? -1, stderr: result.stderr, settings };
}

describeWith({ tools: ["/usr/sbin/sshd", "ssh-keygen", "unshare", "mount"], root: true }, "the SSH drop-in under sshd", () => {
  const model = poolModel({ relays: 2 });
  const dropIn = (h: HostSpec) => writtenFile(model, h, "/etc/ssh/sshd_config.d/10-stakepool.conf");
  const operator = "user=ubuntu,host=admin.example,addr=203.0.113.7";

  it("passes sshd -t and means, for a relay: keys only, ubuntu only, forwarding to the core's SSH only", () => {
    const { check, stderr, settings } = sshdEffective(dropIn(host(model, "relay-1")), operator);
    expect(stderr).toBe("");
    expect(check).toBe(0);
    expect(settings.get("permitrootlogin")).toBe("no");
    expect(settings.get("passwordauthentication")).toBe("no");
    expect(settings.get("kbdinteractiveauthentication")).toBe("no");
    expect(settings.get("pubkeyauthentication")).toBe("yes");
    expect(settings.get("authenticationmethods")).toBe("publickey");
    expect(settings.get("allowusers")).toBe("ubuntu");
    expect(settings.get("allowtcpforwarding")).toBe("local");
    expect(settings.get("permitopen")).toBe(`${model.core.privateIp}:22`);
    expect(settings.get("allowagentforwarding")).toBe("no");
    expect(settings.get("allowstreamlocalforwarding")).toBe("no");
    expect(settings.get("x11forwarding")).toBe("no");
    expect(settings.get("permittunnel")).toBe("no");
  });

  it("passes sshd -t and forwards nothing on the core", () => {
    const { check, stderr, settings } = sshdEffective(dropIn(model.core), "user=ubuntu,host=relay,addr=10.30.0.11");
    expect(stderr).toBe("");
    expect(check).toBe(0);
    expect(settings.get("allowtcpforwarding")).toBe("no");
    expect(settings.get("permitopen")).toBe("any");
    expect(settings.get("permitrootlogin")).toBe("no");
    expect(settings.get("allowusers")).toBe("ubuntu");
  });

  it("is refused by sshd -t when broken (the check is real)", () => {
    const { check, stderr } = sshdEffective(`${dropIn(model.core)}AllowTcpForwarding sometimes\n`, operator);
    expect(check).not.toBe(0);
    expect(stderr).toMatch(/AllowTcpForwarding|sometimes/);
  });
});

describeWith({ tools: ["apt-config"] }, "the update settings under apt", () => {
  it("parse, and switch on daily unattended upgrades without automatic reboots", () => {
    const model = poolModel();
    const file = path.join(dir, "21stakepool-auto-upgrades");
    fs.writeFileSync(file, writtenFile(model, model.core, "/etc/apt/apt.conf.d/21stakepool-auto-upgrades"));
    const dump = execFileSync("apt-config", ["-c", file, "dump"], { encoding: "utf8" });
    expect(dump).toContain('APT::Periodic::Update-Package-Lists "1";');
    expect(dump).toContain('APT::Periodic::Unattended-Upgrade "1";');
    expect(dump).toContain('Unattended-Upgrade::Automatic-Reboot "false";');
  });
});

describeWith({ tools: ["shellcheck"] }, "the shell the user data runs", () => {
  it("passes shellcheck", () => {
    const model = poolModel();
    for (const h of model.hosts) {
      const runcmd = hardeningCloudConfig(model, h).runcmd as string[][];
      for (const entry of runcmd.filter((c) => c[0] === "sh" && c[1] === "-c")) {
        const file = path.join(dir, "runcmd.sh");
        fs.writeFileSync(file, `#!/bin/sh\n${entry[2]}\n`);
        const result = spawnSync("shellcheck", ["-s", "sh", file], { encoding: "utf8" });
        expect(result.stdout).toBe("");
        expect(result.status).toBe(0);
      }
    }
  });
});
