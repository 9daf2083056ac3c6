/**
 * Where the monitoring host's alerts go on AWS, and who watches the monitoring host itself:
 * - an SNS topic with the operator's email subscribed (AWS sends a confirmation email first: nothing is
 *   delivered until the operator confirms it). Its name is fixed by the stack (`alertsTopicName`), so
 *   Alertmanager's configuration names it at plan time; the monitoring host fills in the account;
 * - the monitoring host's instance role, allowed `sns:Publish` to that topic and nothing else
 *   (Alertmanager's `sns_configs` signs with the instance's credentials, SigV4);
 * - a CloudWatch alarm on the monitoring instance's `StatusCheckFailed` (Maximum over 1-minute periods,
 *   5 of 5, missing data breaching, so a stopped or terminated instance alarms too) to the same topic:
 *   about 6 minutes from a dead monitoring host to the operator's inbox, inside the 15 the issue asks.
 *   EC2 publishes status checks every minute at no charge (EC2 user guide, "Status check metrics").
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PoolModel } from "../../model/pool";
import { poolTags } from "./tags";

export interface MonitorAlertsArgs {
  readonly model: PoolModel;
  readonly topicName: string;
  readonly email: string;
}

/** The status alarm's shape (also shown in the plan). */
export const STATUS_ALARM = { metricName: "StatusCheckFailed", statistic: "Maximum", periodSeconds: 60, evaluationPeriods: 5 } as const;

export class MonitorAlerts extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  /** The monitoring instance's profile (its role may publish to the topic). */
  readonly instanceProfile: pulumi.Output<string>;
  private readonly model: PoolModel;

  constructor(name: string, args: MonitorAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stakepool:monitoring:MonitorAlerts", name, {}, opts);
    const { model } = args;
    this.model = model;
    const parent = { parent: this };
    const topic = new aws.sns.Topic(name, { name: args.topicName, tags: poolTags(model, "alerts") }, parent);
    new aws.sns.TopicSubscription(name, { topic: topic.arn, protocol: "email", endpoint: args.email }, parent);
    const role = new aws.iam.Role(name, {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags: poolTags(model, "monitor-role"),
    }, parent);
    new aws.iam.RolePolicy(name, {
      role: role.id,
      policy: topic.arn.apply((arn) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sns:Publish", Resource: arn }] })),
    }, parent);
    // Named by the stack (IAM names are per account), so the plan shows which profile the instance runs with.
    const profile = new aws.iam.InstanceProfile(name, { name: `stakepool-${model.stack}-monitor`, role: role.name, tags: poolTags(model, "monitor-profile") }, parent);
    this.topicArn = topic.arn;
    this.instanceProfile = profile.name;
    this.registerOutputs({ topicArn: this.topicArn });
  }

  /** The alarm that tells the operator the monitoring host itself is gone. */
  watch(name: string, instance: aws.ec2.Instance): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(name, {
      // Named by the stack, not auto-named: the plan shows it, and it never changes (the provider's
      // alarm_name, Pulumi's `name`, is ForceNew).
      name: `stakepool-${this.model.stack}-monitor-down`,
      alarmDescription: `The monitoring host of stake pool stack ${this.model.stack} fails its status checks, or is stopped: its alerts no longer reach you.`,
      namespace: "AWS/EC2",
      metricName: STATUS_ALARM.metricName,
      dimensions: { InstanceId: instance.id },
      statistic: STATUS_ALARM.statistic,
      period: STATUS_ALARM.periodSeconds,
      evaluationPeriods: STATUS_ALARM.evaluationPeriods,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "breaching",
      alarmActions: [this.topicArn],
      okActions: [this.topicArn],
      tags: poolTags(this.model, "monitor-down"),
    }, { parent: this });
  }
}
