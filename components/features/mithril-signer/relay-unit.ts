/**
 * The proxy's systemd unit on a proxy relay: the distribution's squid binary with the kit's
 * configuration only, as the unprivileged `proxy` user (Debian's and Ubuntu's squid user), in one
 * process (-N: no daemon, no worker kids), sandboxed. The package's own squid.service (Debian's
 * default configuration, port 3128) stays masked: see ./commands.ts.
 */
import { PROTECTED_HOST, RESTRICTED_PROCESS } from "../../node/sandbox";
import { checkSignerInput, RELAY_PROXY_PORT, type MithrilSignerInput } from "./input";
import { RELAY_PROXY_CONFIG_FILE, SQUID_BIN } from "./paths";

/** Debian's and Ubuntu's squid runs as `proxy` (base-passwd's uid 13); the package creates nothing else. */
export const SQUID_USER = "proxy";
export const SQUID_GROUP = "proxy";
export const RELAY_PROXY_RESTART_SECONDS = 10;

export function renderRelayProxyService(input: MithrilSignerInput, relayIp: string): string {
  checkSignerInput(input);
  if (!input.proxyRelayIps.includes(relayIp)) throw new Error(`${relayIp} is not one of the proxy relays`);
  return [
    `# Forward proxy for the core's Mithril signer (${input.network.name}) on ${relayIp}:${RELAY_PROXY_PORT}. Rendered by the kit.`,
    "[Unit]",
    `Description=Mithril relay: forward proxy for the core's signer (${input.network.name})`,
    "Documentation=https://mithril.network/doc/manual/operate/run-signer-node",
    // It listens on the relay's private address, and resolves the aggregator's name.
    "Wants=network-online.target nss-lookup.target",
    "After=network-online.target nss-lookup.target",
    "StartLimitIntervalSec=0",
    "",
    "[Service]",
    "Type=simple",
    `User=${SQUID_USER}`,
    `Group=${SQUID_GROUP}`,
    // -N: one process in the foreground; -d 1: squid's important messages to stderr (the journal).
    `ExecStart=${SQUID_BIN} -N -d 1 -f ${RELAY_PROXY_CONFIG_FILE}`,
    "ExecReload=/bin/kill -HUP $MAINPID",
    "Restart=on-failure",
    `RestartSec=${RELAY_PROXY_RESTART_SECONDS}`,
    "NoNewPrivileges=yes",
    // Nothing to write: no cache, no pid file, logs through syslog and stderr.
    "ProtectSystem=strict",
    ...PROTECTED_HOST,
    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
    ...RESTRICTED_PROCESS,
    "MemoryDenyWriteExecute=yes",
    "SystemCallArchitectures=native",
    "SystemCallFilter=@system-service",
    "SystemCallErrorNumber=EPERM",
    "CapabilityBoundingSet=",
    "AmbientCapabilities=",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}
