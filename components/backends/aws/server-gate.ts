/**
 * A server's gate: a command that ends once the server's node runs again after the server itself changed
 * (an instance type stops and starts it; a replacement makes a new one). The next host's server waits for
 * it, so such changes roll one host at a time like node restarts instead of stopping every relay at once
 * (the provider would update all instances in parallel). It re-runs when the server's stop-and-start
 * inputs change (its text names the instance and its type). On a new server, whose node has never been
 * set up, it ends at once: the first deploy is not held up by a Mithril restore.
 */
import * as command from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";
import { NODE_SERVICE, SOCKET_PATH } from "../../node/paths";
import { connectionArgs, onServer, type DeliveryConnection } from "../../delivery/deliver";

/** How long a node may take to run again after its server was stopped and started (ledger replay). */
export const GATE_TIMEOUT_SECONDS = 1800;
/** Up, and serving its socket, for this long in a row. */
export const GATE_HEALTHY_SECONDS = 30;

/** The gate's script: waits only if the node had been set up on this server. */
export function gateScript(instanceType: string): string {
  const unit = `${NODE_SERVICE}.service`;
  return [
    `# waits for the node after a change of the server (instance type ${instanceType})`,
    "set -eu",
    `if ! systemctl is-enabled --quiet ${unit} 2>/dev/null; then echo "the node is not set up on this server yet: nothing to wait for"; exit 0; fi`,
    "up=0; waited=0",
    `while [ "$waited" -lt ${GATE_TIMEOUT_SECONDS} ]; do`,
    `  if systemctl is-active --quiet ${unit} && [ -S ${SOCKET_PATH} ]; then up=$((up + 5)); else up=0; fi`,
    `  if [ "$up" -ge ${GATE_HEALTHY_SECONDS} ]; then echo "the node runs again"; exit 0; fi`,
    "  sleep 5; waited=$((waited + 5))",
    "done",
    `echo "the node did not run again within ${GATE_TIMEOUT_SECONDS}s after the server changed; the rollout stops here (journalctl -u ${unit})" >&2`,
    "exit 1",
    "",
  ].join("\n");
}

export interface GateArgs {
  readonly connection: DeliveryConnection;
  readonly instance: { readonly id: pulumi.Input<string> };
  readonly instanceType: string;
}

export function serverGate(name: string, args: GateArgs, opts: pulumi.CustomResourceOptions): command.remote.Command {
  return new command.remote.Command(name, {
    connection: connectionArgs(args.connection),
    create: onServer(args.instance.id, gateScript(args.instanceType)),
    addPreviousOutputInEnv: false,
  }, opts);
}
