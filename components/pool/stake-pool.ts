/**
 * The whole pool as one component: VPC, security groups, key pair and hosts, all from the pool model.
 * Every decision was made before this runs (buildPoolModel); this only creates resources.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SecurityGroups } from "../firewall/security-groups";
import { firewallPolicy } from "../firewall/policy";
import { Host } from "../host/host";
import { ubuntuAmiFilter } from "../host/ami";
import { deliver } from "../delivery/deliver";
import { PoolVpc } from "../vpc/pool-vpc";
import { hostDeliveries } from "./deliveries";
import type { LoadedPool } from "./load";
import type { HostRole } from "./model";
import { renderHostFiles } from "./host-files";
import { poolTags } from "./tags";
import { relayRegistrationArgs } from "./registration";

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

  constructor(name: string, args: StakePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stakepool:index:StakePool", name, {}, opts);
    const { pool } = args;
    const { model } = pool;
    const parent = { parent: this };

    const vpc = new PoolVpc(`${name}-vpc`, { model }, parent);
    const groups = new SecurityGroups(`${name}-sg`, { model, policy: firewallPolicy(model), vpcId: vpc.vpcId }, parent);
    const keyPair = new aws.ec2.KeyPair(`${name}-admin`, { publicKey: model.sshPublicKey, tags: poolTags(model, "admin") }, parent);
    const ami = model.ami ?? aws.ec2.getAmiOutput(ubuntuAmiFilter(), parent).id;

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
      }, parent);
      return { host, resource, files };
    });

    // Lifetime files go over SSH: relays at their Elastic IP, the core through the first relay.
    const relays = hosts.filter(({ host }) => host.role === "relay");
    const jump = relays[0]!;
    for (const { host, resource, files } of hosts) {
      const connection =
        host.role === "relay" ? { host: resource.publicIp } : { host: host.privateIp, proxyHost: jump.resource.publicIp };
      const ready = host.role === "relay" ? resource.ready : [...resource.ready, ...jump.resource.ready];
      for (const { kind, delivery, secret } of hostDeliveries(pool, host, files)) {
        deliver(`${name}-${host.name}-${kind}`, { connection, delivery, secret }, { parent: resource, dependsOn: ready });
      }
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
    this.relayRegistration = pulumi
      .all(hosts.filter(({ host }) => host.role === "relay").map(({ resource }) => resource.publicIp))
      .apply((ips) => ips.map((ip) => relayRegistrationArgs({ ipv4: ip })));
    this.registerOutputs({ hosts: this.hosts, relayRegistration: this.relayRegistration });
  }
}
