#!/usr/bin/env python3
"""Keeps a relay's SSH admin networks in step with its instance's tags.

    admin-sync.py

The host firewall admits SSH from the sets `admin_ipv4` / `admin_ipv6` of the table `inet stakepool`.
When the operator's address changes, the security group follows at once, but the host firewall can only
be re-delivered over SSH, which it refuses from the new address: this is the second path. `pulumi up`
writes the admin networks as instance tags (stakepool:admin-<n> = CIDR; a tag change never stops a
server); this script, run every 30 s by a timer, reads them through IMDSv2 and replaces each set's
elements in one nft transaction. It never empties a set, never admits a whole address family, and
touches nothing when the tags are unreadable: at worst it leaves the firewall as it was.
"""

import ipaddress
import json
import os
import re
import subprocess
import sys
import urllib.request

IMDS = os.environ.get("STAKEPOOL_IMDS_URL", "http://169.254.169.254")
STATE = os.environ.get("STAKEPOOL_ADMIN_SYNC_STATE", "/run/stakepool/admin-sync.json")
TAG = re.compile(r"^stakepool:admin-[0-9]{1,3}$")
TABLE = "inet stakepool"
SETS = {4: "admin_ipv4", 6: "admin_ipv6"}


def log(message):
    print(f"admin-sync: {message}", file=sys.stderr)


def imds(path, token=None, method="GET"):
    headers = {"X-aws-ec2-metadata-token": token} if token else {"X-aws-ec2-metadata-token-ttl-seconds": "60"}
    request = urllib.request.Request(f"{IMDS}{path}", method=method, headers=headers)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=3) as response:
        return response.read().decode("utf-8")


def tagged_networks():
    """The admin networks in the instance's tags, by IP version; None when they cannot be read."""
    try:
        token = imds("/latest/api/token", method="PUT")
        keys = [k for k in imds("/latest/meta-data/tags/instance", token).split("\n") if TAG.match(k)]
        values = [imds(f"/latest/meta-data/tags/instance/{k}", token).strip() for k in sorted(keys)]
    except (OSError, ValueError) as error:
        log(f"instance metadata did not answer ({error}); the firewall stays as it is")
        return None
    networks = {4: set(), 6: set()}
    for key, value in zip(sorted(keys), values):
        try:
            network = ipaddress.ip_network(value, strict=True)
        except ValueError:
            log(f"tag {key} holds {value!r}, not a network; ignored")
            continue
        if network.prefixlen == 0:
            log(f"tag {key} would admit the whole IPv{network.version} internet; ignored")
            continue
        networks[network.version].add(str(network))
    return networks


def set_exists(name):
    return subprocess.run(["nft", "list", "set", *TABLE.split(), name], capture_output=True).returncode == 0


def main():
    networks = tagged_networks()
    if networks is None:
        return 0
    try:
        with open(STATE, encoding="utf-8") as handle:
            applied = json.load(handle)
    except (OSError, ValueError):
        applied = {}
    wanted = {str(v): sorted(n) for v, n in networks.items() if n}
    if not wanted:
        log("no admin network in the instance's tags; the firewall keeps its own")
        return 0
    script = []
    for version, elements in sorted(wanted.items()):
        name = SETS[int(version)]
        if not set_exists(name):
            log(f"the firewall has no set {name} yet (it is delivered first); IPv{version} admin networks wait for it")
            continue
        script += [f"flush set {TABLE} {name}", f"add element {TABLE} {name} {{ {', '.join(elements)} }}"]
    if not script:
        return 0
    # One transaction: the sets are never seen empty or half-filled.
    result = subprocess.run(["nft", "-f", "-"], input="\n".join(script) + "\n", capture_output=True, text=True)
    if result.returncode != 0:
        log(f"nft refused the update: {result.stderr.strip()}")
        return 1
    if applied != wanted:
        log(f"admin networks now {', '.join(n for v in sorted(wanted) for n in wanted[v])}")
        os.makedirs(os.path.dirname(STATE), exist_ok=True)
        with open(STATE, "w", encoding="utf-8") as handle:
            json.dump(wanted, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
