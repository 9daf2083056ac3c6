/**
 * Serves the pool's metadata file from S3: exactly the bytes the kit hashed, as application/json, and
 * public read of that one object only (the bucket stays private otherwise, owner-enforced, no ACLs).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PoolModel } from "../../model/pool";
import { poolTags } from "./tags";

export interface MetadataBucketArgs {
  readonly model: PoolModel;
  readonly bucket: string;
  readonly key: string;
  /** The file's text; uploaded as UTF-8, so the served bytes are exactly the hashed ones. */
  readonly content: string;
}

export class MetadataBucket extends pulumi.ComponentResource {
  constructor(name: string, args: MetadataBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("stakepool:metadata:MetadataBucket", name, {}, opts);
    const { model } = args;
    // On mainnet the registered URL must keep answering: protect what serves it.
    const parent = { parent: this, protect: model.protect };

    const bucket = new aws.s3.Bucket(name, { bucket: args.bucket, tags: poolTags(model, "metadata") }, parent);
    new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, parent);
    const access = new aws.s3.BucketPublicAccessBlock(name, {
      bucket: bucket.id,
      blockPublicAcls: true,
      ignorePublicAcls: true,
      // The one public object is granted by the bucket policy below.
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    }, parent);
    new aws.s3.BucketPolicy(name, {
      bucket: bucket.id,
      policy: bucket.arn.apply((arn) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Sid: "PublicReadPoolMetadata", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${arn}/${args.key}` }],
        }),
      ),
    }, { ...parent, dependsOn: [access] });
    new aws.s3.BucketObjectv2(name, {
      bucket: bucket.id,
      key: args.key,
      content: args.content,
      contentType: "application/json",
      cacheControl: "max-age=300",
      tags: poolTags(model, "metadata-file"),
    }, parent);
    this.registerOutputs({});
  }
}
