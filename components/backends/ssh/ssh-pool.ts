/**
 * The whole pool on the operator's own servers: no cloud resource, only what reaches each server over
 * SSH. Each host's first command (`pool-<host>-up`, ./preflight.ts) checks the server; its steps follow,
 * one after the other, and steps that restart the node go one host at a time in rollout order (relays
 * first, the core last), exactly as on AWS. Relays are reached at their address, the core through the
 * first relay; every connection accepts only the host key declared in `stakepool:servers`.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { connectionArgs, deliver, onServer, type DeliveryConnection, type Endpoint } from "../../delivery/deliver";
import type { Deployment } from "../../deployment/deployment";
import type { HostSpec } from "../../model/pool";
import { registrationCommand, relayRegistrationArgs, type RelayAddress } from "../../pool/registration";
import type { LoadedPool } from "../../pool/loaded";
import { canonicalIp } from "../../topology/peer";
import { preflightScript } from "./preflight";
import type { SshPlacement } from "./placement";
import type { SshServer } from "./inventory";

export interface SshPoolArgs {
  readonly pool: LoadedPool;
  readonly placement: SshPlacement;
  /** Each host's steps and the rollout order (planDeployment of the pool). */
  readonly deployment: Deployment;
}

/** How the pool registers a relay: its public IPv4 address, or its DNS name. */
export function registeredAddress(publicAddress: string): RelayAddress {
  return canonicalIp(publicAddress)?.kind === "ipv4" ? { ipv4: publicAddress } : { dns: publicAddress };
}

/**
 * How deliveries reach a host: at its `address`, the core's from `jump` (the first relay, reached at its
 * own address); each hop with its declared host key, login user and port.
 */
export function sshConnection(placement: SshPlacement, host: HostSpec, jump: HostSpec | undefined): DeliveryConnection {
  const endpoint = (h: HostSpec): Endpoint => {
    const server = placement.servers.get(h.name)!;
    return { host: server.address, hostKey: server.hostKey, ...h.login };
  };
  return jump ? { ...endpoint(host), proxy: endpoint(jump) } : endpoint(host);
}

export interface SshHostOutput {
  readonly name: string;
  readonly role: HostSpec["role"];
  readonly memoryGiB: number;
  readonly dataDiskGiB: number;
  readonly privateIp: string;
  /** A relay's public address; the core has none. */
  readonly publicIp: string;
  readonly hostKey: string;
}

export class SshPool extends pulumi.ComponentResource {
  readonly hosts: readonly SshHostOutput[];
  readonly relayRegistration: pulumi.Output<string[]>;
  readonly registrationCommand: pulumi.Output<string>;

  constructor(name: string, args: SshPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stakepool:ssh:SshPool", name, {}, opts);
    const { pool, placement, deployment } = args;
    const { model, identity } = pool;
    const server = (hostName: string): SshServer => placement.servers.get(hostName)!;

    const up = new Map<string, command.remote.Command>();
    // The jump's SSH settings (its system step) name every host behind it: a host reached through it
    // waits for them, or a newly added host behind it (the monitoring host) would be refused the jump.
    const systemSteps = new Map<string, pulumi.Resource>();
    let previousRestart: pulumi.Resource | undefined;
    for (const hostName of deployment.rollout) {
      const { host, steps, via } = deployment.hosts.find((d) => d.host.name === hostName)!;
      const jump = via === undefined ? undefined : model.hosts.find((h) => h.name === via)!;
      const connection = sshConnection(placement, host, jump);
      // A reinstalled server has a new host key: everything is delivered to it again.
      const serverId = server(host.name).hostKey;
      const parent = { parent: this };
      const check = new command.remote.Command(`${name}-${host.name}-up`, {
        connection: connectionArgs(connection),
        create: onServer(serverId, preflightScript(host)),
        addPreviousOutputInEnv: false,
      }, { ...parent, dependsOn: jump ? [up.get(jump.name)!, ...(systemSteps.has(jump.name) ? [systemSteps.get(jump.name)!] : [])] : [] });
      up.set(host.name, check);
      let previous: pulumi.Resource | undefined;
      for (const step of steps) {
        const dependsOn = [check, ...(previous ? [previous] : []), ...(step.effect === "restart" && previousRestart ? [previousRestart] : [])];
        previous = deliver(`${name}-${host.name}-${step.name}`, { connection, serverId, delivery: step.delivery, secret: step.secret }, { ...parent, dependsOn });
        if (step.effect === "restart") previousRestart = previous;
        if (step.name === "system") systemSteps.set(host.name, previous);
      }
    }

    this.hosts = model.hosts.map((host) => ({
      name: host.name,
      role: host.role,
      memoryGiB: host.memoryGiB,
      dataDiskGiB: host.dataDiskGiB,
      privateIp: host.privateIp,
      publicIp: server(host.name).publicAddress ?? "",
      hostKey: server(host.name).hostKey,
    }));
    const relays = model.relays.map((relay) => registeredAddress(server(relay.name).publicAddress!));
    this.relayRegistration = pulumi.output(relays.map((relay) => relayRegistrationArgs(relay)));
    this.registrationCommand = pulumi.output(
      registrationCommand({
        network: model.network,
        relays,
        metadata: identity.metadata ? { url: identity.metadata.url, hash: identity.metadata.file.hash } : undefined,
        ...identity.registration,
      }),
    );
    this.registerOutputs({ hosts: this.hosts, relayRegistration: this.relayRegistration, registrationCommand: this.registrationCommand });
  }
}
