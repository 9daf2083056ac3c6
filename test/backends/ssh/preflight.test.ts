/**
 * The first contact with an operator's server, run for real: in a private mount namespace whose
 * /etc/os-release and /run are the test's, with `sudo` a stub on PATH that works or does not. A server
 * that is not what the kit's steps are written for is refused with the reason; a fitting one passes.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { preflightScript } from "../../../components/backends/ssh/preflight";
import type { HostSpec } from "../../../components/model/pool";
import { describeWith } from "../../helpers/requirements";

const scratch = mkdtempSync(path.join(os.tmpdir(), "stakepool-preflight-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const memoryGiB = Math.floor(os.totalmem() / 2 ** 30);
const host = (changes: Partial<HostSpec> = {}): HostSpec => ({
  name: "relay-1",
  role: "relay",
  relayNumber: 1,
  privateIp: "10.0.0.11",
  ipv6: false,
  memoryGiB,
  dataDiskGiB: 100,
  login: { user: "pool", port: 22 },
  dataDisk: { kind: "folder" },
  timeServer: undefined,
  adminSync: false,
  ...changes,
});

const RELEASES: Record<string, string> = {
  "debian 12": 'ID=debian\nVERSION_ID="12"\n',
  "ubuntu 24.04": 'ID=ubuntu\nVERSION_ID="24.04"\n',
  "ubuntu 20.04": 'ID=ubuntu\nVERSION_ID="20.04"\n',
  "centos 9": 'ID="centos"\nVERSION_ID="9"\n',
};

/** Runs the preflight as the server would: its os-release, systemd running or not, sudo working or not. */
function preflight(spec: HostSpec, system: keyof typeof RELEASES, options: { sudo?: boolean; systemd?: boolean; ufw?: "active" | "inactive" } = {}) {
  const dir = mkdtempSync(path.join(scratch, "run-"));
  writeFileSync(path.join(dir, "os-release"), RELEASES[system]!);
  // sudo runs the command it is given (as this root test), or refuses like a user without the right.
  writeFileSync(path.join(dir, "sudo"), options.sudo === false ? "#!/bin/sh\nexit 1\n" : '#!/bin/sh\n[ "$1" = -n ] && shift\nexec "$@"\n', { mode: 0o755 });
  if (options.ufw) writeFileSync(path.join(dir, "ufw"), `#!/bin/sh\necho "Status: ${options.ufw}"\n`, { mode: 0o755 });
  writeFileSync(path.join(dir, "preflight.sh"), preflightScript(spec));
  const inside = [
    "set -e",
    "mount -t tmpfs stakepool-run /run",
    ...(options.systemd === false ? [] : ["mkdir -p /run/systemd/system"]),
    `mount --bind ${dir}/os-release /etc/os-release`,
    `PATH=${dir}:$PATH sh ${dir}/preflight.sh`,
  ].join("\n");
  const result = spawnSync("unshare", ["--mount", "--propagation", "private", "bash", "-c", inside], { encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describeWith({ root: true, tools: ["unshare", "mount", "shellcheck", "awk"] }, "the first contact with a server", () => {
  it("passes shellcheck as the POSIX sh the delivery runs", () => {
    const file = path.join(scratch, "check.sh");
    writeFileSync(file, preflightScript(host({ dataDisk: { kind: "device", path: "/dev/disk/by-id/nvme-X" } })));
    expect(() => execFileSync("shellcheck", ["--shell=sh", "--severity=style", file], { encoding: "utf8" })).not.toThrow();
  });

  it.runIf(process.arch === "x64")("accepts a supported system with sudo, systemd and the declared memory, and says what it found", () => {
    for (const system of ["debian 12", "ubuntu 24.04"] as const) {
      const result = preflight(host(), system, { ufw: "inactive" });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^${system} x86_64, \\d+ MiB, sudo ok$`, "m"));
    }
  });

  it.each([
    ["no passwordless sudo", () => preflight(host(), "debian 12", { sudo: false }), /pool has no passwordless sudo.*visudo/],
    ["an old Ubuntu", () => preflight(host(), "ubuntu 20.04"), /runs ubuntu 20\.04; the kit supports debian 12, debian 13, ubuntu 22\.04, ubuntu 24\.04/],
    ["another distribution", () => preflight(host(), "centos 9"), /runs centos 9/],
    ["no systemd", () => preflight(host(), "debian 12", { systemd: false }), /systemd is not running/],
    ["less memory than declared", () => preflight(host({ memoryGiB: memoryGiB * 4 + 8 }), "debian 12"), /the memoryGiB of relay-1 in stakepool:servers says \d+ GiB: correct it/],
    ["an active ufw", () => preflight(host(), "ubuntu 24.04", { ufw: "active" }), /ufw is active on this server.*sudo ufw disable/],
    ["a data disk that is not there", () => preflight(host({ dataDisk: { kind: "device", path: "/dev/disk/by-id/nvme-NOT_THERE" } }), "debian 12"), /nvme-NOT_THERE \(the dataDevice of relay-1 in stakepool:servers\) is not a disk on this server/],
  ] as const)("refuses %s, saying why", (_name, run, says) => {
    const result = run();
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(says);
  });
});
