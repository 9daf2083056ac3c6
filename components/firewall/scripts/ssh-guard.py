#!/usr/bin/env python3
"""Refuses a host firewall that would shut out the SSH session applying it.

    ssh-guard.py PORT CIDR...

Run as root by the firewall delivery just before the new ruleset is loaded. PORT is the port the host's
sshd listens on and CIDR... the sources the new ruleset admits on it (the admin networks on a relay, the
relays' addresses on the core). The SSH sessions to this host are read from the kernel's sockets (ss);
when none of their peers is admitted, loading the ruleset would leave the next connection (every later
delivery, a KES rotation included) with no way in: the script says which address to add and exits 1, and
the ruleset is not loaded. With no SSH session to read (a console, a test), there is nothing to protect.
STAKEPOOL_SSH_PEERS (space-separated addresses) stands in for the kernel's list in tests.
"""

import ipaddress
import os
import subprocess
import sys


def ssh_peers(port):
    given = os.environ.get("STAKEPOOL_SSH_PEERS")
    if given is not None:
        return [p for p in given.split() if p]
    out = subprocess.run(
        ["ss", "-Htn", "state", "established", f"( sport = :{port} )"],
        check=True, capture_output=True, text=True,
    ).stdout
    peers = []
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 4:
            continue
        peer = fields[-1].rsplit(":", 1)[0].strip("[]")
        peers.append(peer.removeprefix("::ffff:"))
    return peers


def main(argv):
    if len(argv) < 2 or not argv[0].isdigit():
        print("usage: ssh-guard.py PORT CIDR...", file=sys.stderr)
        return 2
    port = int(argv[0])
    admitted = [ipaddress.ip_network(c, strict=False) for c in argv[1:]]
    peers = ssh_peers(port)
    if not peers:
        return 0
    def inside(peer):
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address.version == n.version and address in n for n in admitted)
    if any(inside(p) for p in peers):
        return 0
    shown = ", ".join(sorted(set(peers)))
    print(
        f"ssh-guard: the new firewall admits SSH on port {port} from {', '.join(argv[1:])} only, and this session "
        f"comes from {shown}: loading it would shut the kit out of this host. Nothing was changed. Add your "
        f"address to stakepool:adminCidrs (e.g. {sorted(set(peers))[0]}/32) and run pulumi up again.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
