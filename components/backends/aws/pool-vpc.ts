/**
 * The pool's dedicated VPC: one public subnet per zone, an internet gateway and a default route. The zones
 * are checked against the account's own (zone letters differ between accounts in AWS's oldest regions):
 * a zone the account does not have stops the deploy with the list it does have, before any subnet or
 * volume is created in it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PoolModel } from "../../model/pool";
import type { AwsPlacement } from "./placement";
import { poolTags } from "./tags";
import { missingZonesError } from "./addressing";

export interface PoolVpcArgs {
  readonly model: PoolModel;
  readonly placement: AwsPlacement;
}

export class PoolVpc extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  /** Elastic IPs are associated only once this exists. */
  readonly gateway: aws.ec2.InternetGateway;
  /** Subnet id per availability zone. */
  readonly subnetIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** A zone's name, once the account is known to have it: use it wherever a resource is placed in a zone. */
  readonly checkedZone: (zone: string) => pulumi.Output<string>;

  constructor(name: string, args: PoolVpcArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stakepool:vpc:PoolVpc", name, {}, opts);
    const { model, placement } = args;
    const parent = { parent: this };

    const vpc = new aws.ec2.Vpc(name, {
      cidrBlock: placement.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: poolTags(model, "vpc"),
    }, parent);
    const gateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: poolTags(model, "igw") }, parent);
    const routes = new aws.ec2.RouteTable(`${name}-public`, { vpcId: vpc.id, tags: poolTags(model, "public") }, parent);
    new aws.ec2.Route(`${name}-public-default`, {
      routeTableId: routes.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: gateway.id,
    }, parent);

    const zones = placement.subnets.map((subnet) => subnet.availabilityZone);
    const available = aws.getAvailabilityZonesOutput(
      { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
      parent,
    );
    const zonesChecked = available.names.apply((names) => {
      const error = missingZonesError(zones, names, placement.region);
      if (error !== undefined) throw new Error(error);
      return zones;
    });
    this.checkedZone = (zone: string) => zonesChecked.apply(() => zone);

    const subnetIds: Record<string, pulumi.Output<string>> = {};
    for (const subnet of placement.subnets) {
      // Keyed by zone, not by position, so adding a zone never renames an existing subnet.
      const resource = new aws.ec2.Subnet(`${name}-${subnet.availabilityZone}`, {
        vpcId: vpc.id,
        cidrBlock: subnet.cidr,
        availabilityZone: this.checkedZone(subnet.availabilityZone),
        // Public addresses are given explicitly per host (Elastic IPs for relays).
        mapPublicIpOnLaunch: false,
        tags: poolTags(model, subnet.availabilityZone),
      }, parent);
      new aws.ec2.RouteTableAssociation(`${name}-${subnet.availabilityZone}`, {
        subnetId: resource.id,
        routeTableId: routes.id,
      }, parent);
      subnetIds[subnet.availabilityZone] = resource.id;
    }

    this.vpcId = vpc.id;
    this.gateway = gateway;
    this.subnetIds = subnetIds;
    this.registerOutputs({ vpcId: this.vpcId });
  }
}
