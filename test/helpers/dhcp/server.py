#!/usr/bin/env python3
"""A minimal DHCPv4 server (RFC 2131) for one client on a lab link: offers one address with a short lease,
answers from the address it is bound to, the subnet's router (EC2's DHCP server answers from the subnet's
base + 1: "DHCPACK of <ip> from 10.0.0.1" on a 10.0.0.0/24 subnet), broadcast while the client has no
address and unicast once it renews. Logs every message it gets and sends.

Usage: server.py <interface> <server ip> <client ip> <netmask> <lease seconds> <log file>"""
import socket, struct, sys, time
iface, server_ip, client_ip, mask, lease = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
log = open(sys.argv[6], "a", buffering=1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
s.bind(("0.0.0.0", 67))
ip = socket.inet_aton
def options(data):
    out, i = {}, 240
    while i < len(data) and data[i] != 255:
        if data[i] == 0: i += 1; continue
        out[data[i]] = data[i + 2:i + 2 + data[i + 1]]; i += 2 + data[i + 1]
    return out
while True:
    data, (src, sport) = s.recvfrom(2048)
    if len(data) < 240 or data[236:240] != b"\x63\x82\x53\x63": continue
    opts = options(data)
    kind = opts.get(53, b"\x00")[0]
    xid, flags, ciaddr, chaddr = data[4:8], data[10:12], data[12:16], data[28:44]
    reply = {1: 2, 3: 5}.get(kind)  # DISCOVER -> OFFER, REQUEST -> ACK
    log.write(f"{time.monotonic():.3f} got {kind} from {src}:{sport} ciaddr={socket.inet_ntoa(ciaddr)}\n")
    if reply is None: continue
    body = struct.pack("!BBBB", 2, 1, 6, 0) + xid + b"\x00\x00" + flags + ciaddr + ip(client_ip) + ip(server_ip) + b"\x00" * 4 + chaddr + b"\x00" * 192
    body += b"\x63\x82\x53\x63"
    for code, value in [(53, bytes([reply])), (54, ip(server_ip)), (51, struct.pack("!I", lease)), (58, struct.pack("!I", lease // 2)),
                        (59, struct.pack("!I", lease * 7 // 8)), (1, ip(mask)), (3, ip(server_ip))]:
        body += bytes([code, len(value)]) + value
    body += b"\xff"
    to = socket.inet_ntoa(ciaddr) if ciaddr != b"\x00" * 4 else "255.255.255.255"
    s.sendto(body, (to, 68))
    log.write(f"{time.monotonic():.3f} sent {reply} to {to}\n")
