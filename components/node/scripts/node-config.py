#!/usr/bin/env python3
"""Checks a release's network configuration and writes the configuration the node runs with.

    node-config.py <share/network folder> <kit config name> [<overlay file>]

The release's config.json names its genesis files relative to its own folder, so the kit's copy is
written beside it (same folder, other name) and every reference still resolves. The copy is the
release's config.json with the kit's per-host settings laid over it (the overlay, delivered over SSH
and shown in the plan as hosts/<host>/node-config.json) as a JSON merge patch (RFC 7386): a key of the
overlay replaces the release's value, an object merges key by key, null removes the key. Without an
overlay file the release's configuration is only checked, and copied unchanged.

The node's unit runs this before every start (ExecStartPre), so a restart always runs the current
release's configuration with the current overlay; install-node.sh runs it to check a new release.
"""

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


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def read_json_object(path, what):
    try:
        with open(path, encoding="utf-8") as handle:
            value = json.load(handle)
    except (OSError, ValueError) as error:
        fail(f"cannot read {what} {path}: {error}")
    if not isinstance(value, dict):
        fail(f"{what} {path} is not a JSON object")
    return value


def main(argv):
    if len(argv) not in (3, 4):
        fail("usage: node-config.py <share/network folder> <kit config name> [<overlay file>]")
    folder, kit_name = argv[1], argv[2]
    if os.sep in kit_name or kit_name in ("", "config.json"):
        fail(f"bad kit config name {kit_name!r}")

    config = read_json_object(os.path.join(folder, "config.json"), "the release's")
    for key in referenced_files(config):
        value = config[key]
        if not isinstance(value, str) or not os.path.isfile(os.path.join(folder, value)):
            fail(f"{key} names {value!r}, which is not in the release")

    if len(argv) == 4:
        overlay = read_json_object(argv[3], "the kit's node settings")
        genesis = [key for key in overlay if key.endswith("GenesisFile") or key.endswith("GenesisHash")]
        if genesis:
            fail(f"the node settings may not change {', '.join(sorted(genesis))}: genesis comes from the release")
        config = merge_patch(config, overlay)

    target = os.path.join(folder, kit_name)
    with open(target + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(config, handle, indent=2, sort_keys=True)
        handle.write("\n")
    os.chmod(target + ".tmp", 0o644)
    os.replace(target + ".tmp", target)


if __name__ == "__main__":
    main(sys.argv)
