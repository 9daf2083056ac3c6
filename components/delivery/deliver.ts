/**
 * Runs a delivery on a host with @pulumi/command: relays directly at their public address, the core at
 * its private address through a relay (SSH proxy), as the admin user with the operator's SSH agent
 * (SSH_AUTH_SOCK), never with a key in config. Every connection verifies the server's host key, on both
 * hops (pulumi-command `remote/connection.go` `SSHConfig`: `hostKey` pins it with `ssh.FixedHostKey`;
 * without it ANY key is accepted): whoever else answers at the address receives nothing.
 *
 * The script carries the hash of what it delivers, so the command re-runs (an update, never a
 * replacement: only `triggers` replaces a command) exactly when that changes; a peer refresh or a key
 * rotation never replaces or reboots a server.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { deliveryScript, deliveryStdin, removalScript, type Delivery } from "./bundle";

export interface Endpoint {
  /** The address the operator's machine (or the jump host) connects to. */
  readonly host: pulumi.Input<string>;
  /** The server's SSH host key, `ssh-ed25519 AAAA…`. */
  readonly hostKey: pulumi.Input<string>;
  /** The login user (passwordless sudo) and SSH port the backend gave the host. */
  readonly user: string;
  readonly port: number;
}

export interface DeliveryConnection extends Endpoint {
  /** For the core: the relay to jump through. */
  readonly proxy?: Endpoint;
}

export interface DeliverArgs {
  readonly connection: DeliveryConnection;
  /** The server it goes to: a replaced server (same address, new instance) gets everything again. */
  readonly serverId: pulumi.Input<string>;
  readonly delivery: Delivery;
  /** Key material: the files are passed as a Pulumi secret and the command's output is not logged. */
  readonly secret?: boolean;
}

/** A fresh server takes a minute or two to accept SSH, and the admin networks sync within a minute: keep dialling. */
const DIAL = { dialErrorLimit: 60, perDialTimeout: 10 } as const;
const DEFAULT_SSH_PORT = 22;

/** The SSH connection for a delivery, through the proxy when there is one, host keys pinned on both hops. */
export function connectionArgs(connection: DeliveryConnection): command.types.input.remote.ConnectionArgs {
  const endpoint = (e: Endpoint) => ({
    host: e.host,
    // Left out at 22, as before: the SDK fills in 22 for an absent port anyway (@pulumi/command
    // types/input.js, remote.connectionArgsProvideDefaults), so existing commands see no change.
    ...(e.port !== DEFAULT_SSH_PORT ? { port: e.port } : {}),
    user: e.user,
    hostKey: e.hostKey,
    ...DIAL,
  });
  return { ...endpoint(connection), ...(connection.proxy !== undefined ? { proxy: endpoint(connection.proxy) } : {}) };
}

/** Names the server in the script, so that a new server (same address) re-runs it. */
export function onServer(serverId: pulumi.Input<string>, script: string): pulumi.Output<string> {
  return pulumi.output(serverId).apply((id) => `# for server ${id}\n${script}`);
}

export function deliver(name: string, args: DeliverArgs, opts: pulumi.CustomResourceOptions): command.remote.Command {
  const stdin = deliveryStdin(args.delivery);
  const remove = removalScript(args.delivery);
  return new command.remote.Command(name, {
    connection: connectionArgs(args.connection),
    create: onServer(args.serverId, deliveryScript(args.delivery)),
    ...(remove !== undefined ? { delete: remove } : {}),
    stdin: args.secret ? pulumi.secret(stdin) : stdin,
    // The previous run's output would travel as environment variables that sshd refuses (AcceptEnv),
    // with a warning on every update (pulumi-command remote/commandOutputs.go).
    addPreviousOutputInEnv: false,
    ...(args.secret ? { logging: "none" as const } : {}),
  }, args.secret ? { ...opts, additionalSecretOutputs: ["stdin", "stdout", "stderr"] } : opts);
}
