/**
 * The cloud wall: one security group per role, rendered from the firewall policy with one ingress
 * rule resource per source (so adding a relay adds rules and touches nothing else).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { HostRole, PoolModel } from "../../model/pool";
import { poolTags } from "./tags";
import type { FirewallPolicy } from "../../firewall/policy";

export interface SecurityGroupsArgs {
  readonly model: PoolModel;
  readonly policy: FirewallPolicy;
  readonly vpcId: pulumi.Input<string>;
}

const PURPOSE: Readonly<Record<HostRole, string>> = {
  core: "Stake pool core: node and SSH from its own relays only",
  relay: "Stake pool relays: node from anywhere, SSH from admin networks",
  monitor: "Stake pool monitoring: SSH from its relays only",
};

export class SecurityGroups extends pulumi.ComponentResource {
  readonly groupIds: Readonly<Record<HostRole, pulumi.Output<string>>>;
  /** Every rule: an SSH delivery waits for them, so the operator's address is admitted before it dials. */
  readonly rules: pulumi.Resource[] = [];

  constructor(name: string, args: SecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stakepool:firewall:SecurityGroups", name, {}, opts);
    const { model, policy } = args;
    const parent = { parent: this };
    const ids: Partial<Record<HostRole, pulumi.Output<string>>> = {};

    const roles: HostRole[] = model.monitor === undefined ? ["core", "relay"] : ["core", "relay", "monitor"];
    for (const role of roles) {
      const groupName = `${name}-${role}`;
      // The description is fixed: changing a group's description replaces the group.
      const group = new aws.ec2.SecurityGroup(groupName, {
        vpcId: args.vpcId,
        description: PURPOSE[role],
        tags: poolTags(model, `${role}-sg`),
      }, parent);
      for (const rule of policy[role]) {
        const ipv6 = rule.source.cidr.includes(":");
        this.rules.push(new aws.vpc.SecurityGroupIngressRule(`${groupName}-${rule.key}`, {
          securityGroupId: group.id,
          ipProtocol: "tcp",
          fromPort: rule.port,
          toPort: rule.port,
          ...(ipv6 ? { cidrIpv6: rule.source.cidr } : { cidrIpv4: rule.source.cidr }),
          description: rule.description,
          tags: poolTags(model, `${role}-${rule.key}`),
        }, parent));
      }
      new aws.vpc.SecurityGroupEgressRule(`${groupName}-egress-all`, {
        securityGroupId: group.id,
        ipProtocol: "-1",
        cidrIpv4: "0.0.0.0/0",
        description: "All outbound traffic",
        tags: poolTags(model, `${role}-egress-all`),
      }, parent);
      ids[role] = group.id;
    }

    this.groupIds = ids as Record<HostRole, pulumi.Output<string>>;
    this.registerOutputs({});
  }
}
