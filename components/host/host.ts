/**
 * One pool host: an EC2 instance at its static private address, its chain-database volume (a separate
 * EBS volume that outlives the instance) and, for a relay, its Elastic IP.
 */
import { gzipSync } from "node:zlib";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DATA_VOLUME_TAG } from "../node/tags";
import type { HostSpec, PoolModel } from "../pool/model";
import { poolTags } from "../pool/tags";

/** Where the data volume is attached; on Nitro instances it appears as an NVMe device named by volume id. */
export const DATA_DEVICE_NAME = "/dev/sdf";

export interface HostArgs {
  readonly model: PoolModel;
  readonly host: HostSpec;
  readonly subnetId: pulumi.Input<string>;
  readonly securityGroupId: pulumi.Input<string>;
  readonly keyName: pulumi.Input<string>;
  readonly ami: pulumi.Input<string>;
  /** The host's cloud-config: constant for the server's life, known at plan time. */
  readonly userData: string;
  /** Tags the boot scripts read through instance metadata (release pins): they change without a restart. */
  readonly bootTags: Readonly<Record<string, string>>;
}

/** User data as EC2 takes it when gzipped: base64 of the gzip stream. */
export function gzipUserData(cloudConfig: string): string {
  return gzipSync(Buffer.from(cloudConfig, "utf8"), { level: 9 }).toString("base64");
}

/** EC2's limit on user data, counted before base64. */
export const USER_DATA_MAX_BYTES = 16384;

export class Host extends pulumi.ComponentResource {
  readonly instance: aws.ec2.Instance;
  readonly dataVolume: aws.ebs.Volume;
  /** The relay's Elastic IP, or the core's outbound-only public address. */
  readonly publicIp: pulumi.Output<string>;
  readonly privateIp: string;
  /** What must exist before the host can be reached over SSH at its address. */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: HostArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stakepool:host:Host", name, {}, opts);
    const { model, host } = args;
    const parent = { parent: this };
    const isRelay = host.role === "relay";

    this.dataVolume = new aws.ebs.Volume(`${name}-data`, {
      availabilityZone: host.availabilityZone,
      size: host.dataVolumeGiB,
      type: "gp3",
      encrypted: true,
      tags: poolTags(model, `${host.name}-data`, { "stakepool:host": host.name, "stakepool:purpose": "chain-database" }),
    }, { ...parent, protect: model.protect });

    this.instance = new aws.ec2.Instance(name, {
      ami: args.ami,
      instanceType: host.instanceType.name,
      subnetId: args.subnetId,
      privateIp: host.privateIp,
      vpcSecurityGroupIds: [args.securityGroupId],
      keyName: args.keyName,
      // Relays get an Elastic IP; the core gets an ephemeral public address for outbound traffic only
      // (its security group and host firewall admit nothing from the internet).
      associatePublicIpAddress: !isRelay,
      metadataOptions: {
        httpTokens: "required",
        httpEndpoint: "enabled",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "enabled",
      },
      rootBlockDevice: {
        volumeType: "gp3",
        volumeSize: host.rootVolumeGiB,
        encrypted: true,
        deleteOnTermination: true,
        tags: poolTags(model, `${host.name}-root`, { "stakepool:host": host.name }),
      },
      // Gzipped: the scripts alone exceed EC2's 16 KiB user-data limit; cloud-init unpacks it. gzip with a
      // zero timestamp is deterministic, so the same cloud-config always gives the same bytes.
      userDataBase64: gzipUserData(args.userData),
      tags: this.dataVolume.id.apply((volumeId) =>
        poolTags(model, host.name, { "stakepool:host": host.name, "stakepool:role": host.role, ...args.bootTags, [DATA_VOLUME_TAG]: volumeId }),
      ),
    }, {
      ...parent,
      // The static private IP can only be held by one instance: a replacement must go first.
      deleteBeforeReplace: true,
      // A newer AMI or a rotated key pair must never replace a running server; both apply to new servers.
      ignoreChanges: model.ami === undefined ? ["ami", "keyName"] : ["keyName"],
    });

    const attachment = new aws.ec2.VolumeAttachment(`${name}-data`, {
      deviceName: DATA_DEVICE_NAME,
      volumeId: this.dataVolume.id,
      instanceId: this.instance.id,
      // Stop the node's server before detaching, so the chain database is closed cleanly.
      stopInstanceBeforeDetaching: true,
    }, { ...parent, deleteBeforeReplace: true });

    if (isRelay) {
      const eip = new aws.ec2.Eip(name, {
        domain: "vpc",
        tags: poolTags(model, `${host.name}-eip`, { "stakepool:host": host.name }),
      }, { ...parent, protect: model.protect });
      const association = new aws.ec2.EipAssociation(name, { allocationId: eip.allocationId, instanceId: this.instance.id }, parent);
      this.publicIp = eip.publicIp;
      this.ready = [this.instance, attachment, association];
    } else {
      this.publicIp = this.instance.publicIp;
      this.ready = [this.instance, attachment];
    }
    this.privateIp = host.privateIp;
    this.registerOutputs({ publicIp: this.publicIp, privateIp: this.privateIp });
  }
}
