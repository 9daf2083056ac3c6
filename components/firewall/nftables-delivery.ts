/**
 * How a host's ruleset reaches it. Firewall address lists change during a pool's life (a relay is added),
 * so the ruleset is not user data: it is delivered over SSH (components/delivery) and re-delivered
 * whenever its bytes change, without replacing or rebooting the server.
 *
 * The delivery stages the file beside the kit's other settings, then the apply step checks it
 * (`nft -c`), makes sure it still admits the SSH session applying it (scripts/ssh-guard.py: on an
 * operator's own server nothing else stands between a wrong adminCidrs and a lockout), loads it (`nft -f`,
 * one transaction), and only then installs it atomically as /etc/nftables.conf, which nftables.service
 * loads at boot. A ruleset the kernel or the guard refuses therefore changes nothing: neither the running
 * rules nor what the next boot loads.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Delivery } from "../delivery/bundle";
import { kitScript, KIT_ETC_DIR } from "../node/paths";
import type { HostSpec, PoolModel } from "../model/pool";
import { DEFAULT_NFTABLES_OPTIONS, renderNftables, type NftablesOptions } from "./nftables";
import { firewallPolicy, hostRules } from "./policy";

/** What nftables.service (Debian and Ubuntu) loads at boot. */
export const NFTABLES_CONF_PATH = "/etc/nftables.conf";

/** Where the delivery puts the ruleset before it is checked and applied. */
export const NFTABLES_STAGED_PATH = `${KIT_ETC_DIR}/nftables.conf`;

/** The check that the new ruleset keeps admitting the session that applies it. */
export const SSH_GUARD_SCRIPT = kitScript("ssh-guard.py");

/**
 * The apply step, run as root after the staged files are in place, for a host whose sshd listens on
 * `sshPort` and whose new ruleset admits SSH from `sshSources`. Every path is prefixed with `$R` (empty on
 * a host; a temporary root in tests), as the delivery's apply steps are.
 */
export function nftablesApplyStep(sshPort: number, sshSources: readonly string[]): string {
  return [
    `nft -c -f "$R${NFTABLES_STAGED_PATH}"`,
    `python3 "$R${SSH_GUARD_SCRIPT}" ${sshPort} ${sshSources.join(" ")}`,
    `nft -f "$R${NFTABLES_STAGED_PATH}"`,
    `install -m 0644 "$R${NFTABLES_STAGED_PATH}" "$R${NFTABLES_CONF_PATH}.new"`,
    `mv -f "$R${NFTABLES_CONF_PATH}.new" "$R${NFTABLES_CONF_PATH}"`,
  ].join(" && ");
}

/** The delivery of one host's ruleset: hand it to `deliver()`; it re-runs when the ruleset changes. */
export function nftablesDelivery(model: PoolModel, host: HostSpec, options: NftablesOptions = DEFAULT_NFTABLES_OPTIONS): Delivery {
  const ssh = hostRules(firewallPolicy(model), host).filter((r) => r.service === "ssh");
  const root = { owner: "root", group: "root" } as const;
  return {
    directories: [],
    files: [
      { path: NFTABLES_STAGED_PATH, mode: "0644", ...root, content: renderNftables(model, host, options) },
      { path: SSH_GUARD_SCRIPT, mode: "0755", ...root, content: readFileSync(path.join(__dirname, "scripts", "ssh-guard.py"), "utf8") },
    ],
    apply: [nftablesApplyStep(host.login.port, ssh.map((r) => r.source.cidr))],
  };
}
