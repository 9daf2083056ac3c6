/**
 * Whether the program runs under `npm run plan` (Pulumi mocks, no cloud) rather than the Pulumi CLI.
 * The plan sets STAKEPOOL_PLAN=1 before it loads the program. Only two things differ: a signing key
 * stored as plain text is a warning instead of an error (test stacks use public test vectors), and an
 * encrypted value, which the plan cannot decrypt, arrives as a "withheld" marker.
 */
export const PLAN_ENV = "STAKEPOOL_PLAN";

export function isPlanRun(): boolean {
  return process.env[PLAN_ENV] === "1";
}
