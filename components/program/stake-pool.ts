/**
 * The whole pool on AWS as one component: VPC, security groups, key pair, hosts, what reaches the hosts
 * over SSH, and the pool's public identity (hosted metadata, relay DNS names, certificate reminders). Every
 * decision was made before this runs (loadPool, ../backends/aws/placement.ts); this only creates
 * resources. On the operator's own servers, ../backends/ssh/ssh-pool.ts takes its place.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { planDeployment } from "../deployment/deployment";
import { deliver, type DeliveryConnection } from "../delivery/deliver";
import { serverGate } from "../backends/aws/server-gate";
import { RelayRecords } from "../backends/aws/relay-records";
import { adminTags } from "../firewall/admin-sync";
import { SecurityGroups } from "../backends/aws/security-groups";
import { firewallPolicy } from "../firewall/policy";
import { ubuntuAmiFilter } from "../backends/aws/ami";
import { Host } from "../backends/aws/host";
import { KesReminders } from "../backends/aws/kes-reminders";
import { MetadataBucket } from "../backends/aws/metadata-bucket";
import { MonitorAlerts } from "../backends/aws/monitor-alerts";
import { PoolVpc } from "../backends/aws/pool-vpc";
import { METADATA_OBJECT_KEY } from "../pool/identity";
import type { LoadedPool } from "../pool/loaded";
import type { AwsPlacement } from "../backends/aws/placement";
import type { HostRole, HostSpec } from "../model/pool";
import { registrationCommand, relayRegistrationArgs, type RelayAddress } from "../pool/registration";
import { poolTags } from "../backends/aws/tags";

export interface StakePoolArgs {
  /** The checked pool and everything its hosts receive (loadPool). */
  readonly pool: LoadedPool;
  /** Where its hosts go on AWS. */
  readonly placement: AwsPlacement;
}

export interface HostOutput {
  readonly name: string;
  readonly role: HostRole;
  readonly availabilityZone: string;
  readonly instanceType: string;
  readonly memoryGiB: number;
  readonly dataDiskGiB: number;
  readonly privateIp: string;
  readonly publicIp: pulumi.Output<string>;
  /** The server's SSH host key, for the operator's known_hosts. */
  readonly hostKey: pulumi.Output<string>;
}

export class StakePool extends pulumi.ComponentResource {
  readonly hosts: readonly HostOutput[];
  /** Per relay, the arguments of `cardano-cli ... registration-certificate` that declare it. */
  readonly relayRegistration: pulumi.Output<string[]>;
  /** The full registration command, with placeholders for what only the operator knows. */
  readonly registrationCommand: pulumi.Output<string>;

  constructor(name: string, args: StakePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stakepool:index:StakePool", name, {}, opts);
    const { pool, placement } = args;
    const { model, identity } = pool;
    const parent = { parent: this };

    const vpc = new PoolVpc(`${name}-vpc`, { model, placement }, parent);
    const groups = new SecurityGroups(`${name}-sg`, { model, policy: firewallPolicy(model), vpcId: vpc.vpcId }, parent);
    const keyPair = new aws.ec2.KeyPair(`${name}-admin`, { publicKey: placement.sshPublicKey, tags: poolTags(model, "admin") }, parent);
    const ami = placement.ami ?? aws.ec2.getAmiOutput(ubuntuAmiFilter(), parent).id;

    // Hosts are made in rollout order (relays, then the core), and each host's server waits for the
    // previous host's gate: a change that stops and starts servers (an instance type) rolls one host at
    // a time, each after the node on the one before runs again (../delivery/server-gate.ts).
    const deployment = planDeployment(pool);
    // The alerts topic and the monitoring host's role first: the monitoring instance starts with its profile.
    const snsTopic = pool.monitoring?.snsTopic;
    const alerts = snsTopic === undefined ? undefined : new MonitorAlerts(`${name}-alerts`, { model, topicName: snsTopic.name, email: snsTopic.email }, parent);
    const hosts = new Map<string, { host: HostSpec; resource: Host }>();
    const made = (hostName: string) => hosts.get(hostName)!;
    let previousGate: pulumi.Resource | undefined;
    let previousRestart: pulumi.Resource | undefined;
    // The jump's SSH settings (its system step) name every host behind it: a host reached through it
    // waits for them, or a newly added host behind it (the monitoring host) would be refused the jump.
    const systemSteps = new Map<string, pulumi.Resource>();
    for (const hostName of deployment.rollout) {
      const { host, steps, via } = deployment.hosts.find((d) => d.host.name === hostName)!;
      const placed = placement.hosts.get(host.name)!;
      const resource = new Host(`${name}-${host.name}`, {
        model,
        host,
        placed,
        pinnedAmi: placement.ami !== undefined,
        subnetId: vpc.subnetIds[placed.availabilityZone]!,
        securityGroupId: groups.groupIds[host.role],
        keyName: keyPair.keyName,
        ami,
        gateway: vpc.gateway,
        availabilityZone: vpc.checkedZone(placed.availabilityZone),
        // Relays carry the admin networks: their firewall copies them from the tags (admin-sync.ts).
        hostTags: host.role === "relay" ? adminTags(model) : {},
        after: previousGate,
        instanceProfile: host.role === "monitor" ? alerts?.instanceProfile : undefined,
      }, parent);
      if (host.role === "monitor") alerts?.watch(`${name}-${host.name}-down`, resource.instance);
      hosts.set(host.name, { host, resource });

      // What reaches the host over SSH: its steps one after the other; restarting steps one host at a
      // time in rollout order (relays first, the core last).
      const jump = via === undefined ? undefined : made(via).resource;
      const connection: DeliveryConnection = jump
        ? { host: host.privateIp, hostKey: resource.hostKey, ...host.login, proxy: { host: jump.publicIp, hostKey: jump.hostKey, ...made(via!).host.login } }
        : { host: resource.publicIp, hostKey: resource.hostKey, ...host.login };
      const jumpSystem = via === undefined ? undefined : systemSteps.get(via);
      const ready = [...resource.ready, ...(jump?.ready ?? []), ...(jumpSystem ? [jumpSystem] : []), ...groups.rules];
      previousGate = serverGate(`${name}-${host.name}-up`, { connection, instance: resource.instance, instanceType: placed.instanceType.name }, { parent: resource, dependsOn: ready });
      let previous: pulumi.Resource | undefined;
      for (const step of steps) {
        const dependsOn = [...ready, ...(previous ? [previous] : []), ...(step.effect === "restart" && previousRestart ? [previousRestart] : [])];
        previous = deliver(`${name}-${host.name}-${step.name}`, {
          connection,
          serverId: resource.instance.id,
          delivery: step.delivery,
          secret: step.secret,
        }, { parent: resource, dependsOn });
        if (step.effect === "restart") previousRestart = previous;
        if (step.name === "system") systemSteps.set(host.name, previous);
      }
    }
    const inModelOrder = model.hosts.map((host) => made(host.name));
    const relays = model.relays.map((host) => made(host.name));

    if (identity.metadata?.bucket) {
      new MetadataBucket(`${name}-metadata`, {
        model,
        bucket: identity.metadata.bucket,
        key: METADATA_OBJECT_KEY,
        content: identity.metadata.file.text,
      }, parent);
    }
    if (placement.dnsZone) {
      new RelayRecords(`${name}-dns`, {
        zone: placement.dnsZone,
        relays: relays.map(({ host, resource }) => ({ relay: host.name, name: placement.relayDnsNames.get(host.name)!, address: resource.publicIp })),
        protect: model.protect,
      }, parent);
    }
    if (identity.reminders && identity.reminders.at.length > 0) {
      new KesReminders(`${name}-kes-reminders`, {
        model,
        email: identity.reminders.email,
        expiresAt: identity.reminders.expiresAt,
        reminders: identity.reminders.at,
      }, parent);
    }

    this.hosts = inModelOrder.map(({ host, resource }) => ({
      name: host.name,
      role: host.role,
      availabilityZone: placement.hosts.get(host.name)!.availabilityZone,
      instanceType: placement.hosts.get(host.name)!.instanceType.name,
      memoryGiB: host.memoryGiB,
      dataDiskGiB: host.dataDiskGiB,
      privateIp: host.privateIp,
      publicIp: resource.publicIp,
      hostKey: resource.hostKey,
    }));
    // Relays are registered by DNS name when the pool has a zone, else by Elastic IP; never the core.
    const registered: pulumi.Output<RelayAddress[]> = pulumi.all(
      relays.map(({ host, resource }) => {
        const dns = placement.relayDnsNames.get(host.name);
        return dns ? pulumi.output<RelayAddress>({ dns }) : resource.publicIp.apply((ipv4): RelayAddress => ({ ipv4 }));
      }),
    );
    this.relayRegistration = registered.apply((list) => list.map((relay) => relayRegistrationArgs(relay)));
    this.registrationCommand = registered.apply((list) =>
      registrationCommand({
        network: model.network,
        relays: list,
        metadata: identity.metadata ? { url: identity.metadata.url, hash: identity.metadata.file.hash } : undefined,
        ...identity.registration,
      }),
    );
    this.registerOutputs({ hosts: this.hosts, relayRegistration: this.relayRegistration, registrationCommand: this.registrationCommand });
  }
}
