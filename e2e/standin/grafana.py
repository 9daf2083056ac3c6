#!/usr/bin/python3
"""A STAND-IN for Grafana's server binary, for the stakepool kit's e2e run. It is not Grafana.

It takes the call the kit's unit makes (`grafana server --homepath H --config C`), reads what Grafana
would read at start and refuses what Grafana would refuse: the ini's [server] address and port, its
[paths] (data and logs writable by this user, provisioning readable), the provisioned data sources and
dashboard providers, and every dashboard file the providers point at (JSON, with panels). Then it serves
GET /api/health (Grafana's answer shape) and GET /api/search (the provisioned dashboards' titles) on the
configured address, so the box can ask through the SSH tunnel the plan prints.
"""

import configparser
import glob
import http.server
import json
import os
import sys

VERSION = "@VERSION@"
TAG = "[STAND-IN grafana %s, not Grafana]" % VERSION


def fail(message):
    print("%s ERROR: %s" % (TAG, message), file=sys.stderr, flush=True)
    sys.exit(1)


def parse_args(args):
    if args == ["--version"] or args == ["-v"]:
        print("grafana version %s (STAND-IN for the stakepool kit's e2e run)" % VERSION)
        sys.exit(0)
    if not args or args[0] != "server":
        fail("expected `grafana server ...`, got %r" % args)
    flags, i = {}, 1
    while i < len(args):
        if args[i] in ("--homepath", "--config") and i + 1 < len(args):
            flags[args[i]], i = args[i + 1], i + 2
        else:
            fail("unexpected argument '%s'" % args[i])
    for required in ("--homepath", "--config"):
        if required not in flags:
            fail("%s is required" % required)
    return flags


def read_ini(path):
    parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(";", "#"))
    try:
        with open(path, encoding="utf-8") as handle:
            parser.read_file(handle)
    except (OSError, configparser.Error) as error:
        fail("cannot read %s: %s" % (path, error))
    return parser


def dashboards(provisioning):
    titles = []
    for provider_file in sorted(glob.glob(os.path.join(provisioning, "dashboards", "*.yaml"))):
        with open(provider_file, encoding="utf-8") as handle:
            text = handle.read()
        # The providers' `path:` lines (the stand-in reads the few keys it needs, not YAML in general).
        for line in text.splitlines():
            key, _, value = line.strip().partition(":")
            if key != "path":
                continue
            for dashboard in sorted(glob.glob(os.path.join(value.strip(), "*.json"))):
                try:
                    with open(dashboard, encoding="utf-8") as handle:
                        model = json.load(handle)
                except (OSError, ValueError) as error:
                    fail("dashboard %s: %s" % (dashboard, error))
                panels = model.get("panels") or []
                if not model.get("title") or not panels:
                    fail("dashboard %s has no title or no panels" % dashboard)
                titles.append({"title": model["title"], "uid": model.get("uid", ""), "panels": len(panels)})
    return titles


def main(args):
    flags = parse_args(args)
    if not os.path.isdir(flags["--homepath"]):
        fail("homepath %s is not a folder" % flags["--homepath"])
    ini = read_ini(flags["--config"])
    address = ini.get("server", "http_addr", fallback="0.0.0.0")
    port = ini.getint("server", "http_port", fallback=3000)
    for key in ("data", "logs"):
        folder = ini.get("paths", key, fallback="")
        if not folder or not os.access(folder, os.W_OK):
            fail("[paths] %s = %r is not writable by uid %d" % (key, folder, os.getuid()))
    provisioning = ini.get("paths", "provisioning", fallback="")
    sources = sorted(glob.glob(os.path.join(provisioning, "datasources", "*.yaml")))
    if not sources:
        fail("no data source provisioned under %s" % provisioning)
    found = dashboards(provisioning)
    if not found:
        fail("no dashboard provisioned under %s" % provisioning)
    print("%s provisioned %s; dashboards %s; listening on %s:%d" % (TAG, ", ".join(sources), json.dumps(found), address, port), flush=True)

    class Api(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            if self.path == "/api/health":
                body = {"commit": "stand-in", "database": "ok", "version": VERSION}
            elif self.path.startswith("/api/search"):
                body = [{"title": d["title"], "uid": d["uid"], "type": "dash-db"} for d in found]
            else:
                self.send_error(404)
                return
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    http.server.ThreadingHTTPServer((address, port), Api).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
