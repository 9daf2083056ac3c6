/**
 * The host firewall: the pool's policy as one nftables ruleset, checked and loaded atomically. On relays,
 * the timer that keeps the admin networks in step with the instance's tags (../firewall/admin-sync.ts),
 * so a changed operator address never locks the operator out.
 */
import { adminSyncFiles, START_ADMIN_SYNC } from "../firewall/admin-sync";
import { nftablesDelivery } from "../firewall/nftables-delivery";
import type { Feature } from "./feature";

export const firewall: Feature = {
  name: "firewall",
  step(pool, host) {
    const ruleset = nftablesDelivery(pool.model, host, { relayConnectionLimit: pool.model.relayConnectionLimit });
    const sync = host.adminSync;
    const delivery = sync
      ? { ...ruleset, files: [...ruleset.files, ...adminSyncFiles()], apply: [...ruleset.apply, START_ADMIN_SYNC] }
      : ruleset;
    return { name: "firewall", delivery, secret: false, effect: "files", planFiles: { "nftables.conf": ruleset.files[0]!.content } };
  },
};
