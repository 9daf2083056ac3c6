/**
 * DNS names registered for relays (`--single-host-pool-relay NAME`, `--multi-host-pool-relay NAME`).
 * The ledger stores them as text; hardware wallets sign at most 64 bytes, so the kit keeps every name
 * within 64 bytes and to hostname syntax (RFC 1123 labels), with at least two labels and a non-numeric
 * top-level label, so that an IP address or a typo is not registered as a name.
 */
import type { Findings } from "../config/problems";

/** Longest relay DNS name the kit registers, for hardware-wallet compatibility. */
export const RELAY_DNS_MAX_BYTES = 64;

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const SRV_LABEL = /^_[A-Za-z0-9](?:[A-Za-z0-9-]{0,60}[A-Za-z0-9])?$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** How the name will be registered. */
export interface RelayDnsOptions {
  /** An SRV name (`--multi-host-pool-relay`): leading `_service._proto` labels are allowed. */
  readonly srv?: boolean;
}

/** Why `name` cannot be registered, or undefined if it can. */
export function relayDnsNameError(name: string, options: RelayDnsOptions = {}): string | undefined {
  if (name === "") return "is empty";
  if (!/^[\x21-\x7e]+$/.test(name)) return "must be plain ASCII without spaces (use the punycode xn-- form of an internationalised name)";
  const bytes = Buffer.byteLength(name, "utf8");
  if (bytes > RELAY_DNS_MAX_BYTES) {
    return `is ${bytes} bytes long; hardware wallets refuse to sign a registration with a relay name over ${RELAY_DNS_MAX_BYTES} bytes`;
  }
  if (IPV4.test(name) || name.includes(":")) return "is an IP address, not a DNS name: register it with --pool-relay-ipv4/--pool-relay-ipv6";
  if (name.endsWith(".")) return "ends with a dot; register the name without the final dot";
  const labels = name.split(".");
  if (labels.length < 2) return "is a single label; register a fully qualified name such as relay1.example.com";
  let leadingSrv = options.srv === true;
  for (const label of labels) {
    if (leadingSrv && SRV_LABEL.test(label)) continue;
    leadingSrv = false;
    if (!LABEL.test(label)) {
      return `has an invalid label ${JSON.stringify(label)}: labels are 1–63 letters, digits or hyphens, not starting or ending with a hyphen`;
    }
  }
  if (/^\d+$/.test(labels[labels.length - 1]!)) return "ends in a numeric label, so it is not a DNS name";
  return undefined;
}

/** Records a problem under `setting` if `name` cannot be registered; returns whether it can. */
export function checkRelayDnsName(name: string, setting: string, findings: Findings, options: RelayDnsOptions = {}): boolean {
  const error = relayDnsNameError(name, options);
  if (error === undefined) return true;
  findings.problem(setting, `${JSON.stringify(name)} ${error}`, `use a name of at most ${RELAY_DNS_MAX_BYTES} bytes such as relay1.example.com`);
  return false;
}
