/**
 * How a host's ruleset reaches it. Firewall address lists change during a pool's life (a relay is added),
 * so the ruleset is not user data: it is delivered over SSH (components/delivery) and re-delivered
 * whenever its bytes change, without replacing or rebooting the server.
 *
 * The delivery stages the file beside the kit's other settings, then the apply step checks it
 * (`nft -c`), loads it (`nft -f`, one transaction), and only then installs it atomically as
 * /etc/nftables.conf, which nftables.service loads at boot. A ruleset the kernel refuses therefore
 * changes nothing: neither the running rules nor what the next boot loads.
 */
import type { Delivery } from "../delivery/bundle";
import { KIT_ETC_DIR } from "../node/paths";
import type { HostSpec, PoolModel } from "../model/pool";
import { DEFAULT_NFTABLES_OPTIONS, renderNftables, type NftablesOptions } from "./nftables";

/** What nftables.service (Debian and Ubuntu) loads at boot. */
export const NFTABLES_CONF_PATH = "/etc/nftables.conf";

/** Where the delivery puts the ruleset before it is checked and applied. */
export const NFTABLES_STAGED_PATH = `${KIT_ETC_DIR}/nftables.conf`;

/**
 * The apply step, run as root after the staged file is in place. Every path is prefixed with `$R`
 * (empty on a host; a temporary root in tests), as the delivery's apply steps are.
 */
export const NFTABLES_APPLY_STEP = [
  `nft -c -f "$R${NFTABLES_STAGED_PATH}"`,
  `nft -f "$R${NFTABLES_STAGED_PATH}"`,
  `install -m 0644 "$R${NFTABLES_STAGED_PATH}" "$R${NFTABLES_CONF_PATH}.new"`,
  `mv -f "$R${NFTABLES_CONF_PATH}.new" "$R${NFTABLES_CONF_PATH}"`,
].join(" && ");

/** The delivery of one host's ruleset: hand it to `deliver()`; it re-runs when the ruleset changes. */
export function nftablesDelivery(model: PoolModel, host: HostSpec, options: NftablesOptions = DEFAULT_NFTABLES_OPTIONS): Delivery {
  return {
    directories: [],
    files: [{ path: NFTABLES_STAGED_PATH, mode: "0644", owner: "root", group: "root", content: renderNftables(model, host, options) }],
    apply: [NFTABLES_APPLY_STEP],
  };
}
