/**
 * What a changed input does to each resource type the kit creates, as the provider decides it: replace
 * the resource (ForceNew in the upstream schema), stop and start an instance, or update in place. Mocks
 * cannot see this (the provider decides it at deploy time), so the plan's change report reads it here.
 *
 * Sources: hashicorp/terraform-provider-aws, which @pulumi/aws 7.48 bridges (schema constructors; the
 * exact upstream commit in 7.48 could not be pinned, the flags below are the same in every version read):
 * - internal/service/ec2/ec2_instance.go `resourceInstance` (ForceNew keys), `resourceInstanceUpdate`
 *   (instance_type and user_data are modified with a stop and a start; user_data replaces instead with
 *   user_data_replace_on_change);
 * - ebs_volume.go `resourceEBSVolume` (size, type, iops, throughput modify online: ModifyVolume);
 * - ebs_volume_attachment.go `ResourceVolumeAttachment` (every field ForceNew; its delete with
 *   stop_instance_before_detaching stops the instance and nothing starts it again);
 * - ec2_eip.go, ec2_eip_association.go (no update function at all), ec2_key_pair.go, vpc_.go,
 *   vpc_subnet.go, vpc_route_table.go, vpc_route.go, vpc_route_table_association.go,
 *   vpc_security_group.go (description, name, vpc_id), vpc_security_group_ingress_rule.go (group id; a
 *   change of source kind), route53/record.go (name, zone_id), s3/bucket.go, s3/object.go,
 *   sns/topic_subscription.go, scheduler/schedule.go, iam/role_policy.go, iam/instance_profile.go
 *   `resourceInstanceProfile` (name, name_prefix, path), cloudwatch/metric_alarm.go
 *   `resourceMetricAlarm` (alarm_name, Pulumi's `name`; everything else is a PutMetricAlarm update);
 * - pulumi/pulumi-command `common/inputs.go`: only `triggers` replaces a command; any other change
 *   re-runs it (an update);
 * - pulumi/pulumi-tls: a private key's algorithm and size are ForceNew.
 * Read for this kit in /work/notes/upstream-pulumi.md (section 1).
 */

export type InputEffect = "replace" | "stop-start" | "update";

interface TypeRules {
  /** Input paths (top-level names, or `parent.child`) whose change replaces the resource. */
  readonly replace: readonly string[];
  /** Input paths whose change stops and starts the instance. */
  readonly stopStart?: readonly string[];
}

export const REPLACEMENT_TABLE: Readonly<Record<string, TypeRules>> = {
  "aws:ec2/instance:Instance": {
    replace: ["ami", "subnetId", "privateIp", "keyName", "associatePublicIpAddress", "availabilityZone", "rootBlockDevice.encrypted", "rootBlockDevice.kmsKeyId"],
    stopStart: ["instanceType", "userData", "userDataBase64"],
  },
  "aws:ebs/volume:Volume": { replace: ["availabilityZone", "encrypted", "kmsKeyId", "snapshotId", "multiAttachEnabled", "outpostArn"] },
  "aws:ec2/volumeAttachment:VolumeAttachment": { replace: ["deviceName", "volumeId", "instanceId"] },
  "aws:ec2/eip:Eip": { replace: ["domain", "address", "publicIpv4Pool", "networkBorderGroup"] },
  "aws:ec2/eipAssociation:EipAssociation": { replace: ["allocationId", "allowReassociation", "instanceId", "networkInterfaceId", "privateIpAddress", "publicIp"] },
  "aws:ec2/keyPair:KeyPair": { replace: ["publicKey", "keyName", "keyNamePrefix"] },
  "aws:ec2/vpc:Vpc": { replace: ["cidrBlock"] },
  "aws:ec2/internetGateway:InternetGateway": { replace: [] },
  "aws:ec2/subnet:Subnet": { replace: ["vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId"] },
  "aws:ec2/routeTable:RouteTable": { replace: ["vpcId"] },
  "aws:ec2/route:Route": { replace: ["routeTableId", "destinationCidrBlock"] },
  "aws:ec2/routeTableAssociation:RouteTableAssociation": { replace: ["subnetId"] },
  "aws:ec2/securityGroup:SecurityGroup": { replace: ["description", "name", "namePrefix", "vpcId"] },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { replace: ["securityGroupId", "sourceKind"] },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { replace: ["securityGroupId", "sourceKind"] },
  "aws:route53/record:Record": { replace: ["name", "zoneId"] },
  "aws:s3/bucketV2:BucketV2": { replace: ["bucket", "bucketPrefix"] },
  "aws:s3/bucket:Bucket": { replace: ["bucket", "bucketPrefix"] },
  "aws:s3/bucketObjectv2:BucketObjectv2": { replace: ["bucket", "key"] },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { replace: ["bucket"] },
  "aws:s3/bucketPolicy:BucketPolicy": { replace: ["bucket"] },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { replace: ["bucket"] },
  "aws:sns/topic:Topic": { replace: ["name", "namePrefix", "fifoTopic"] },
  "aws:sns/topicSubscription:TopicSubscription": { replace: ["topic", "protocol", "endpoint"] },
  "aws:scheduler/schedule:Schedule": { replace: ["name", "namePrefix", "groupName"] },
  "aws:iam/role:Role": { replace: ["name", "namePrefix"] },
  "aws:iam/rolePolicy:RolePolicy": { replace: ["name", "namePrefix", "role"] },
  "aws:iam/instanceProfile:InstanceProfile": { replace: ["name", "namePrefix", "path"] },
  "aws:cloudwatch/metricAlarm:MetricAlarm": { replace: ["name"] },
  "command:remote:Command": { replace: ["triggers"] },
  "tls:index/privateKey:PrivateKey": { replace: ["algorithm", "ecdsaCurve", "rsaBits"] },
};

/** Whether the table covers a type; an unknown type is reported for review instead of guessed. */
export function knowsType(type: string): boolean {
  return type in REPLACEMENT_TABLE || type.startsWith("stakepool:") || type === "pulumi:pulumi:Stack";
}

/** An ingress or egress rule's source kind: changing it (IPv4 to IPv6) replaces the rule. */
function withSourceKind(type: string, inputs: Readonly<Record<string, unknown>>): Record<string, unknown> {
  if (!type.includes("securityGroup") || !type.includes("Rule")) return { ...inputs };
  const kind = "cidrIpv4" in inputs ? "cidrIpv4" : "cidrIpv6" in inputs ? "cidrIpv6" : "referencedSecurityGroupId" in inputs ? "group" : "prefixList";
  return { ...inputs, sourceKind: kind };
}

function at(value: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, key) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined), value);
}

/**
 * The effect of going from `before` to `after` inputs on a resource of `type`, with the resource's
 * `ignoreChanges` applied (the engine keeps the old value of an ignored input): replace wins over
 * stop-start, which wins over update. Undefined when nothing changed.
 */
export function inputEffect(
  type: string,
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  ignoreChanges: readonly string[] = [],
): { effect: InputEffect; inputs: string[] } | undefined {
  const rules = REPLACEMENT_TABLE[type] ?? { replace: [] };
  const a = withSourceKind(type, before);
  const b = withSourceKind(type, after);
  for (const ignored of ignoreChanges) {
    delete a[ignored];
    delete b[ignored];
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const changed = keys.filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
  if (changed.length === 0) return undefined;
  const differs = (path: string) => JSON.stringify(at(a, path)) !== JSON.stringify(at(b, path));
  const replacing = rules.replace.filter(differs);
  if (type === "aws:ec2/instance:Instance" && after.userDataReplaceOnChange === true && differs("userDataBase64")) replacing.push("userDataBase64");
  if (replacing.length > 0) return { effect: "replace", inputs: replacing };
  const stopping = (rules.stopStart ?? []).filter(differs);
  if (stopping.length > 0) return { effect: "stop-start", inputs: stopping };
  return { effect: "update", inputs: changed };
}
