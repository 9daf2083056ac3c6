/**
 * The hardening fragment of the user data, read as data: what SSH allows per role, the users, the
 * packages, time and updates, and that it never changes while the pool changes (a changed user data
 * stops and starts the server).
 */
import { describe, expect, it } from "vitest";
import { baseCloudConfig, type CloudConfig } from "../../components/host/cloud-init";
import { hardeningCloudConfig } from "../../components/host/hardening";
import type { HostSpec, PoolModel } from "../../components/pool/model";
import { host, poolModel } from "../firewall/model";

interface WrittenFile {
  readonly path: string;
  readonly content: string;
  readonly owner: string;
  readonly permissions: string;
}

function files(config: CloudConfig): WrittenFile[] {
  return config.write_files as WrittenFile[];
}

function file(config: CloudConfig, path: string): WrittenFile {
  const found = files(config).find((f) => f.path === path);
  if (!found) throw new Error(`no ${path} in write_files`);
  return found;
}

/** sshd keyword (lower case) -> value, from a drop-in's text. */
function sshd(model: PoolModel, h: HostSpec): Map<string, string> {
  const text = file(hardeningCloudConfig(model, h), "/etc/ssh/sshd_config.d/10-stakepool.conf").content;
  const settings = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^(\w+)\s+(.+)$/.exec(line);
    if (m) {
      expect(settings.has(m[1]!.toLowerCase()), `${m[1]} set twice`).toBe(false);
      settings.set(m[1]!.toLowerCase(), m[2]!);
    }
  }
  return settings;
}

const model = poolModel({ relays: 2 });

describe("SSH on a pool host", () => {
  it("takes the operator's key for the operator's user only: no root, no passwords, no prompts", () => {
    for (const h of model.hosts) {
      const s = sshd(model, h);
      expect(s.get("permitrootlogin")).toBe("no");
      expect(s.get("passwordauthentication")).toBe("no");
      expect(s.get("kbdinteractiveauthentication")).toBe("no");
      expect(s.get("authenticationmethods")).toBe("publickey");
      expect(s.get("allowusers")).toBe("ubuntu");
      expect(s.get("allowagentforwarding")).toBe("no");
      expect(s.get("x11forwarding")).toBe("no");
    }
  });

  it("lets a relay forward to the core's SSH port only, and the core forward nothing", () => {
    const relay = sshd(model, host(model, "relay-2"));
    expect(relay.get("allowtcpforwarding")).toBe("local");
    expect(relay.get("permitopen")).toBe(`${model.core.privateIp}:22`);
    const core = sshd(model, model.core);
    expect(core.get("allowtcpforwarding")).toBe("no");
    expect(core.has("permitopen")).toBe(false);
  });

  it("is read before the image's and cloud-init's own drop-ins (sshd keeps the first value)", () => {
    const name = "10-stakepool.conf";
    expect(files(hardeningCloudConfig(model, model.core)).some((f) => f.path === `/etc/ssh/sshd_config.d/${name}`)).toBe(true);
    expect([name, "50-cloud-init.conf", "60-cloudimg-settings.conf"].sort()[0]).toBe(name);
    expect(hardeningCloudConfig(model, model.core)).toMatchObject({ ssh_pwauth: false, disable_root: true });
  });
});

describe("the hardening fragment", () => {
  it("keeps the image's default user and adds the node's system user without a login shell", () => {
    const users = hardeningCloudConfig(model, model.core).users as unknown[];
    expect(users[0]).toBe("default");
    expect(users.slice(1)).toEqual([
      { name: "cardano", gecos: "Cardano node", system: true, shell: "/usr/sbin/nologin", lock_passwd: true },
    ]);
  });

  it("installs nftables and enables it at boot, with chrony and unattended-upgrades", () => {
    const config = hardeningCloudConfig(model, host(model, "relay-1"));
    expect(config.packages).toEqual(["chrony", "nftables", "unattended-upgrades"]);
    expect(config.runcmd).toContainEqual(["systemctl", "enable", "nftables.service"]);
  });

  it("prefers the Amazon Time Sync Service", () => {
    const chrony = file(hardeningCloudConfig(model, model.core), "/etc/chrony/sources.d/stakepool-amazon-time-sync.sources");
    expect(chrony.content.split("\n").filter((l) => l !== "" && !l.startsWith("#"))).toEqual([
      "server 169.254.169.123 prefer iburst minpoll 4 maxpoll 4",
    ]);
  });

  it("installs security updates daily and never reboots on its own", () => {
    const apt = file(hardeningCloudConfig(model, model.core), "/etc/apt/apt.conf.d/21stakepool-auto-upgrades");
    expect(apt.content).toContain('APT::Periodic::Unattended-Upgrade "1";');
    expect(apt.content).toContain('APT::Periodic::Update-Package-Lists "1";');
    expect(apt.content).toContain('Unattended-Upgrade::Automatic-Reboot "false";');
  });

  it("writes every file as root, readable by all, writable by root only", () => {
    for (const f of files(hardeningCloudConfig(model, model.core))) {
      expect(f.owner).toBe("root:root");
      expect(f.permissions).toBe("0644");
    }
  });

  it("uses none of the base user data's keys, so fragments merge without collisions", () => {
    for (const h of model.hosts) {
      const base = Object.keys(baseCloudConfig(model, h));
      expect(Object.keys(hardeningCloudConfig(model, h)).filter((k) => base.includes(k))).toEqual([]);
    }
  });

  it("does not change when relays are added or admin networks change (no server restarts)", () => {
    const grown = poolModel({ relays: 5, adminCidrs: ["198.51.100.0/24", "2001:db8:a::/48"] });
    for (const h of model.hosts) {
      expect(hardeningCloudConfig(grown, host(grown, h.name))).toEqual(hardeningCloudConfig(model, h));
    }
  });
});
