#!/bin/sh
# systemd-networkd as the DHCPv4 client of one lab namespace (run it as
# `ip netns exec <ns> unshare -m --propagation private sh networkd-client.sh`). Its mount namespace is its
# own: /run/systemd is a private tmpfs and /sys is read-only there, so networkd believes it runs in a
# container (it then takes links as they are instead of waiting for udev, systemd src/shared/udev-util.c
# udev_available) and nothing of the machine's own state is read or written.
set -eu
mount -t tmpfs -o mode=0755 none /run/systemd
mkdir -p /run/systemd/network /run/systemd/netif
chown systemd-network:systemd-network /run/systemd/netif
echo lab > /run/systemd/container
mount -o remount,bind,ro /sys
cat > /run/systemd/network/10-lab.network <<'NETWORK'
[Match]
Name=eth0
[Network]
DHCP=ipv4
LinkLocalAddressing=no
IPv6AcceptRA=no
[DHCPv4]
UseDNS=no
UseNTP=no
UseHostname=no
UseDomains=no
NETWORK
exec /lib/systemd/systemd-networkd
