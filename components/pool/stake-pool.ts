/**
 * The whole pool as one component: VPC, security groups, key pair, hosts, what reaches the hosts over
 * SSH, and the pool's public identity (hosted metadata, relay DNS names, certificate reminders). Every
 * decision was made before this runs (loadPool); this only creates resources.
 */
import * as aws from "@pulumi/aws";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { connectionArgs, deliver, onInstance, type DeliveryConnection } from "../delivery/deliver";
import { RelayRecords } from "../dns/relay-records";
import { SecurityGroups } from "../firewall/security-groups";
import { firewallPolicy } from "../firewall/policy";
import { ubuntuAmiFilter } from "../host/ami";
import { Host } from "../host/host";
import { KesReminders } from "../keys/kes-reminders";
import { MetadataBucket } from "../metadata/metadata-bucket";
import { releaseTags } from "../node/tags";
import { PoolVpc } from "../vpc/pool-vpc";
import { hostDeliveries, nodeReleaseStep, type DeliveryKind } from "./deliveries";
import { renderHostFiles } from "./host-files";
import { METADATA_OBJECT_KEY } from "./identity";
import type { LoadedPool } from "./load";
import type { HostRole } from "./model";
import { registrationCommand, relayRegistrationArgs, type RelayAddress } from "./registration";
import { poolTags } from "./tags";

export interface StakePoolArgs {
  /** The checked pool and everything its hosts receive (loadPool). */
  readonly pool: LoadedPool;
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
}

export class StakePool extends pulumi.ComponentResource {
  readonly hosts: readonly HostOutput[];
  /** Per relay, the arguments of `cardano-cli ... registration-certificate` that declare it. */
  readonly relayRegistration: pulumi.Output<string[]>;
  /** The full registration command, with placeholders for what only the operator knows. */
  readonly registrationCommand: pulumi.Output<string>;

  constructor(name: string, args: StakePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stakepool:index:StakePool", name, {}, opts);
    const { pool } = args;
    const { model, identity, releases } = pool;
    const parent = { parent: this };

    const vpc = new PoolVpc(`${name}-vpc`, { model }, parent);
    const groups = new SecurityGroups(`${name}-sg`, { model, policy: firewallPolicy(model), vpcId: vpc.vpcId }, parent);
    const keyPair = new aws.ec2.KeyPair(`${name}-admin`, { publicKey: model.sshPublicKey, tags: poolTags(model, "admin") }, parent);
    const ami = model.ami ?? aws.ec2.getAmiOutput(ubuntuAmiFilter(), parent).id;
    const bootTags = releaseTags({
      nodeVersion: releases.node.version,
      nodeSha256: releases.node.sha256 ?? "",
      mithrilVersion: releases.mithril?.version ?? "",
      mithrilSha256: releases.mithril?.sha256 ?? "",
    });

    const hosts = model.hosts.map((host) => {
      const files = renderHostFiles(pool, host);
      const resource = new Host(`${name}-${host.name}`, {
        model,
        host,
        subnetId: vpc.subnetIds[host.availabilityZone]!,
        securityGroupId: groups.groupIds[host.role],
        keyName: keyPair.keyName,
        ami,
        userData: files["cloud-init.yaml"],
        bootTags,
      }, parent);
      return { host, resource, files };
    });

    // Lifetime files go over SSH: relays at their Elastic IP, the core through the first relay.
    const relays = hosts.filter(({ host }) => host.role === "relay");
    const jump = relays[0]!;
    const reach = hosts.map(({ host, resource }) => {
      const connection: DeliveryConnection =
        host.role === "relay" ? { host: resource.publicIp } : { host: host.privateIp, proxyHost: jump.resource.publicIp };
      const ready = host.role === "relay" ? resource.ready : [...resource.ready, ...jump.resource.ready];
      return { host, resource, connection, ready };
    });
    const serviceSteps = new Map<string, pulumi.Resource>();
    for (const { host, resource, connection, ready } of reach) {
      const files = hosts.find((h) => h.host === host)!.files;
      const done = new Map<DeliveryKind, pulumi.Resource>();
      for (const { kind, delivery, secret, after } of hostDeliveries(pool, host, files)) {
        const dependsOn = [...ready, ...after.map((k) => done.get(k)!)];
        done.set(kind, deliver(`${name}-${host.name}-${kind}`, { connection, instanceId: resource.instance.id, delivery, secret }, { parent: resource, dependsOn }));
      }
      serviceSteps.set(host.name, done.get("service")!);
    }

    // A new node release rolls one host at a time, relays first, the core last.
    const release = nodeReleaseStep(pool);
    if (release) {
      let previous: pulumi.Resource | undefined;
      for (const { host, resource, connection, ready } of [...reach.filter((r) => r.host.role === "relay"), ...reach.filter((r) => r.host.role === "core")]) {
        previous = new command.remote.Command(`${name}-${host.name}-node`, {
          connection: connectionArgs(connection),
          create: onInstance(resource.instance.id, release.create),
          update: release.update,
        }, { parent: resource, dependsOn: [...ready, serviceSteps.get(host.name)!, ...(previous ? [previous] : [])] });
      }
    }

    if (identity.metadata?.bucket) {
      new MetadataBucket(`${name}-metadata`, {
        model,
        bucket: identity.metadata.bucket,
        key: METADATA_OBJECT_KEY,
        content: identity.metadata.file.text,
      }, parent);
    }
    if (identity.dnsZone) {
      new RelayRecords(`${name}-dns`, {
        zone: identity.dnsZone,
        relays: relays.map(({ host, resource }) => ({ relay: host.name, name: identity.relayDnsNames.get(host.name)!, address: resource.publicIp })),
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

    this.hosts = hosts.map(({ host, resource }) => ({
      name: host.name,
      role: host.role,
      availabilityZone: host.availabilityZone,
      instanceType: host.instanceType.name,
      memoryGiB: host.instanceType.memoryGiB,
      dataDiskGiB: host.dataVolumeGiB,
      privateIp: host.privateIp,
      publicIp: resource.publicIp,
    }));
    // Relays are registered by DNS name when the pool has a zone, else by Elastic IP; never the core.
    const registered: pulumi.Output<RelayAddress[]> = pulumi.all(
      relays.map(({ host, resource }) => {
        const dns = identity.relayDnsNames.get(host.name);
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
