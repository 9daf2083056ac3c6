/**
 * The host itself, made safe to expose and ready for the node: the packages the kit's scripts and the
 * firewall need, the node's system user, SSH by key only (relays forward to the core's SSH only),
 * automatic security updates without automatic reboots, time from the cloud's time service, and the
 * operator's SSH key as the only authorized key of the admin user (a changed key reaches every running
 * server this way; keep the old key in your agent until `pulumi up` has finished). Nothing here restarts
 * the node.
 */
import { APT_AUTO_UPGRADES_PATH, renderAptAutoUpgrades } from "./updates";
import { renderSshdDropIn, SSHD_DROP_IN_PATH } from "./sshd";
import { CHRONY_SOURCES_PATH, renderChronySources } from "./time";
import { NODE_GROUP, NODE_USER } from "../../node/paths";
import { ROOT_FILE, type Feature } from "../feature";
import { runsNode } from "../../model/pool";

/** Debian/Ubuntu packages the kit's steps need on every host (sorted). */
export const SYSTEM_PACKAGES = ["chrony", "curl", "e2fsprogs", "nftables", "python3", "unattended-upgrades", "util-linux"] as const;

/** Where Debian and Ubuntu put a shell that refuses logins. */
export const NO_LOGIN_SHELL = "/usr/sbin/nologin";

/** The login user's authorized keys (a user the backend gives, with a home under /home). */
export function authorizedKeysFile(user: string): string {
  return `/home/${user}/.ssh/authorized_keys`;
}

/** Installs what is missing; waits for a running unattended-upgrades instead of failing on its lock. */
export const INSTALL_PACKAGES = [
  "set --",
  `for p in ${SYSTEM_PACKAGES.join(" ")}; do dpkg-query -W -f='\${Status}\\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || set -- "$@" "$p"; done`,
  'if [ "$#" -gt 0 ]; then export DEBIAN_FRONTEND=noninteractive; apt-get -o DPkg::Lock::Timeout=900 update -q && apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "$@"; fi',
].join("; ");

/** The node's system user and group: no login shell, no home, a locked password. */
export const CREATE_NODE_USER =
  `getent group ${NODE_GROUP} >/dev/null || groupadd --system ${NODE_GROUP}; ` +
  `getent passwd ${NODE_USER} >/dev/null || useradd --system --gid ${NODE_GROUP} --shell ${NO_LOGIN_SHELL} --home-dir /nonexistent --no-create-home --comment "Cardano node" ${NODE_USER}`;

/** Reload sshd only if the whole configuration is valid: sshd re-reads it on reload and exits if it is broken. */
export const RELOAD_SSHD = "sshd -t && { systemctl reload ssh.service 2>/dev/null || systemctl reload sshd.service; }";

export const system: Feature = {
  name: "system",
  step(pool, host) {
    const { model } = pool;
    const sshd = renderSshdDropIn(model, host);
    const chrony = host.timeServer === undefined ? undefined : renderChronySources(host.timeServer);
    const apt = renderAptAutoUpgrades();
    const { user } = host.login;
    return {
      name: "system",
      delivery: {
        directories: [],
        files: [
          { path: APT_AUTO_UPGRADES_PATH, ...ROOT_FILE, content: apt },
          ...(chrony === undefined ? [] : [{ path: CHRONY_SOURCES_PATH, ...ROOT_FILE, content: chrony }]),
          { path: SSHD_DROP_IN_PATH, ...ROOT_FILE, content: sshd },
          // The operator's key as the login user's only one, when the backend manages it (AWS).
          ...(model.authorizedKey === undefined
            ? []
            : [{ path: authorizedKeysFile(user), owner: user, group: user, mode: "0600", content: `${model.authorizedKey}\n` }]),
        ],
        // The monitoring host runs no node, so it gets no node user.
        apply: [INSTALL_PACKAGES, ...(runsNode(host) ? [CREATE_NODE_USER] : []), "systemctl enable nftables.service", RELOAD_SSHD, "systemctl try-reload-or-restart chrony.service"],
      },
      secret: false,
      effect: "files",
      planFiles: { "sshd.conf": sshd },
    };
  },
};
