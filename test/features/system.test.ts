/**
 * The system step, read as data: what SSH allows per role, the node's user, the packages, time and
 * updates, the operator's key as the only authorized key, and that it does not change while the pool
 * changes around it (it never restarts anything, but a needless re-run is noise in review).
 */
import { describe, expect, it } from "vitest";
import { authorizedKeysFile, CREATE_NODE_USER, INSTALL_PACKAGES, SYSTEM_PACKAGES } from "../../components/features/system/index";
import { EXAMPLE_SSH_KEY } from "../helpers/config";
import { deliveredFile, stepOf, testPool } from "../helpers/model";

const SSHD = "/etc/ssh/sshd_config.d/10-stakepool.conf";
const pool = testPool("preview", { relays: 2 });

/** sshd keyword (lower case) -> value, from the drop-in a host receives. */
function sshd(hostName: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const line of deliveredFile(stepOf(pool, hostName, "system"), SSHD).split("\n")) {
    const m = /^(\w+)\s+(.+)$/.exec(line);
    if (m) {
      expect(settings.has(m[1]!.toLowerCase()), `${m[1]} set twice`).toBe(false);
      settings.set(m[1]!.toLowerCase(), m[2]!);
    }
  }
  return settings;
}

describe("SSH on a pool host", () => {
  it("takes the operator's key for the operator's user only: no root, no passwords, no prompts", () => {
    for (const name of ["core", "relay-1", "relay-2"]) {
      const s = sshd(name);
      expect(s.get("permitrootlogin")).toBe("no");
      expect(s.get("passwordauthentication")).toBe("no");
      expect(s.get("kbdinteractiveauthentication")).toBe("no");
      expect(s.get("authenticationmethods")).toBe("publickey");
      expect(s.get("allowusers")).toBe("ubuntu");
      expect(s.get("allowagentforwarding")).toBe("no");
      expect(s.get("x11forwarding")).toBe("no");
    }
  });

  it("lets a relay forward to the SSH ports of the core and the monitoring host only, the core forward nothing, the monitoring host to its loopback UIs", () => {
    const relay = sshd("relay-2");
    expect(relay.get("allowtcpforwarding")).toBe("local");
    expect(relay.get("permitopen")).toBe(`${pool.model.core.privateIp}:22 ${pool.model.monitor!.privateIp}:22`);
    const core = sshd("core");
    expect(core.get("allowtcpforwarding")).toBe("no");
    expect(core.has("permitopen")).toBe(false);
    const monitor = sshd("monitor");
    expect(monitor.get("allowtcpforwarding")).toBe("local");
    expect(monitor.get("permitopen")).toBe("127.0.0.1:3000 127.0.0.1:9090");
    // Without monitoring, a relay forwards to the core alone.
    const bare = testPool("preview", { relays: 2, monitoring: false });
    const dropIn = deliveredFile(stepOf(bare, "relay-1", "system"), "/etc/ssh/sshd_config.d/10-stakepool.conf");
    expect(dropIn).toContain(`\nPermitOpen ${bare.model.core.privateIp}:22\n`);
  });

  it("is read before the image's and cloud-init's own drop-ins (sshd keeps the first value)", () => {
    expect(["10-stakepool.conf", "50-cloud-init.conf", "60-cloudimg-settings.conf"].sort()[0]).toBe("10-stakepool.conf");
  });

  it("makes the operator's key the admin user's only authorized key, 0600, so a new key reaches running servers", () => {
    const step = stepOf(pool, "relay-1", "system")!;
    const file = step.delivery.files.find((f) => f.path === authorizedKeysFile("ubuntu"))!;
    expect(file).toMatchObject({ owner: "ubuntu", group: "ubuntu", mode: "0600", content: `${EXAMPLE_SSH_KEY}\n` });
    const rotated = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKuIrLyAFLbF2rMU1fcJbqUgygs5x3UuUJ4ifDd4j4xX new@example.invalid";
    const after = testPool("preview", { relays: 2, sshPublicKey: rotated });
    expect(deliveredFile(stepOf(after, "relay-1", "system"), authorizedKeysFile("ubuntu"))).toBe(`${rotated}\n`);
  });
});

describe("the rest of the system step", () => {
  it("installs the packages the kit's steps use, only when missing, waiting for a running apt", () => {
    expect([...SYSTEM_PACKAGES]).toEqual([...SYSTEM_PACKAGES].sort());
    for (const p of ["nftables", "chrony", "unattended-upgrades", "python3", "curl", "e2fsprogs"]) expect(SYSTEM_PACKAGES).toContain(p);
    expect(INSTALL_PACKAGES).toContain("DPkg::Lock::Timeout=900");
    expect(stepOf(pool, "core", "system")!.delivery.apply).toContain(INSTALL_PACKAGES);
  });

  it("creates the node's system user without a login shell or home", () => {
    expect(CREATE_NODE_USER).toContain("useradd --system --gid cardano --shell /usr/sbin/nologin --home-dir /nonexistent --no-create-home");
    expect(stepOf(pool, "relay-1", "system")!.delivery.apply).toContain(CREATE_NODE_USER);
  });

  it("prefers the Amazon Time Sync Service, installs security updates daily and never reboots on its own", () => {
    const step = stepOf(pool, "core", "system");
    const chrony = deliveredFile(step, "/etc/chrony/sources.d/stakepool-amazon-time-sync.sources");
    expect(chrony.split("\n").filter((l) => l !== "" && !l.startsWith("#"))).toEqual(["server 169.254.169.123 prefer iburst minpoll 4 maxpoll 4"]);
    const apt = deliveredFile(step, "/etc/apt/apt.conf.d/21stakepool-auto-upgrades");
    expect(apt).toContain('APT::Periodic::Unattended-Upgrade "1";');
    expect(apt).toContain('Unattended-Upgrade::Automatic-Reboot "false";');
  });

  it("never restarts the node, and does not change when relays are added or admin networks change", () => {
    expect(stepOf(pool, "core", "system")!.effect).toBe("files");
    const grown = testPool("preview", { relays: 5, adminCidrs: ["198.51.100.0/24"] });
    for (const name of ["core", "relay-1", "relay-2"]) expect(stepOf(grown, name, "system")).toEqual(stepOf(pool, name, "system"));
  });
});
