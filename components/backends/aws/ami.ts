/** Canonical's Ubuntu 24.04 LTS (Noble) amd64 image, looked up when the stack does not pin an AMI. */
import type * as aws from "@pulumi/aws";

/** Canonical's AWS account, owner of the official Ubuntu images. */
export const CANONICAL_OWNER = "099720109477";
export const UBUNTU_NOBLE_AMD64 = "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*";

export function ubuntuAmiFilter(): aws.ec2.GetAmiOutputArgs {
  return {
    owners: [CANONICAL_OWNER],
    mostRecent: true,
    filters: [
      { name: "name", values: [UBUNTU_NOBLE_AMD64] },
      { name: "architecture", values: ["x86_64"] },
      { name: "virtualization-type", values: ["hvm"] },
      { name: "root-device-type", values: ["ebs"] },
    ],
  };
}
