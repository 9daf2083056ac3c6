/**
 * Reminders that the operational certificate expires: an SNS topic with the operator's email, and one-time
 * EventBridge Scheduler schedules 14 and 3 days before expiry. The dates come from the certificate, so
 * they change only when a new certificate is deployed.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PoolModel } from "../../model/pool";
import { poolTags } from "./tags";

export interface KesRemindersArgs {
  readonly model: PoolModel;
  readonly email: string;
  readonly expiresAt: Date;
  readonly reminders: ReadonlyArray<{ readonly daysBefore: number; readonly at: Date }>;
}

/** EventBridge Scheduler's one-time expression: at(yyyy-mm-ddThh:mm:ss), in UTC here. */
export function atExpression(date: Date): string {
  return `at(${date.toISOString().slice(0, 19)})`;
}

export class KesReminders extends pulumi.ComponentResource {
  constructor(name: string, args: KesRemindersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stakepool:keys:KesReminders", name, {}, opts);
    const { model } = args;
    const parent = { parent: this };
    const topic = new aws.sns.Topic(name, { tags: poolTags(model, "kes-reminders") }, parent);
    new aws.sns.TopicSubscription(name, { topic: topic.arn, protocol: "email", endpoint: args.email }, parent);
    const role = new aws.iam.Role(name, {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "scheduler.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags: poolTags(model, "kes-reminders"),
    }, parent);
    new aws.iam.RolePolicy(name, {
      role: role.id,
      policy: topic.arn.apply((arn) =>
        JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sns:Publish", Resource: arn }] }),
      ),
    }, parent);
    for (const reminder of args.reminders) {
      const message =
        `The operational certificate of the ${model.network.name} pool of stack ${model.stack} expires at ` +
        `${args.expiresAt.toISOString()} (in ${reminder.daysBefore} days). Issue a new one on the offline machine ` +
        "(npm run --silent kes -- --network " + model.network.name + " tells the KES period), then pulumi config set and pulumi up.";
      new aws.scheduler.Schedule(`${name}-${reminder.daysBefore}d`, {
        scheduleExpression: atExpression(reminder.at),
        scheduleExpressionTimezone: "UTC",
        flexibleTimeWindow: { mode: "OFF" },
        target: { arn: topic.arn, roleArn: role.arn, input: JSON.stringify(message) },
      }, parent);
    }
    this.registerOutputs({});
  }
}
