#!/usr/bin/python3
"""A STAND-IN for mithril-signer, for the stakepool kit's e2e run. It is not the signer: it signs nothing.

It runs the way the kit's unit starts the real signer (`mithril-signer -vv --configuration-dir D`, every
setting in its environment) and does, each RUN_INTERVAL, what the real signer's network traffic looks like
to the pool's hosts and firewalls:

- it needs the settings the real signer has no default for, the node's socket (it connects to it), the KES
  key and operational certificate (it reads them, as the node's user), and its stores folder (it writes);
- it first tries the aggregator directly, at the address the host's /etc/hosts gives its name (a signer
  that ignored RELAY_ENDPOINT), and logs what the host said: the unit's IP filter must refuse it;
- then it reaches the aggregator as the real one does (reqwest's `Proxy::all(RELAY_ENDPOINT)`): an HTTP
  CONNECT to the proxy for <aggregator host>:443, TLS inside the tunnel with the host's trust store, then
  GET <AGGREGATOR_ENDPOINT>/epoch-settings and POST <AGGREGATOR_ENDPOINT>/register-signer;
- it serves the real signer's registration metrics (mithril-signer/src/metrics/service.rs names) on
  METRICS_SERVER_IP:METRICS_SERVER_PORT when ENABLE_METRICS_SERVER is true.
"""

import hashlib
import http.client
import http.server
import json
import os
import socket
import ssl
import sys
import threading
import time
import urllib.parse

VERSION = "@VERSION@"
TAG = "[STAND-IN mithril-signer %s, not the signer]" % VERSION

# Settings the real signer requires (mithril-signer/src/configuration.rs: no default) and the kit sets.
REQUIRED = (
    "AGGREGATOR_ENDPOINT", "CARDANO_CLI_PATH", "CARDANO_NODE_SOCKET_PATH", "DATA_STORES_DIRECTORY",
    "DB_DIRECTORY", "ERA_READER_ADAPTER_TYPE", "NETWORK", "RUN_INTERVAL",
)

METRICS = {
    "mithril_signer_signer_registration_success_since_startup": 0,
    "mithril_signer_signer_registration_total_since_startup": 0,
    "mithril_signer_signer_registration_success_last_epoch": 0,
    "mithril_signer_signature_registration_success_last_epoch": 0,
}


def log(message):
    print("%s %s" % (TAG, message), flush=True)


def fail(message):
    print("%s ERROR: %s" % (TAG, message), file=sys.stderr, flush=True)
    sys.exit(2)


def parse_args(args):
    configuration_dir, i = None, 0
    while i < len(args):
        if args[i] == "--configuration-dir" and i + 1 < len(args):
            configuration_dir, i = args[i + 1], i + 2
        elif args[i].startswith("-v") and set(args[i][1:]) == {"v"}:
            i += 1
        else:
            fail("unexpected argument '%s'" % args[i])
    if configuration_dir is None:
        fail("--configuration-dir is required")
    return configuration_dir


def check_settings():
    missing = [key for key in REQUIRED if not os.environ.get(key)]
    if missing:
        fail("missing settings: %s" % ", ".join(missing))
    aggregator = urllib.parse.urlsplit(os.environ["AGGREGATOR_ENDPOINT"])
    if aggregator.scheme != "https" or not aggregator.hostname:
        fail("AGGREGATOR_ENDPOINT %r is not an https URL" % os.environ["AGGREGATOR_ENDPOINT"])
    relay = urllib.parse.urlsplit(os.environ.get("RELAY_ENDPOINT", ""))
    if relay.scheme != "http" or not relay.hostname or not relay.port:
        fail("RELAY_ENDPOINT %r is not http://<address>:<port>" % os.environ.get("RELAY_ENDPOINT", ""))
    try:
        json.loads(os.environ.get("ERA_READER_ADAPTER_PARAMS", "{}"))
    except ValueError as error:
        fail("ERA_READER_ADAPTER_PARAMS is not JSON: %s" % error)
    int(os.environ["RUN_INTERVAL"])
    return aggregator, relay


def party_id():
    """Reads the keys the real signer reads; the stand-in's party id is a digest of the certificate."""
    for key in ("KES_SECRET_KEY_PATH", "OPERATIONAL_CERTIFICATE_PATH"):
        path = os.environ.get(key)
        if not path:
            fail("%s is not set: this core would sign as an unregistered party" % key)
        try:
            with open(path, "rb") as handle:
                content = handle.read()
        except OSError as error:
            fail("cannot read %s %s: %s" % (key, path, error.strerror))
    return "standin-" + hashlib.sha256(content).hexdigest()[:20]


def check_node_socket():
    path = os.environ["CARDANO_NODE_SOCKET_PATH"]
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(path)
    except OSError as error:
        # The real signer exits the same way until the node is up; systemd restarts it.
        fail("the node's socket %s: %s" % (path, error.strerror))
    finally:
        client.close()


def check_stores():
    stores = os.environ["DATA_STORES_DIRECTORY"]
    probe = os.path.join(stores, "stand-in-signer.state")
    with open(probe + ".new", "w", encoding="utf-8") as handle:
        handle.write("started %s\n" % time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    os.replace(probe + ".new", probe)


class Metrics(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the standard library's name)
        if self.path != "/metrics":
            self.send_error(404)
            return
        body = "".join("# TYPE %s counter\n%s %d\n" % (name, name, value) for name, value in sorted(METRICS.items())).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve_metrics():
    if os.environ.get("ENABLE_METRICS_SERVER") != "true":
        return
    address = (os.environ.get("METRICS_SERVER_IP", "0.0.0.0"), int(os.environ.get("METRICS_SERVER_PORT", "9090")))
    server = http.server.ThreadingHTTPServer(address, Metrics)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log("metrics on http://%s:%d/metrics" % address)


def try_direct(aggregator):
    """What a signer that ignored RELAY_ENDPOINT would do: the unit must not let it out."""
    port = aggregator.port or 443
    try:
        address = socket.getaddrinfo(aggregator.hostname, port, socket.AF_INET, socket.SOCK_STREAM)[0][4][0]
    except OSError as error:
        log("direct: %s does not resolve here (%s)" % (aggregator.hostname, error))
        return
    try:
        socket.create_connection((address, port), timeout=5).close()
        log("direct: CONNECTED to %s (%s):%d without the proxy" % (aggregator.hostname, address, port))
    except OSError as error:
        log("direct: %s (%s):%d refused: %s" % (aggregator.hostname, address, port, error.strerror or error))


def through_proxy(aggregator, relay, method, path, body=None):
    """One request the way reqwest makes it through `Proxy::all`: CONNECT to the proxy, then TLS inside."""
    connection = http.client.HTTPSConnection(relay.hostname, relay.port, timeout=15, context=ssl.create_default_context())
    # The tunnel's host is also the name TLS checks the certificate against (and sends as SNI).
    connection.set_tunnel(aggregator.hostname, aggregator.port or 443)
    try:
        payload = None if body is None else json.dumps(body).encode()
        connection.request(method, path, body=payload, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def cycle(aggregator, relay, party):
    try_direct(aggregator)
    base = aggregator.path.rstrip("/")
    METRICS["mithril_signer_signer_registration_total_since_startup"] += 1
    try:
        code, content = through_proxy(aggregator, relay, "GET", base + "/epoch-settings")
        if code != 200:
            raise OSError("epoch-settings answered %d" % code)
        epoch = int(json.loads(content)["epoch"])
        code, _ = through_proxy(aggregator, relay, "POST", base + "/register-signer", {"party_id": party, "epoch": epoch})
        if code not in (200, 201):
            raise OSError("register-signer answered %d" % code)
    except (OSError, ValueError, KeyError, ssl.SSLError) as error:
        log("through %s: registration failed: %s" % (os.environ["RELAY_ENDPOINT"], error))
        return
    METRICS["mithril_signer_signer_registration_success_since_startup"] += 1
    METRICS["mithril_signer_signer_registration_success_last_epoch"] = epoch
    log("through %s: registered %s with %s for epoch %d" % (os.environ["RELAY_ENDPOINT"], party, aggregator.hostname, epoch))


def main(args):
    if args == ["--version"]:
        print("mithril-signer %s (STAND-IN for the stakepool kit's e2e run)" % VERSION)
        return 0
    parse_args(args)
    aggregator, relay = check_settings()
    check_node_socket()
    party = party_id()
    check_stores()
    serve_metrics()
    log("started as uid %d; aggregator %s through %s" % (os.getuid(), os.environ["AGGREGATOR_ENDPOINT"], os.environ["RELAY_ENDPOINT"]))
    interval = int(os.environ["RUN_INTERVAL"]) / 1000.0
    while True:
        cycle(aggregator, relay, party)
        time.sleep(interval)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
