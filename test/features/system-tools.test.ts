/**
 * What the system step delivers, checked by the tools that read it on a server: sshd for the drop-in (in
 * a private mount namespace, because `sshd -t` wants /run/sshd), apt for the update settings. And every
 * step's apply commands, of every feature on every host, under shellcheck.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { planDeployment } from "../../components/deployment/deployment";
import { describeWith } from "../helpers/requirements";
import { deliveredFile, stepOf, testPool } from "../helpers/model";
import { signingKeyConfig } from "../helpers/hot-keys";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "system-step-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs sshd in a private mount namespace with a fresh /run, and returns `sshd -T` (keyword -> value). */
function sshdEffective(dropIn: string, connection: string): { check: number; stderr: string; settings: Map<string, string> } {
  const work = fs.mkdtempSync(path.join(dir, "sshd-"));
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(work, "host_key")]);
  fs.writeFileSync(path.join(work, "10-stakepool.conf"), dropIn);
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
  const pool = testPool("preview", { relays: 2 });
  const dropIn = (name: string) => deliveredFile(stepOf(pool, name, "system"), "/etc/ssh/sshd_config.d/10-stakepool.conf");
  const operator = "user=ubuntu,host=admin.example,addr=203.0.113.7";

  it("passes sshd -t and means, for a relay: keys only, ubuntu only, forwarding to the core's SSH only", () => {
    const { check, stderr, settings } = sshdEffective(dropIn("relay-1"), operator);
    expect(stderr).toBe("");
    expect(check).toBe(0);
    expect(settings.get("permitrootlogin")).toBe("no");
    expect(settings.get("passwordauthentication")).toBe("no");
    expect(settings.get("authenticationmethods")).toBe("publickey");
    expect(settings.get("allowusers")).toBe("ubuntu");
    expect(settings.get("allowtcpforwarding")).toBe("local");
    // sshd -T prints the PermitOpen list as it parsed it: the core's and the monitoring host's SSH, nothing else.
    expect(settings.get("permitopen")).toBe(`${pool.model.core.privateIp}:22 ${pool.model.monitor!.privateIp}:22`);
    expect(settings.get("allowstreamlocalforwarding")).toBe("no");
    expect(settings.get("permittunnel")).toBe("no");
  });

  it("passes sshd -t and forwards nothing on the core", () => {
    const { check, settings } = sshdEffective(dropIn("core"), "user=ubuntu,host=relay,addr=10.30.0.11");
    expect(check).toBe(0);
    expect(settings.get("allowtcpforwarding")).toBe("no");
    expect(settings.get("permitopen")).toBe("any");
  });

  it("passes sshd -t on the monitoring host, forwarding only to Grafana's and Prometheus's loopback ports", () => {
    const { check, stderr, settings } = sshdEffective(dropIn("monitor"), "user=ubuntu,host=relay,addr=10.30.0.11");
    expect(stderr).toBe("");
    expect(check).toBe(0);
    expect(settings.get("allowtcpforwarding")).toBe("local");
    expect(settings.get("permitopen")).toBe("127.0.0.1:3000 127.0.0.1:9090");
    expect(settings.get("allowusers")).toBe("ubuntu");
  });

  it("is refused by sshd -t when broken (the check is real)", () => {
    const { check, stderr } = sshdEffective(`${dropIn("core")}AllowTcpForwarding sometimes\n`, operator);
    expect(check).not.toBe(0);
    expect(stderr).toMatch(/AllowTcpForwarding|sometimes/);
  });
});

describeWith({ tools: ["apt-config"] }, "the update settings under apt", () => {
  it("parse, and switch on daily unattended upgrades without automatic reboots", () => {
    const file = path.join(dir, "21stakepool-auto-upgrades");
    fs.writeFileSync(file, deliveredFile(stepOf(testPool("preview"), "core", "system"), "/etc/apt/apt.conf.d/21stakepool-auto-upgrades"));
    const dump = execFileSync("apt-config", ["-c", file, "dump"], { encoding: "utf8" });
    expect(dump).toContain('APT::Periodic::Update-Package-Lists "1";');
    expect(dump).toContain('Unattended-Upgrade::Automatic-Reboot "false";');
  });
});

describeWith({ tools: ["shellcheck"] }, "every step's commands", () => {
  it("pass shellcheck, for every feature on every host of a forging pool", () => {
    const pool = testPool("preview", { relays: 2, ...signingKeyConfig() });
    const commands = new Set<string>();
    for (const { steps } of planDeployment(pool).hosts) for (const step of steps) for (const c of [...step.delivery.apply, ...(step.delivery.remove ?? [])]) commands.add(c);
    expect(commands.size).toBeGreaterThan(5);
    for (const command of commands) {
      const file = path.join(dir, "apply.sh");
      fs.writeFileSync(file, `#!/bin/sh\nexport R=""\n${command}\n`);
      const result = spawnSync("shellcheck", ["-s", "sh", file], { encoding: "utf8" });
      expect(result.stdout, command).toBe("");
      expect(result.status).toBe(0);
    }
  });
});
