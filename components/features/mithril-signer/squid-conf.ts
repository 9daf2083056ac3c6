/**
 * The forward proxy ("Mithril relay") on a proxy relay: squid admitting only the core, only CONNECT to
 * the aggregator's host on 443, nothing else.
 *
 * Tighter than the Mithril docs (run-signer-node.md, "Configuring the Squid proxy"), which admit any
 * method to any host of the `.mithril.network` domain on 443:
 * - one host, the aggregator's of this network (./destinations.ts: the only host the signer contacts),
 *   matched by name without reverse lookups (`dstdomain -n`), so neither a sibling host of the domain nor
 *   an address whose reverse DNS claims the name gets through;
 * - CONNECT only: the signer speaks https, which reqwest tunnels through an http proxy with CONNECT, so
 *   squid never sees (and cannot leak) the signer's own HTTP headers; plain-http requests are refused.
 *   The docs' `request_header_access` list only concerns plain-http requests, so it is not needed.
 * - it listens on the relay's private address only.
 * Kept from the docs: `forwarded_for delete`, `via off`, `follow_x_forwarded_for deny all`,
 * `cache deny all`. Every directive is accepted by `squid -k parse` of Debian 12's squid 5.7 (the tests)
 * and is documented for squid 6, which Ubuntu 24.04 ships (squid-cache/squid `src/cf.data.pre` at
 * SQUID_6_6 and SQUID_6_14: the directives, `acl dstdomain [-n]`, `acl http_status`, and
 * `access_log <module>:<place> [option ...] [acl acl ...]`).
 */
import { aggregatorDestination } from "./destinations";
import { checkSignerInput, RELAY_PROXY_PORT, type MithrilSignerInput } from "./input";

export function renderSquidConfig(input: MithrilSignerInput, relayIp: string): string {
  checkSignerInput(input);
  if (!input.proxyRelayIps.includes(relayIp)) throw new Error(`${relayIp} is not one of the proxy relays (${input.proxyRelayIps.join(", ")})`);
  const aggregator = aggregatorDestination(input.network);
  return [
    `# Forward proxy for the Mithril signer on the core (${input.network.name}). Rendered by the stakepool kit: do not edit.`,
    `# Admits only ${input.coreIp}, only CONNECT to ${aggregator.host}:${aggregator.port}; no cache, no forwarded-for.`,
    "",
    "# The relay's private address only: the core is the only client, on the pool's network.",
    `http_port ${relayIp}:${RELAY_PROXY_PORT}`,
    "",
    `acl core src ${input.coreIp}/32`,
    "# The aggregator's host, exactly; -n: never a reverse lookup of an address.",
    `acl aggregator dstdomain -n ${aggregator.host}`,
    `acl aggregator_port port ${aggregator.port}`,
    "acl CONNECT method CONNECT",
    "http_access allow CONNECT core aggregator aggregator_port",
    "http_access deny all",
    "icp_access deny all",
    "htcp_access deny all",
    "",
    "# Nothing is cached or kept on disk.",
    "cache deny all",
    "cache_mem 0 MB",
    "netdb_filename none",
    "pid_filename none",
    "",
    "# The core's address never leaves the relay.",
    "forwarded_for delete",
    "via off",
    "follow_x_forwarded_for deny all",
    "",
    "# No other listener.",
    "icp_port 0",
    "htcp_port 0",
    "snmp_port 0",
    "",
    "# Logs: refused requests only (to the journal, through syslog); squid's own messages at level 1 go",
    "# to stderr (the unit runs it with -d 1), so nothing is written to disk.",
    "acl refused http_status 403",
    "access_log syslog:daemon.info squid refused",
    "cache_log /dev/null",
    "",
    "# A restart (a changed configuration) does not wait for open tunnels: the signer retries.",
    "shutdown_lifetime 1 seconds",
    "",
  ].join("\n");
}
