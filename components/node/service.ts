/**
 * The systemd units of a pool host: the node itself, and the one-shot setup that must finish before it
 * (data volume, release, Mithril). Rendered from the model and the path constants; written to
 * /etc/systemd/system by cloud-init and to `hosts/<host>/cardano-node.service` by the plan.
 */
import { PROTECTED_HOST, RESTRICTED_PROCESS } from "./sandbox";
import { NODE_PORT } from "../networks/networks";
import type { HostSpec, PoolModel } from "../model/pool";
import {
  DATA_MOUNT,
  DB_DIR,
  KES_KEY_FILE,
  KIT_NODE_CONFIG_NAME,
  kitNodeConfigFile,
  kitScript,
  NODE_BIN,
  NODE_CONFIG_OVERLAY_FILE,
  NODE_GROUP,
  NODE_SETUP_SERVICE,
  NODE_USER,
  OPCERT_FILE,
  shareDir,
  SOCKET_PATH,
  TOPOLOGY_FILE,
  VRF_KEY_FILE,
} from "./paths";

/** Seconds between two attempts to start the node (also while it waits for its delivered files). */
export const NODE_RESTART_SECONDS = 30;

export interface NodeServiceOptions {
  /** The core forges blocks with its KES key, VRF key and operational certificate. Never a relay. */
  readonly forging: boolean;
}

/** Open files the node may hold: hundreds of peer connections plus the immutable DB's chunk files. */
export const NODE_OPEN_FILES = 65536;
/** Time the node gets after SIGINT to close its database cleanly before it is killed. */
export const NODE_STOP_TIMEOUT_SECONDS = 900;

/** The script the setup unit runs. */
export const NODE_SETUP_SCRIPT = kitScript("node-setup.sh");

/** `systemd-escape --path --suffix=mount` for the simple absolute paths the kit uses. */
export function mountUnitName(path: string): string {
  const trimmed = path.replace(/^\/+|\/+$/g, "");
  if (trimmed === "") return "-.mount";
  const escaped = trimmed
    .split("/")
    .map((part) => part.replace(/[^A-Za-z0-9:_.]|^\./g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`))
    .join("-");
  return `${escaped}.mount`;
}

/** The arguments of `cardano-node run` for this host, in the order they are written. */
export function nodeRunArguments(model: PoolModel, host: HostSpec, options: NodeServiceOptions): string[][] {
  if (options.forging && host.role !== "core") {
    throw new Error(`${host.name} is a ${host.role}: only the core forges, a relay never holds keys`);
  }
  const args = [
    ["--config", kitNodeConfigFile(model.network.name)],
    ["--topology", TOPOLOGY_FILE],
    ["--database-path", DB_DIR],
    ["--socket-path", SOCKET_PATH],
    ["--host-addr", "0.0.0.0"],
    ["--port", String(NODE_PORT)],
  ];
  if (options.forging) {
    args.push(["--shelley-kes-key", KES_KEY_FILE], ["--shelley-vrf-key", VRF_KEY_FILE], ["--shelley-operational-certificate", OPCERT_FILE]);
  }
  return args;
}

/**
 * The node's unit. It starts only after the setup unit succeeded and with the data volume mounted. The
 * files delivered over SSH after boot (the topology; a forging core's keys) may arrive before or after
 * the setup ends: until they exist the node exits and systemd tries again every RestartSec, never giving
 * up, so it starts on its own once they are there, whatever the delivery does. SIGHUP (reload) makes a
 * running node re-read its topology.
 */
export function renderNodeService(model: PoolModel, host: HostSpec, options: NodeServiceOptions): string {
  const args = nodeRunArguments(model, host, options);
  const role = options.forging ? "forging core" : host.role;
  const setup = `${NODE_SETUP_SERVICE}.service`;
  return [
    `# cardano-node of ${model.stack}/${host.name} (${role}, ${model.network.name}). Rendered by the kit.`,
    "[Unit]",
    `Description=Cardano node ${host.name} (${role}, ${model.network.name})`,
    "Documentation=https://github.com/IntersectMBO/cardano-node",
    "Wants=network-online.target",
    // The metrics listener binds the host's private address: the network must be up.
    `After=network-online.target ${setup}`,
    `Requires=${setup}`,
    // Never run on the root disk: without the data volume the node does not start.
    `RequiresMountsFor=${DATA_MOUNT}`,
    // Keep retrying (see RestartSec): a node waiting for its delivered files must never be given up on.
    "StartLimitIntervalSec=0",
    "",
    "[Service]",
    "Type=simple",
    `User=${NODE_USER}`,
    `Group=${NODE_GROUP}`,
    `WorkingDirectory=${DATA_MOUNT}`,
    // Before every start, as root ("+"): the current release's config.json with the kit's node settings.
    `ExecStartPre=+/usr/bin/python3 ${kitScript("node-config.py")} ${shareDir(model.network.name)} ${KIT_NODE_CONFIG_NAME} ${NODE_CONFIG_OVERLAY_FILE}`,
    `ExecStart=${NODE_BIN} run \\`,
    ...args.map(([flag, value], i) => `  ${flag} ${value}${i < args.length - 1 ? " \\" : ""}`),
    "ExecReload=/bin/kill -HUP $MAINPID",
    // SIGINT is the node's clean shutdown; it closes the chain database, which can take minutes.
    "KillSignal=SIGINT",
    "KillMode=mixed",
    `TimeoutStopSec=${NODE_STOP_TIMEOUT_SECONDS}`,
    "Restart=on-failure",
    `RestartSec=${NODE_RESTART_SECONDS}`,
    `LimitNOFILE=${NODE_OPEN_FILES}`,
    "UMask=0027",
    // Sandboxing the node tolerates. Not used: MemoryDenyWriteExecute (the GHC runtime and libffi
    // need writable executable memory) and SystemCallFilter (the LSM ledger backend uses io_uring,
    // which systemd's @system-service set does not cover everywhere: a filtered call kills the node).
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    `ReadWritePaths=${DATA_MOUNT}`,
    ...PROTECTED_HOST,
    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK",
    ...RESTRICTED_PROCESS,
    "SystemCallArchitectures=native",
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

/**
 * The setup unit: runs node-setup.sh at every boot (a run with everything in place changes nothing),
 * after the data volume's fstab mount was tried. The node's unit requires it, so a node never starts on a
 * missing volume, a missing release or a half-restored database. The script retries failed steps with a
 * backoff for as long as it takes (each attempt is bounded by the script), so the unit has no start
 * timeout; its status line (NotifyAccess) says which attempt failed and when the next one runs.
 */
export function renderNodeSetupService(): string {
  return [
    "# Prepares the chain-data volume, the node release and the chain database. Rendered by the kit.",
    "[Unit]",
    "Description=stakepool node setup (data volume, release, Mithril bootstrap)",
    `Documentation=file://${NODE_SETUP_SCRIPT}`,
    "Wants=network-online.target",
    `After=network-online.target ${mountUnitName(DATA_MOUNT)}`,
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStart=${NODE_SETUP_SCRIPT}`,
    "TimeoutStartSec=infinity",
    "NotifyAccess=all",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}
