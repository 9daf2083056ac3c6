/**
 * Host hardening as a cloud-config fragment: what is constant for a server's life and makes it safe to
 * expose. It merges with `baseCloudConfig` and the other fragments (lists concatenated); it uses none
 * of the base's keys.
 *
 * - SSH by key only, for the operator's user only, no root; relays forward to the core's SSH only;
 * - automatic security updates, never an automatic reboot;
 * - time from the Amazon Time Sync Service (slots are time);
 * - the node's own system user, without a login shell;
 * - nftables installed and enabled at boot. Its rules arrive later by delivery (they change when relays
 *   do); until then the security groups are the wall.
 */
import { NODE_USER } from "../node/paths";
import type { HostSpec, PoolModel } from "../pool/model";
import type { CloudConfig } from "./cloud-init";
import { APT_AUTO_UPGRADES_PATH, renderAptAutoUpgrades } from "./hardening-updates";
import { renderSshdDropIn, SSHD_DROP_IN_PATH } from "./hardening-sshd";
import { CHRONY_SOURCES_PATH, renderChronySources } from "./hardening-time";

/** Debian/Ubuntu packages the hardening installs (sorted). */
export const HARDENING_PACKAGES = ["chrony", "nftables", "unattended-upgrades"] as const;

/** Where Debian and Ubuntu put a shell that refuses logins. */
export const NO_LOGIN_SHELL = "/usr/sbin/nologin";

interface WriteFile {
  readonly path: string;
  readonly content: string;
  readonly owner: string;
  readonly permissions: string;
}

function rootFile(path: string, content: string): WriteFile {
  return { path, content, owner: "root:root", permissions: "0644" };
}

/**
 * The hardening fragment of one host's user data. It depends only on the host's role and the core's
 * static address, so it never changes while relays or admin networks change (no server restarts).
 */
export function hardeningCloudConfig(model: PoolModel, host: HostSpec): CloudConfig {
  const files = [
    rootFile(APT_AUTO_UPGRADES_PATH, renderAptAutoUpgrades()),
    rootFile(CHRONY_SOURCES_PATH, renderChronySources()),
    rootFile(SSHD_DROP_IN_PATH, renderSshdDropIn(model, host)),
  ].sort((a, b) => (a.path < b.path ? -1 : 1));
  return {
    users: [
      // "default" keeps the image's own user (ADMIN_USER), who receives the EC2 key pair's key.
      "default",
      {
        // useradd gives it a group of its own name, which is NODE_GROUP ("cardano").
        name: NODE_USER,
        gecos: "Cardano node",
        system: true,
        shell: NO_LOGIN_SHELL,
        lock_passwd: true,
      },
    ],
    // cloud-init's own switches, consistent with the drop-in (it writes 50-cloud-init.conf).
    ssh_pwauth: false,
    disable_root: true,
    packages: [...HARDENING_PACKAGES],
    write_files: files,
    runcmd: [
      ["systemctl", "enable", "nftables.service"],
      // The drop-in is written before sshd first starts; should sshd already be running, reload it, but
      // only if the whole configuration is valid (sshd re-reads it on reload and exits if it is broken).
      ["sh", "-c", "if systemctl is-active --quiet ssh.service; then sshd -t && systemctl reload ssh.service; fi"],
    ],
  };
}
