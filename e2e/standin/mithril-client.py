#!/usr/bin/python3
"""A STAND-IN for mithril-client, for the stakepool kit's e2e run. It is not the client.

It accepts exactly the call the kit's mithril-bootstrap.sh makes (the real client's
`cardano-db download --include-ancillary --download-dir D latest`, with AGGREGATOR_ENDPOINT,
GENESIS_VERIFICATION_KEY and ANCILLARY_VERIFICATION_KEY in its environment), contacts nothing, and writes
a small chain database into D/db the way the real client lays one out (protocolMagicId, immutable/,
ledger/, volatile/). The first immutable file names this restore, so a later run can tell the same
database from a new one.
"""

import datetime
import os
import secrets
import sys

VERSION = "@VERSION@"
MAGIC = "@MAGIC@"
TAG = "[STAND-IN mithril-client %s, not the client]" % VERSION


def fail(message):
    print("%s ERROR: %s" % (TAG, message), file=sys.stderr, flush=True)
    sys.exit(2)


def main(args):
    if args == ["--version"]:
        print("mithril-client %s (STAND-IN for the stakepool kit's e2e run)" % VERSION)
        return 0
    positional, download_dir, ancillary, i = [], None, False, 0
    while i < len(args):
        if args[i] == "--download-dir" and i + 1 < len(args):
            download_dir, i = args[i + 1], i + 2
        elif args[i] == "--include-ancillary":
            ancillary, i = True, i + 1
        elif args[i].startswith("-"):
            fail("unexpected argument '%s'" % args[i])
        else:
            positional.append(args[i])
            i += 1
    if positional != ["cardano-db", "download", "latest"]:
        fail("expected `cardano-db download ... latest`, got %s" % " ".join(positional))
    if download_dir is None:
        fail("--download-dir is required")
    aggregator = os.environ.get("AGGREGATOR_ENDPOINT", "")
    if not aggregator.startswith("https://"):
        fail("AGGREGATOR_ENDPOINT is %r, not an https URL" % aggregator)
    if not os.environ.get("GENESIS_VERIFICATION_KEY"):
        fail("GENESIS_VERIFICATION_KEY is empty")
    if ancillary and not os.environ.get("ANCILLARY_VERIFICATION_KEY"):
        fail("--include-ancillary needs ANCILLARY_VERIFICATION_KEY")
    print("%s not contacting %s: writing a stand-in snapshot" % (TAG, aggregator), flush=True)

    db = os.path.join(download_dir, "db")
    for sub in ("immutable", "ledger/100", "volatile"):
        os.makedirs(os.path.join(db, sub), exist_ok=True)
    with open(os.path.join(db, "protocolMagicId"), "w", encoding="utf-8") as handle:
        handle.write(MAGIC)
    restore = "stand-in snapshot %s restored %s" % (secrets.token_hex(8), datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"))
    with open(os.path.join(db, "immutable", "00000.chunk"), "w", encoding="utf-8") as handle:
        handle.write(restore + "\n")
    for name in ("00000.primary", "00000.secondary"):
        open(os.path.join(db, "immutable", name), "w", encoding="utf-8").close()
    with open(os.path.join(db, "ledger", "100", "state"), "w", encoding="utf-8") as handle:
        handle.write("stand-in ledger state%s\n" % (" (ancillary)" if ancillary else ""))
    print("%s wrote %s: %s" % (TAG, db, restore), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
