#!/usr/bin/env python3
"""Checks a release's network configuration and writes the kit's copy of it.

    node-config.py <share/network folder> <kit config name> <metrics host> <metrics port>

The release's config.json names its genesis files relative to its own folder, so the kit's copy is
written beside it (same folder, other name) and every reference still resolves. The copy differs in
one thing: the Prometheus listener of the new tracing system ("PrometheusSimple [suffix|nosuffix]
[host] port" in TraceOptions[""].backends) binds to the host's private address instead of 127.0.0.1,
so a scraper inside the VPC can read it while the security groups keep it off the internet.
"""

import ipaddress
import json
import os
import sys

REQUIRED_GENESIS = ("ByronGenesisFile", "ShelleyGenesisFile", "AlonzoGenesisFile", "ConwayGenesisFile")


def fail(message):
    print(f"node-config: {message}", file=sys.stderr)
    sys.exit(1)


def referenced_files(config):
    """Every file the node reads at start, by setting name."""
    names = {key for key in config if key.endswith("GenesisFile") or key == "CheckpointsFile"}
    missing = [key for key in REQUIRED_GENESIS if key not in config]
    if missing:
        fail(f"config.json names no {', '.join(missing)}")
    return sorted(names)


def prometheus_backend(original, host, port):
    words = original.split()
    modifier = words[1] if len(words) > 2 and words[1] in ("suffix", "nosuffix") else "suffix"
    return f"PrometheusSimple {modifier} {host} {port}"


def move_metrics(config, host, port):
    moved = False
    options = config.get("TraceOptions")
    if isinstance(options, dict) and isinstance(options.get(""), dict):
        root = options[""]
        backends = root.get("backends")
        if backends is None:
            backends = []
        if not isinstance(backends, list):
            fail('TraceOptions[""].backends is not a list')
        kept = [b for b in backends if not (isinstance(b, str) and b.split()[:1] == ["PrometheusSimple"])]
        old = [b for b in backends if b not in kept]
        root["backends"] = kept + [prometheus_backend(old[0] if old else "PrometheusSimple", host, port)]
        moved = True
    if "hasPrometheus" in config:  # legacy tracing (removed in node 11.1), for older releases
        config["hasPrometheus"] = [host, port]
        moved = True
    if not moved:
        fail('config.json has no TraceOptions[""] (new tracing) to bind the metrics listener in')


def main(argv):
    if len(argv) != 5:
        fail("usage: node-config.py <share/network folder> <kit config name> <metrics host> <metrics port>")
    folder, kit_name, host, port_text = argv[1:]
    try:
        host = str(ipaddress.IPv4Address(host))
        port = int(port_text)
    except ValueError as error:
        fail(f"bad metrics address: {error}")
    if not 0 < port < 65536:
        fail(f"bad metrics port {port}")
    if os.sep in kit_name or kit_name in ("", "config.json"):
        fail(f"bad kit config name {kit_name!r}")

    source = os.path.join(folder, "config.json")
    try:
        with open(source, encoding="utf-8") as handle:
            config = json.load(handle)
    except (OSError, ValueError) as error:
        fail(f"cannot read {source}: {error}")
    if not isinstance(config, dict):
        fail(f"{source} is not a JSON object")

    for key in referenced_files(config):
        value = config[key]
        if not isinstance(value, str) or not os.path.isfile(os.path.join(folder, value)):
            fail(f"{key} names {value!r}, which is not in the release")

    move_metrics(config, host, port)
    target = os.path.join(folder, kit_name)
    with open(target + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(config, handle, indent=2)
        handle.write("\n")
    os.replace(target + ".tmp", target)


if __name__ == "__main__":
    main(sys.argv)
