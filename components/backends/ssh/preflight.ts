/**
 * First contact with an operator's server, before anything is delivered to it (`pool-<host>-up`): the
 * login user has passwordless sudo, the system is one the kit's steps are written for (Ubuntu 22.04 or
 * 24.04, Debian 12 or 13, systemd, x86_64: the node release is amd64), the memory is what the operator
 * declared (within 10 %: the kernel keeps some), the chain-database disk is there by its stable name, and
 * no other firewall manager (ufw, firewalld) filters alongside the kit's host firewall.
 * A server that fails stops its own deliveries with the reason; nothing is changed on it.
 */
import type { HostSpec } from "../../model/pool";

/** `ID VERSION_ID` pairs of /etc/os-release the kit's steps are written and tested for. */
export const SUPPORTED_SYSTEMS = ["debian 12", "debian 13", "ubuntu 22.04", "ubuntu 24.04"] as const;
/** The part of the declared memory the kernel may keep for itself before the server counts as smaller. */
export const MEMORY_TOLERANCE = 0.1;

/** The preflight script for one host (run as the login user; `sudo -n` only to prove sudo works). */
export function preflightScript(host: HostSpec): string {
  const minKiB = Math.floor(host.memoryGiB * (1 - MEMORY_TOLERANCE) * 1024 * 1024);
  const device = host.dataDisk.kind === "device" ? host.dataDisk.path : "";
  return [
    `# first contact with ${host.name}: checks the server before the kit delivers anything to it`,
    "set -eu",
    "fail() { echo \"$*\" >&2; exit 1; }",
    `sudo -n true 2>/dev/null || fail "${host.login.user} has no passwordless sudo on this server: add '${host.login.user} ALL=(ALL) NOPASSWD:ALL' with visudo -f /etc/sudoers.d/stakepool"`,
    '[ -r /etc/os-release ] || fail "no /etc/os-release: the kit supports Ubuntu 22.04/24.04 and Debian 12/13"',
    // Read as data, not sourced: nothing on the server runs as part of the check. ID and VERSION_ID as
    // os-release(5) defines them (systemd's man page: KEY=value lines, values optionally quoted).
    "field() { sed -n \"s/^$1=//p\" /etc/os-release | tr -d '\"' | head -n 1; }",
    'system="$(field ID) $(field VERSION_ID)"',
    `case "$system" in ${SUPPORTED_SYSTEMS.map((s) => `"${s}"`).join("|")}) ;; *) fail "this server runs $system; the kit supports ${SUPPORTED_SYSTEMS.join(", ")}" ;; esac`,
    '[ "$(uname -m)" = x86_64 ] || fail "this server is $(uname -m); the cardano-node release the kit installs is amd64 (x86_64)"',
    '[ -d /run/systemd/system ] || fail "systemd is not running on this server; the node and its setup run as systemd units"',
    "memory=$(awk '$1 == \"MemTotal:\" { print $2 }' /proc/meminfo)",
    `[ "$memory" -ge ${minKiB} ] || fail "this server has $((memory / 1024)) MiB of memory; the memoryGiB of ${host.name} in stakepool:servers says ${host.memoryGiB} GiB: correct it (the kit checks the pool spec against it)"`,
    ...(device === ""
      ? []
      : [`[ -b ${device} ] || fail "${device} (the dataDevice of ${host.name} in stakepool:servers) is not a disk on this server: ls -l /dev/disk/by-id"`]),
    // Another firewall manager filters alongside the kit's table: a relay's 3001 would stay shut by it, or
    // its next reload would reorder what the kit relies on. The kit's ruleset is the host's firewall.
    `if command -v ufw >/dev/null 2>&1 && sudo -n ufw status 2>/dev/null | grep -q '^Status: active'; then fail "ufw is active on this server and filters alongside the kit's host firewall: turn it off (sudo ufw disable); the kit's nftables ruleset admits exactly what the plan shows"; fi`,
    `if command -v firewall-cmd >/dev/null 2>&1 && sudo -n firewall-cmd --state >/dev/null 2>&1; then fail "firewalld is running on this server and filters alongside the kit's host firewall: stop and disable it (sudo systemctl disable --now firewalld)"; fi`,
    'echo "$system $(uname -m), $((memory / 1024)) MiB, sudo ok"',
    "",
  ].join("\n");
}
