/**
 * Operator mistakes stop the real program before it creates anything: run under mocks with a bad
 * config, it registers no resource but the stack, and fails with a RunError (printed without a trace).
 */
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { runProgram, type CapturedResource } from "../../cli/plan/run-program";
import { rawConfig } from "../helpers/config";
import { ROOT } from "../helpers/plan";

describe("a stack with mistakes", () => {
  it("creates nothing and lists every problem with its fix", async () => {
    const sink: CapturedResource[] = [];
    const config = rawConfig("mainnet", { adminCidrs: ["0.0.0.0/0"], relayInstanceType: "t3.small", dataVolumeGiB: 10 }, ["sshPublicKey"]);
    const error = await runProgram({ programPath: path.join(ROOT, "index.ts"), project: "stakepool", stack: "mainnet", config, sink }).catch((e: unknown) => e);
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    const message = (error as Error).message;
    for (const setting of ["stakepool:sshPublicKey", "stakepool:adminCidrs[0]", "stakepool:relayInstanceType", "stakepool:dataVolumeGiB"]) {
      expect(message).toContain(`- ${setting}:`);
    }
    expect(message).toContain("t3.small has 2 GiB RAM; every pool host needs at least 4 GiB");
    expect(message.match(/Fix: /g)).toHaveLength(4);
    expect(sink.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });
});
