/**
 * The signer's systemd unit on the core. As the Mithril docs require, it runs as the node's user (it
 * reads the node's KES key and operational certificate, and talks to the node's socket); it starts after
 * the node and keeps retrying while the node is not up yet (a new server restoring its chain). Its
 * sandbox is the node's (../../node/service.ts) with less: it writes only its stores, and reaches only
 * loopback, the proxy relays and the monitoring host (IPAddressAllow), so even a compromised signer cannot
 * reach the internet.
 */
import { PROTECTED_HOST, RESTRICTED_PROCESS } from "../../node/sandbox";
import { DATA_MOUNT, NODE_GROUP, NODE_SERVICE, NODE_USER } from "../../node/paths";
import { checkSignerInput, relayEndpoint, type MithrilSignerInput } from "./input";
import { SIGNER_BIN, SIGNER_ENV_FILE, SIGNER_ETC_DIR, SIGNER_STORES_DIR } from "./paths";

/** Seconds between two starts while the signer cannot run (the docs' value). */
export const SIGNER_RESTART_SECONDS = 60;
/** The signer stops on SIGTERM (main.rs: a SIGTERM handler ends the runtime cleanly). */
export const SIGNER_STOP_TIMEOUT_SECONDS = 60;
/**
 * CPU and I/O weight against the node's default 100: the signer's first run imports the chain's blocks
 * and transactions for ~11 hours at 50–70 % of a core (docs, mainnet), and must never slow a block.
 */
export const SIGNER_WEIGHT = 20;
/**
 * `-vv` is Info (main.rs `Args::log_level`): each cycle's state ("New cycle: ReadyToSign - <epoch>"),
 * registrations and errors. The docs' `-vvv` (Debug) is much chattier; the default (no -v) logs errors only.
 */
export const SIGNER_VERBOSITY = "-vv";

export function renderSignerService(input: MithrilSignerInput): string {
  checkSignerInput(input);
  const node = `${NODE_SERVICE}.service`;
  return [
    `# mithril-signer on the core (${input.network.name}), reaching the aggregator through ${relayEndpoint(input.proxyRelayIps[0]!)}. Rendered by the kit.`,
    "[Unit]",
    `Description=Mithril signer (${input.network.name})`,
    "Documentation=https://mithril.network/doc/manual/operate/run-signer-node",
    "Wants=network-online.target",
    `After=network-online.target ${node}`,
    // Its stores are on the data volume, beside the chain: never on the root disk.
    `RequiresMountsFor=${DATA_MOUNT}`,
    // Until the node's socket is there the signer exits; systemd keeps trying, never giving up.
    "StartLimitIntervalSec=0",
    "",
    "[Service]",
    "Type=simple",
    `User=${NODE_USER}`,
    `Group=${NODE_GROUP}`,
    `EnvironmentFile=${SIGNER_ENV_FILE}`,
    `WorkingDirectory=${DATA_MOUNT}`,
    // As root ("+"), before every start: the stores folder, the node user's alone (it holds the signer's
    // Mithril keys for the coming epochs).
    `ExecStartPre=+/usr/bin/install -d -m 0700 -o ${NODE_USER} -g ${NODE_GROUP} ${SIGNER_STORES_DIR}`,
    // The configuration folder is the kit's (no config/<run mode>.json there): only the environment counts.
    `ExecStart=${SIGNER_BIN} ${SIGNER_VERBOSITY} --configuration-dir ${SIGNER_ETC_DIR}`,
    // No ExecReload: the signer has no SIGHUP handler (main.rs), a SIGHUP would end it as a "clean" exit.
    "Restart=on-failure",
    `RestartSec=${SIGNER_RESTART_SECONDS}`,
    `TimeoutStopSec=${SIGNER_STOP_TIMEOUT_SECONDS}`,
    `CPUWeight=${SIGNER_WEIGHT}`,
    `IOWeight=${SIGNER_WEIGHT}`,
    "UMask=0077",
    // Network: loopback, the proxies and, with a monitoring host, its scrape of the metrics endpoint;
    // nothing else (the filter applies to the unit's sockets both ways); no name is resolved.
    "IPAddressDeny=any",
    `IPAddressAllow=localhost ${[...input.proxyRelayIps, ...(input.monitorIp === undefined ? [] : [input.monitorIp])].join(" ")}`,
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    // Reads the chain database and the keys; writes only its stores. Connecting to the node's socket
    // needs no write access to the mount (the kernel checks the socket's own permissions).
    // "-": the folder may not exist yet. systemd.exec(5), ReadWritePaths=: a path prefixed with "-" is
    // ignored when it does not exist; without it, a missing path fails the start. systemd 252 checks the
    // path for each of the unit's processes, the "+" ExecStartPre that makes the folder included, and
    // fails with 226/NAMESPACE ("Failed to set up mount namespacing: ...: No such file or directory": seen
    // in the e2e box on Debian 12). With "-" the ExecStartPre runs and makes it, and the signer's own
    // namespace then has it writable.
    `ReadWritePaths=-${SIGNER_STORES_DIR}`,
    ...PROTECTED_HOST,
    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK",
    ...RESTRICTED_PROCESS,
    // A static Rust binary (the musl build of the distribution): no writable executable memory.
    "MemoryDenyWriteExecute=yes",
    "SystemCallArchitectures=native",
    "SystemCallFilter=@system-service",
    "SystemCallErrorNumber=EPERM",
    "CapabilityBoundingSet=",
    "AmbientCapabilities=",
    "KeyringMode=private",
    "RemoveIPC=yes",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}
