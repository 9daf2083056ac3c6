/**
 * The shell commands the signer's and the proxy's steps run on a host (as root, through the delivery's
 * `sh -c`), and the ones the core's keys step needs once the signer exists.
 */
import { RELOAD_NODE } from "../node-commands";
import { kitScript, SYSTEMD_UNIT_DIR } from "../../node/paths";
import { DISTRIBUTION_SQUID_SERVICE, RELAY_PROXY_CONFIG_FILE, RELAY_PROXY_SERVICE, SIGNER_APPLIED_FILE, SIGNER_APPLY_SETTINGS_FILE, SIGNER_ENV_FILE, SIGNER_SERVICE, SQUID_BIN } from "./paths";

export const SIGNER_UNIT = `${SIGNER_SERVICE}.service`;
export const RELAY_PROXY_UNIT = `${RELAY_PROXY_SERVICE}.service`;
export const SIGNER_UNIT_FILE = `${SYSTEMD_UNIT_DIR}/${SIGNER_UNIT}`;
export const RELAY_PROXY_UNIT_FILE = `${SYSTEMD_UNIT_DIR}/${RELAY_PROXY_UNIT}`;

/** The signer's apply script on the host (delivered by the signer's step beside the node scripts). */
export const SIGNER_APPLY_SCRIPT_NAME = "mithril-signer-apply.sh";
export const SIGNER_APPLY_SCRIPT = kitScript(SIGNER_APPLY_SCRIPT_NAME);

/** Install, switch and restart the signer only when its release, unit or environment changed; then wait. */
export const APPLY_SIGNER = SIGNER_APPLY_SCRIPT;

/**
 * After a KES rotation the signer restarts (the Mithril docs, "Rotating the KES keys"). A SIGHUP would be
 * worse than not enough: mithril-signer 2630.0 handles SIGTERM, SIGQUIT and Ctrl-C only (main.rs), so
 * SIGHUP ends it, and systemd counts a death by SIGHUP as a clean exit, which Restart=on-failure leaves
 * stopped. Restarted only when it runs: a signer still waiting for the node starts with the new keys anyway.
 * Not `systemctl try-restart`: on the first deployment the keys step runs before the signer's step has
 * installed its unit, and try-restart of a unit systemd does not know fails ("Unit mithril-signer.service
 * not found", exit 5, systemctl(1) EXIT STATUS "no such unit": seen in the e2e box), stopping the core's
 * rollout; `is-active` is just false there (exit 3 or 4, which `if` reads as not running).
 */
export const RESTART_SIGNER_IF_RUNNING = `if systemctl is-active --quiet ${SIGNER_UNIT}; then systemctl restart ${SIGNER_UNIT}; fi`;

/**
 * The keys step's apply commands when the signer runs on the core: the node re-reads its keys first
 * (SIGHUP), then the signer restarts; nothing else restarts. Each runs only if the one before succeeded.
 */
export const KEYS_APPLY_WITH_SIGNER: readonly string[] = [RELOAD_NODE, RESTART_SIGNER_IF_RUNNING];

/** The signer leaves the core: stopped, its unit and settings gone. Its stores stay on the data volume. */
export const REMOVE_SIGNER: readonly string[] = [
  `systemctl disable --now ${SIGNER_UNIT} 2>/dev/null || true`,
  `rm -f "$R${SIGNER_UNIT_FILE}" "$R${SIGNER_ENV_FILE}" "$R${SIGNER_APPLY_SETTINGS_FILE}" "$R${SIGNER_APPLIED_FILE}" "$R${SIGNER_APPLY_SCRIPT}"`,
  "systemctl daemon-reload",
];

const DISTRIBUTION_SQUID_UNIT = `${DISTRIBUTION_SQUID_SERVICE}.service`;

/**
 * The package's own squid.service would serve Debian's default configuration (port 3128 to the local
 * networks): masked before the package is installed, so that its postinst never starts it (dh's
 * `deb-systemd-invoke start` skips a masked unit). Fails, on purpose, when an operator's own
 * /etc/systemd/system/squid.service is there (the Mithril docs' manual setup): the operator decides.
 */
export const MASK_DISTRIBUTION_SQUID = `systemctl mask ${DISTRIBUTION_SQUID_UNIT} && { systemctl stop ${DISTRIBUTION_SQUID_UNIT} 2>/dev/null || true; }`;

/** What a proxy relay installs from the distribution: its forward proxy. */
export const RELAY_PROXY_PACKAGES = ["squid"] as const;

/** Debian/Ubuntu package `squid`, installed when missing; waits for a running unattended-upgrades. */
export const INSTALL_SQUID = [
  `dpkg-query -W -f='\${Status}\\n' ${RELAY_PROXY_PACKAGES[0]} 2>/dev/null | grep -q '^install ok installed$'`,
  `{ export DEBIAN_FRONTEND=noninteractive; apt-get -o DPkg::Lock::Timeout=900 update -q && apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends ${RELAY_PROXY_PACKAGES[0]}; }`,
].join(" || ");

/** squid's own check of the delivered configuration; on failure its last lines say why. */
export const CHECK_SQUID_CONFIG = `out=$(${SQUID_BIN} -k parse -f "$R${RELAY_PROXY_CONFIG_FILE}" 2>&1) || { printf '%s\\n' "$out" | tail -n 20 >&2; exit 1; }`;

/**
 * Restart the proxy with the delivered configuration, then check that it stayed up. The delivery re-runs
 * only when its files changed, so this restarts exactly on a change; the signer retries meanwhile.
 */
export const RESTART_RELAY_PROXY: readonly string[] = ["systemctl daemon-reload", `systemctl enable ${RELAY_PROXY_UNIT}`, `systemctl restart ${RELAY_PROXY_UNIT}`];
export const CHECK_RELAY_PROXY_UP = `sleep 3; if ! systemctl is-active --quiet ${RELAY_PROXY_UNIT}; then journalctl -u ${RELAY_PROXY_UNIT} -n 20 --no-pager >&2; exit 1; fi`;

export const APPLY_RELAY_PROXY: readonly string[] = [MASK_DISTRIBUTION_SQUID, INSTALL_SQUID, CHECK_SQUID_CONFIG, ...RESTART_RELAY_PROXY, CHECK_RELAY_PROXY_UP];

/** The proxy leaves the relay (the squid package and the mask stay). */
export const REMOVE_RELAY_PROXY: readonly string[] = [
  `systemctl disable --now ${RELAY_PROXY_UNIT} 2>/dev/null || true`,
  `rm -f "$R${RELAY_PROXY_UNIT_FILE}" "$R${RELAY_PROXY_CONFIG_FILE}"`,
  "systemctl daemon-reload",
];
