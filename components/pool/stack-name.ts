/**
 * The Pulumi stack's name becomes part of every host's system host name, `<stack>-<host>`
 * (model.ts hostname), which cloud-init sets at first boot. A host name label is at most 63 characters
 * of letters, digits and hyphens, starting with a letter or digit (RFC 1035 §2.3.4, RFC 1123 §2.1);
 * Pulumi allows stack names of up to 100 characters with `_` and `.` as well (pulumi
 * sdk/go/common/tokens/stack_name.go ParseStackName). A stack name that would make an invalid host name
 * is refused before anything is created.
 */
import type { Findings } from "../config/problems";

const LABEL_MAX = 63;

/** The longest host name of an AWS pool of `relays` relays: "relay-20" (the core's is shorter). */
export function longestAwsHost(relays: number): string {
  return `relay-${Math.max(1, relays)}`;
}

/**
 * Records a problem if `<stack>-<host>` would not be a valid host name for some host of the pool;
 * `host` is its longest host name.
 */
export function checkStackName(stack: string, host: string, findings: Findings): void {
  const room = LABEL_MAX - host.length - 1;
  const example = stack.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+/, "").slice(0, room).replace(/-+$/, "") || "pool";
  const fix = `use a stack name of at most ${room} letters, digits and hyphens, starting with a letter or digit, e.g. ${example}: pulumi stack init ${example} (or pulumi stack rename ${example} while nothing is deployed)`;
  const hostname = `${stack}-${host}`;
  let why: string | undefined;
  if (!/^[A-Za-z0-9]/.test(stack)) why = "starts with a character a host name cannot start with";
  else if (/[^A-Za-z0-9-]/.test(stack)) why = `holds ${JSON.stringify(/[^A-Za-z0-9-]/.exec(stack)![0])}, which a host name cannot hold (letters, digits and hyphens only)`;
  else if (hostname.length > LABEL_MAX) why = `makes the host name ${hostname.slice(0, 20)}… ${hostname.length} characters long; a host name label holds at most ${LABEL_MAX}`;
  if (why) findings.problem("stack name", `${JSON.stringify(stack)} ${why}: each host's name is <stack>-<host> (e.g. ${JSON.stringify(hostname)})`, fix);
}
