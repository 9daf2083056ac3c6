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

/**
 * The time the plan checks the operational certificate against: STAKEPOOL_NOW (ISO-8601) when set, so
 * that a plan can be reproduced as of a given day (tests use it), else the clock. Only the plan reads it.
 */
export const PLAN_NOW_ENV = "STAKEPOOL_NOW";

export function planNow(): Date {
  const fixed = process.env[PLAN_NOW_ENV];
  if (fixed === undefined || fixed === "") return new Date();
  const date = new Date(fixed);
  if (Number.isNaN(date.getTime())) throw new Error(`${PLAN_NOW_ENV}=${fixed} is not an ISO-8601 time`);
  return date;
}
