#!/usr/bin/python3
"""A STAND-IN for cardano-node, for the stakepool kit's e2e run (npm run e2e). It is not the node.

It does what the real node checks, and nothing more, so that a pool in a box proves the kit's files,
paths, permissions, signals and firewall:
- parses `run` and its flags (cardano-node `Cardano/Node/Parsers.hs`); an unknown flag is an error;
- reads the configuration and every genesis file it names (relative to the configuration's folder), and
  the network magic from the Shelley genesis;
- refuses a VRF key readable by others, warns about group bits (cardano-node `Run.hs`
  `checkVRFFilePermissions`; not re-checked on SIGHUP);
- checks the topology, the peer snapshot it names, the kit's settings and the key files with the kit's
  own rules (components/node/rules, transpiled: checker.js beside this file); a bad snapshot is fatal in
  GenesisMode and ignored in PraosMode (cardano-node `Run.hs` `updateLedgerPeerSnapshot`);
- opens the database folder (creates it when missing), checks its protocolMagicId marker
  (ouroboros-consensus `Node/DbMarker.hs`: a non-empty folder without the marker, or another network's
  marker, is refused), holds db/lock, and removes the `clean` marker at start / writes it on a clean
  shutdown (ouroboros-consensus `Node/Recovery.hs`);
- listens on --host-addr/--port (and --host-ipv6-addr), on --socket-path, and serves Prometheus metrics
  at the first `PrometheusSimple` backend of TraceOptions[""] (trace-dispatcher `parsePrometheusString`;
  127.0.0.1 when no host is given), with the new tracing system's metric names;
- on SIGHUP re-reads the forging credentials, the topology and the peer snapshot, and logs it
  (cardano-node `Run.hs` `installSigHUPHandler`); config.json is not re-read;
- on SIGINT (the unit's KillSignal) or SIGTERM closes everything, writes the clean marker and exits 0.
It neither syncs nor forges. Every line it logs says it is a stand-in.
"""

import calendar
import fcntl
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = "@VERSION@"
HERE = os.path.dirname(os.path.realpath(__file__))
CHECKER = os.path.join(HERE, "..", "libexec", "stakepool-e2e", "e2e", "standin", "checker.js")
TAG = "[STAND-IN cardano-node %s, not the node]" % VERSION

# `cardano-node run` flags that take a value (cardano-node Parsers.hs `nodeRunParser`); the kit uses some.
VALUE_FLAGS = {
    "--config", "--topology", "--database-path", "--immutable-database-path", "--volatile-database-path",
    "--socket-path", "--host-addr", "--host-ipv6-addr", "--port", "--shelley-kes-key", "--shelley-vrf-key",
    "--shelley-operational-certificate", "--byron-delegation-certificate", "--byron-signing-key",
    "--bulk-credentials-file", "--tracer-socket-path-accept", "--tracer-socket-path-connect",
    "--shutdown-ipc", "--shutdown-on-slot-synced", "--shutdown-on-block-synced", "--mempool-capacity-override",
}
SWITCHES = {"--validate-db", "--start-as-non-producing-node", "--no-mempool-capacity-override", "--non-producing-node"}
KEY_FLAGS = ("--shelley-kes-key", "--shelley-vrf-key", "--shelley-operational-certificate")


def log(message):
    print("%s %s" % (TAG, message), flush=True)


def die(message):
    log("FATAL: " + message)
    sys.exit(1)


def parse_run(argv):
    flags = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in SWITCHES:
            flags[arg] = True
            i += 1
        elif arg in VALUE_FLAGS:
            if i + 1 >= len(argv):
                die("Missing: %s ARG" % arg)
            flags[arg] = argv[i + 1]
            i += 2
        else:
            die("Invalid option `%s'" % arg)
    for required in ("--config", "--topology", "--database-path", "--socket-path"):
        if required not in flags:
            die("Missing: %s FILEPATH" % required)
    given = [f for f in KEY_FLAGS if f in flags]
    if given and len(given) != len(KEY_FLAGS):
        die("forging needs all of %s; given: %s" % (", ".join(KEY_FLAGS), ", ".join(given)))
    return flags


def read_json(path, what):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as error:
        die("cannot read %s %s: %s" % (what, path, error))


def prometheus_address(config):
    """The first PrometheusSimple backend of TraceOptions[""]: (nosuffix, host, port), or None."""
    backends = (config.get("TraceOptions") or {}).get("", {}).get("backends", [])
    for backend in backends:
        words = backend.split()
        if not words or words[0] != "PrometheusSimple":
            continue
        args = words[1:]
        nosuffix, host = False, "127.0.0.1"
        if len(args) == 1:
            port = args[0]
        elif len(args) == 2:
            if args[0] in ("suffix", "nosuffix"):
                nosuffix = args[0] == "nosuffix"
            else:
                host = args[0]
            port = args[1]
        elif len(args) == 3:
            if args[0] not in ("suffix", "nosuffix"):
                die("invalid modifier for PrometheusSimple: %r" % args[0])
            nosuffix, host, port = args[0] == "nosuffix", args[1], args[2]
        else:
            die("unknown backend: %r" % backend)
        if not port.isdigit() or not 0 < int(port) < 65536:
            die("invalid PrometheusSimple port: %r" % port)
        return nosuffix, host, int(port)
    return None


class Node:
    def __init__(self, flags):
        self.flags = flags
        self.started = time.time()
        self.sighups = 0
        self.forging = None  # the opcert the node forges with, or None
        self.lock = threading.Lock()
        self.sockets = []
        self.metrics_server = None

        config_path = flags["--config"]
        self.config = read_json(config_path, "the configuration")
        folder = os.path.dirname(os.path.abspath(config_path))
        for key in sorted(k for k in self.config if k.endswith("GenesisFile") or k == "CheckpointsFile"):
            path = os.path.join(folder, self.config[key])
            if not os.path.isfile(path):
                die("%s: %s does not exist" % (key, path))
        shelley = read_json(os.path.join(folder, self.config["ShelleyGenesisFile"]), "the Shelley genesis")
        self.magic = shelley["networkMagic"]
        self.timing = shelley
        self.genesis_mode = self.config.get("ConsensusMode") == "GenesisMode"
        log("configuration %s: network magic %s, %s" % (config_path, self.magic, self.config.get("ConsensusMode", "PraosMode")))

    # -- files ------------------------------------------------------------------------------------
    def check_files(self, with_keys):
        request = {"magic": self.magic, "topology": self.flags["--topology"], "config": self.flags["--config"]}
        if with_keys and "--shelley-kes-key" in self.flags:
            request["keys"] = {
                "kes": self.flags["--shelley-kes-key"],
                "vrf": self.flags["--shelley-vrf-key"],
                "opcert": self.flags["--shelley-operational-certificate"],
            }
        # --jitless: under QEMU's TCG, V8's JIT makes Node.js start in 6-8 s instead of about 1.
        done = subprocess.run(["node", "--jitless", CHECKER, json.dumps(request)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            die("the file checker failed: %s" % done.stderr.strip())
        return json.loads(done.stdout)

    def check_vrf_permissions(self):
        path = self.flags["--shelley-vrf-key"]
        try:
            mode = os.stat(path).st_mode
        except OSError as error:
            die("%s" % error)
        if mode & (stat.S_IROTH | stat.S_IWOTH | stat.S_IXOTH):
            die('VRF private key file at: %s has "other" file permissions. Please remove all "other" file permissions.' % path)
        if mode & (stat.S_IRGRP | stat.S_IWGRP | stat.S_IXGRP):
            log('WARNING: VRF private key file at: %s has "group" file permissions. Please remove all "group" file permissions.' % path)

    def apply_topology(self, answer, fatal):
        topology = answer["topology"]
        problems = topology["problems"]
        if problems:
            message = "topology %s refused: %s" % (self.flags["--topology"], "; ".join(problems))
            if fatal:
                die(message)
            log("ERROR: %s (the previous topology stays)" % message)
            return False
        log("topology %s: %d local root groups, %d public roots" % (self.flags["--topology"], topology["localRootGroups"], topology["publicRoots"]))
        snapshot = answer.get("snapshot")
        if snapshot is not None:
            if snapshot["problems"]:
                message = "peer snapshot %s: %s" % (snapshot["file"], "; ".join(snapshot["problems"]))
                if fatal and self.genesis_mode:
                    die(message)
                log("ERROR: %s (ignored)" % message)
            else:
                log("peer snapshot %s: %d big ledger pools at slot %s" % (snapshot["file"], snapshot["pools"], snapshot.get("slot")))
        return True

    def apply_keys(self, answer, fatal):
        if "--shelley-kes-key" not in self.flags:
            return
        missing = [self.flags[f] for f in KEY_FLAGS if not os.path.exists(self.flags[f])]
        if missing:
            if fatal:
                die("FileDoesNotExistError: %s" % ", ".join(missing))
            self.forging = None
            log("BlockForgingUpdate DisabledBlockForging (missing: %s)" % ", ".join(missing))
            return
        keys = answer["keys"]
        if keys["problems"]:
            message = "the forging credentials are refused: %s" % "; ".join(keys["problems"])
            if fatal:
                die(message)
            log("BlockForgingUpdateError: %s (the previous credentials stay)" % message)
            return
        self.forging = keys["opcert"]
        log("BlockForgingUpdate EnabledBlockForging: opcert #%d from KES period %d" % (self.forging["counter"], self.forging["startKesPeriod"]))

    # -- database ---------------------------------------------------------------------------------
    def open_database(self):
        db = self.flags["--database-path"]
        os.makedirs(db, exist_ok=True)
        marker = os.path.join(db, "protocolMagicId")
        entries = [e for e in os.listdir(db) if e not in ("node.socket",)]
        if os.path.exists(marker):
            with open(marker, encoding="utf-8") as handle:
                found = handle.read().strip()
            if found != str(self.magic):
                die("DbMarkerError: ProtocolMagicIdMismatch: %s holds %s, the node runs with %s" % (marker, found, self.magic))
        elif entries:
            die("DbMarkerError: NoDbMarkerAndNotEmpty: %s" % db)
        else:
            with open(marker, "w", encoding="utf-8") as handle:
                handle.write("%s" % self.magic)
        for sub in ("immutable", "volatile", "ledger"):
            os.makedirs(os.path.join(db, sub), exist_ok=True)
        self.lock_file = open(os.path.join(db, "lock"), "w", encoding="utf-8")
        try:
            fcntl.flock(self.lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            die("DbLocked: %s is in use by another node" % db)
        clean = os.path.join(db, "clean")
        if os.path.exists(clean):
            os.remove(clean)
            state = "the previous run shut down cleanly"
        else:
            state = "no clean-shutdown marker (the real node would revalidate)"
        chunks = sorted(os.listdir(os.path.join(db, "immutable")))
        identity = ""
        first = os.path.join(db, "immutable", "00000.chunk")
        if os.path.exists(first):
            with open(first, encoding="utf-8", errors="replace") as handle:
                identity = handle.read().strip()
        log("database %s: %d immutable files, %s; first chunk: %s" % (db, len(chunks), state, identity or "none"))

    def close_database(self):
        db = self.flags["--database-path"]
        with open(os.path.join(db, "clean"), "w", encoding="utf-8"):
            pass

    # -- listeners --------------------------------------------------------------------------------
    def listen(self):
        port = int(self.flags.get("--port", "0"))
        families = []
        if "--host-addr" in self.flags:
            families.append((socket.AF_INET, self.flags["--host-addr"]))
        if "--host-ipv6-addr" in self.flags:
            families.append((socket.AF_INET6, self.flags["--host-ipv6-addr"]))
        if not families:
            families = [(socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")]
        for family, host in families:
            server = socket.socket(family, socket.SOCK_STREAM)
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                server.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            server.bind((host, port))
            server.listen(64)
            self.sockets.append(server)
            threading.Thread(target=self.accept, args=(server,), daemon=True).start()
            log("listening on %s port %d" % (host, server.getsockname()[1]))
        path = self.flags["--socket-path"]
        if os.path.exists(path):
            os.remove(path)
        local = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        local.bind(path)
        local.listen(8)
        self.sockets.append(local)
        threading.Thread(target=self.accept, args=(local,), daemon=True).start()
        log("local socket %s" % path)

    def accept(self, server):
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.close()

    def serve_metrics(self):
        address = prometheus_address(self.config)
        if address is None:
            log("no PrometheusSimple backend in TraceOptions[\"\"]: no metrics endpoint")
            return
        nosuffix, host, port = address
        node = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = node.metrics(nosuffix).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        ThreadingHTTPServer.address_family = family
        self.metrics_server = ThreadingHTTPServer((host, port), Handler)
        threading.Thread(target=self.metrics_server.serve_forever, daemon=True).start()
        log("Prometheus metrics on %s:%d" % (host, port))

    def current_kes_period(self):
        # Shelley from slot 0 (preview): the slot is the seconds since systemStart over slotLength.
        start = calendar.timegm(time.strptime(self.timing["systemStart"], "%Y-%m-%dT%H:%M:%SZ"))
        slot = int((time.time() - start) / self.timing["slotLength"])
        return slot // self.timing["slotsPerKESPeriod"]

    def metrics(self, nosuffix):
        suffix = "" if nosuffix else "_int"
        values = [("node_start_time", int(self.started)), ("forging_enabled", 1 if self.forging else 0)]
        if self.forging:
            start = self.forging["startKesPeriod"]
            expiry = start + self.timing["maxKESEvolutions"]
            current = self.current_kes_period()
            values += [
                ("operationalCertificateStartKESPeriod", start),
                ("operationalCertificateExpiryKESPeriod", expiry),
                ("currentKESPeriod", current),
                ("remainingKESPeriods", max(0, expiry - current)),
                ("blocksForged", 0),
                ("slotsMissed", 0),
                ("nodeCannotForge", 0),
            ]
        lines = ["# %s: the new tracing system's metric names; the values are the stand-in's" % TAG]
        lines += ["cardano_node_metrics_%s%s %d" % (name, suffix, value) for name, value in values]
        return "\n".join(lines) + "\n"

    # -- life -------------------------------------------------------------------------------------
    def start(self):
        if "--shelley-vrf-key" in self.flags:
            self.check_vrf_permissions()
        answer = self.check_files(with_keys=True)
        if answer["settings"]["problems"]:
            die("the configuration's peer settings are refused: %s" % "; ".join(answer["settings"]["problems"]))
        self.apply_topology(answer, fatal=True)
        self.open_database()
        self.apply_keys(answer, fatal=True)
        self.listen()
        self.serve_metrics()
        log("started (pid %d)" % os.getpid())

    def reload(self):
        self.sighups += 1
        log("SIGHUP #%d: re-reading the forging credentials, the topology and the peer snapshot" % self.sighups)
        answer = self.check_files(with_keys=True)
        self.apply_keys(answer, fatal=False)
        self.apply_topology(answer, fatal=False)
        log("SIGHUP #%d handled" % self.sighups)

    def stop(self, name):
        log("%s: shutting down" % name)
        if self.metrics_server is not None:
            self.metrics_server.shutdown()
        for server in self.sockets:
            server.close()
        path = self.flags["--socket-path"]
        if os.path.exists(path):
            os.remove(path)
        self.close_database()
        log("shut down cleanly (clean marker written)")


def main(argv):
    if argv[1:] == ["--version"] or argv[1:] == ["version"]:
        print("cardano-node %s - linux-x86_64 - ghc-9.6 (STAND-IN for the stakepool kit's e2e run, not the node)" % VERSION)
        return 0
    if len(argv) < 2 or argv[1] != "run":
        die("usage: cardano-node run FLAGS (this stand-in knows only run and --version)")
    log("starting; this is a stand-in that checks files, keys, ports and signals like the node, and neither syncs nor forges")
    flags = parse_run(argv[2:])
    handled = {signal.SIGHUP, signal.SIGINT, signal.SIGTERM}
    # Blocked before any thread starts, so only the main loop receives them.
    signal.pthread_sigmask(signal.SIG_BLOCK, handled)
    node = Node(flags)
    node.start()
    while True:
        received = signal.sigwait(handled)
        if received == signal.SIGHUP:
            node.reload()
        else:
            node.stop(signal.Signals(received).name)
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
