/**
 * Runs a delivery on a host with @pulumi/command: relays directly at their Elastic IP, the core at its
 * private address through a relay (SSH proxy), as the admin user with the operator's SSH agent
 * (SSH_AUTH_SOCK), never with a key in config. The script carries the hash of what it delivers, so the
 * command re-runs (an update, not a replacement) exactly when that changes; a peer refresh or a key
 * rotation never replaces or reboots a server.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { ADMIN_USER } from "../node/paths";
import { deliveryScript, deliveryStdin, removalScript, type Delivery } from "./bundle";

export interface DeliveryConnection {
  /** The address the operator's machine can reach: a relay's Elastic IP, or the core's private IP. */
  readonly host: pulumi.Input<string>;
  /** For the core: the relay's Elastic IP to jump through. */
  readonly proxyHost?: pulumi.Input<string>;
}

export interface DeliverArgs {
  readonly connection: DeliveryConnection;
  /** The server it goes to: a replaced server (same address, new instance) gets everything again. */
  readonly instanceId: pulumi.Input<string>;
  readonly delivery: Delivery;
  /** Key material: the files are passed as a Pulumi secret and the command's output is not logged. */
  readonly secret?: boolean;
}

/** The SSH connection for a delivery, through the proxy when there is one. */
export function connectionArgs(connection: DeliveryConnection): command.types.input.remote.ConnectionArgs {
  return {
    host: connection.host,
    user: ADMIN_USER,
    // A fresh server takes a minute or two to accept SSH: keep dialling.
    dialErrorLimit: 60,
    perDialTimeout: 10,
    ...(connection.proxyHost !== undefined
      ? { proxy: { host: connection.proxyHost, user: ADMIN_USER, dialErrorLimit: 60, perDialTimeout: 10 } }
      : {}),
  };
}

/** Names the instance in the script, so that a new instance (same address) re-runs it. */
export function onInstance(instanceId: pulumi.Input<string>, script: string): pulumi.Output<string> {
  return pulumi.output(instanceId).apply((id) => `# for instance ${id}\n${script}`);
}

export function deliver(name: string, args: DeliverArgs, opts: pulumi.CustomResourceOptions): command.remote.Command {
  const stdin = deliveryStdin(args.delivery);
  const remove = removalScript(args.delivery);
  return new command.remote.Command(name, {
    connection: connectionArgs(args.connection),
    create: onInstance(args.instanceId, deliveryScript(args.delivery)),
    ...(remove !== undefined ? { delete: remove } : {}),
    stdin: args.secret ? pulumi.secret(stdin) : stdin,
    ...(args.secret ? { logging: "none" as const } : {}),
  }, args.secret ? { ...opts, additionalSecretOutputs: ["stdin", "stdout", "stderr"] } : opts);
}
