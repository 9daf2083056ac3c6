/**
 * Deterministic Pulumi mocks for the plan. Whatever the cloud would assign (ids, public addresses,
 * generated names) becomes a placeholder that says so: `<publicIp of pool-relay-1>`. Unexpected
 * provider calls fail the run instead of returning something plausible.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The stack's region, which the zone lookup answers for (set by the plan before the program runs). */
let PLAN_REGION = "us-east-1";
export function setPlanRegion(region: string): void {
  PLAN_REGION = region;
}

export function placeholder(property: string, of: string): string {
  return `<${property} of ${of}>`;
}

type State = Record<string, unknown>;

/** Values the cloud computes, per resource type, beyond echoing the inputs. */
const COMPUTED: Readonly<Record<string, (name: string, inputs: State) => State>> = {
  "aws:ec2/instance:Instance": (name, inputs) => ({
    arn: placeholder("arn", name),
    publicIp: inputs.associatePublicIpAddress ? placeholder("publicIp", name) : "",
    privateIp: inputs.privateIp,
  }),
  "aws:ec2/eip:Eip": (name) => ({
    allocationId: placeholder("allocationId", name),
    publicIp: placeholder("publicIp", name),
  }),
  "aws:ec2/keyPair:KeyPair": (name, inputs) => ({
    keyName: inputs.keyName ?? placeholder("keyName", name),
  }),
  // A server's SSH host key, generated at deploy time.
  "tls:index/privateKey:PrivateKey": (name) => ({
    publicKeyOpenssh: placeholder("publicKeyOpenssh", name),
    privateKeyOpenssh: placeholder("privateKeyOpenssh", name),
  }),
};

/** Provider functions the program may call, and what the plan answers. */
const CALLS: Readonly<Record<string, (inputs: State) => State>> = {
  "aws:route53/getZone:getZone": (inputs) => ({
    ...inputs,
    id: placeholder("zoneId", String(inputs.name)),
    zoneId: placeholder("zoneId", String(inputs.name)),
  }),
  // The account's zones are known only at deploy time: the plan answers with every letter a region may have,
  // and PoolVpc checks the configured zones against the real list then.
  "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
    id: "region",
    names: ["a", "b", "c", "d", "e", "f"].map((l) => `${PLAN_REGION}${l}`),
    zoneIds: [],
  }),
  "aws:ec2/getAmi:getAmi": (inputs) => ({
    ...inputs,
    id: placeholder("id", "the newest Ubuntu 24.04 amd64 AMI"),
    architecture: "x86_64",
  }),
};

/** The plan's mocks; `seen` receives every resource's inputs as the engine would get them. */
export function planMocks(seen: (type: string, name: string, inputs: State) => void): pulumi.runtime.Mocks {
  return {
    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
      const inputs = args.inputs as State;
      seen(args.type, args.name, inputs);
      const computed = COMPUTED[args.type]?.(args.name, inputs) ?? {};
      if (args.custom === false) return { id: undefined, state: inputs };
      // The program reads nothing back from a command; echoing its (large) stdin would only cost time.
      if (args.type.startsWith("command:")) return { id: placeholder("id", args.name), state: {} };
      // Every AWS resource has an ARN the cloud assigns.
      if (args.type.startsWith("aws:")) return { id: placeholder("id", args.name), state: { arn: placeholder("arn", args.name), ...inputs, ...computed } };
      return { id: placeholder("id", args.name), state: { ...inputs, ...computed } };
    },
    call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
      const handler = CALLS[args.token];
      if (!handler) throw new Error(`the plan has no mock for the provider call ${args.token}; add one to cli/plan/mocks.ts`);
      return handler(args.inputs as State);
    },
  };
}
