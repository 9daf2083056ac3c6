/** The host firewall: the pool's policy as one nftables ruleset, checked and loaded atomically. */
import { nftablesDelivery } from "../firewall/nftables-delivery";
import type { Feature } from "./feature";

export const firewall: Feature = {
  name: "firewall",
  step(pool, host) {
    const delivery = nftablesDelivery(pool.model, host, { relayConnectionLimit: pool.model.relayConnectionLimit });
    return { name: "firewall", delivery, secret: false, effect: "files", planFiles: { "nftables.conf": delivery.files[0]!.content } };
  },
};
