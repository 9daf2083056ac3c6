/**
 * The second path to a relay's host firewall when the operator's address changes. The security group
 * follows `stakepool:adminCidrs` at once, but the host firewall is delivered over SSH, which it refuses
 * from the operator's new address: without another path, every later delivery (a KES rotation
 * included) would fail. On AWS the relays carry the admin networks as instance tags (a tag change is an
 * in-place update: no stop, no restart) and a timer on each relay copies them into the firewall's admin
 * sets every 30 s (scripts/admin-sync.py), well within the deliveries' dialling window (60 attempts).
 * Without tags (servers reached over SSH only), the recovery is one command on the server's console:
 * `adminRecoveryCommand`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { DeliveredFile } from "../delivery/bundle";
import { kitScript, SYSTEMD_UNIT_DIR } from "../node/paths";
import type { PoolModel } from "../model/pool";
import { NFTABLES_FAMILY, NFTABLES_TABLE, adminSetName } from "./nftables";

/** `stakepool:admin-<n>` = one admin network each (tag values hold at most 256 characters). */
export const ADMIN_TAG_PREFIX = "stakepool:admin-";
export const ADMIN_SYNC_SCRIPT = kitScript("admin-sync.py");
export const ADMIN_SYNC_SERVICE = "stakepool-admin-sync";
/** How often a relay re-reads its tags. */
export const ADMIN_SYNC_SECONDS = 30;

/** The instance tags that carry the admin networks, in the model's (sorted) order. */
export function adminTags(model: PoolModel): Record<string, string> {
  return Object.fromEntries(model.adminCidrs.map((cidr, i) => [`${ADMIN_TAG_PREFIX}${i + 1}`, cidr]));
}

export function renderAdminSyncService(): string {
  return [
    "# Copies the admin networks from the instance's tags into the host firewall. Rendered by the kit.",
    "[Unit]",
    "Description=stakepool: admin networks from the instance's tags into the host firewall",
    "After=nftables.service",
    "",
    "[Service]",
    "Type=oneshot",
    `ExecStart=/usr/bin/python3 ${ADMIN_SYNC_SCRIPT}`,
    "RuntimeDirectory=stakepool",
    "RuntimeDirectoryPreserve=yes",
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    "CapabilityBoundingSet=CAP_NET_ADMIN",
    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK",
    "",
  ].join("\n");
}

export function renderAdminSyncTimer(): string {
  return [
    "# Runs the admin-network sync at boot and every 30 s. Rendered by the kit.",
    "[Unit]",
    "Description=stakepool: keep the admin networks in step with the instance's tags",
    "",
    "[Timer]",
    "OnBootSec=15s",
    `OnUnitActiveSec=${ADMIN_SYNC_SECONDS}s`,
    "AccuracySec=5s",
    "",
    "[Install]",
    "WantedBy=timers.target",
    "",
  ].join("\n");
}

/** The files a relay receives with its firewall when its cloud carries tags. */
export function adminSyncFiles(): DeliveredFile[] {
  const root = { owner: "root", group: "root" } as const;
  return [
    { path: ADMIN_SYNC_SCRIPT, mode: "0755", ...root, content: readFileSync(path.join(__dirname, "scripts", "admin-sync.py"), "utf8") },
    { path: `${SYSTEMD_UNIT_DIR}/${ADMIN_SYNC_SERVICE}.service`, mode: "0644", ...root, content: renderAdminSyncService() },
    { path: `${SYSTEMD_UNIT_DIR}/${ADMIN_SYNC_SERVICE}.timer`, mode: "0644", ...root, content: renderAdminSyncTimer() },
  ];
}

export const START_ADMIN_SYNC = `systemctl daemon-reload && systemctl enable --now ${ADMIN_SYNC_SERVICE}.timer`;

/**
 * What an operator runs on a relay's console (the cloud's serial console, a provider's web console) to
 * admit a new address when no other path reaches the server; then `pulumi up` with the new adminCidrs.
 */
export function adminRecoveryCommand(cidr: string): string {
  const family = cidr.includes(":") ? "ipv6" : "ipv4";
  return `sudo nft add element ${NFTABLES_FAMILY} ${NFTABLES_TABLE} ${adminSetName(family)} '{ ${cidr} }'`;
}
