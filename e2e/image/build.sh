#!/usr/bin/env bash
# Builds the e2e guest image: a Debian 12 root file system (debootstrap) with what the kit's steps need
# already installed, so that no guest ever needs a package mirror. Run by e2e/image.ts under a lock, into
# a cache folder keyed by a hash of this script and its inputs (never inside the repository).
#
#   build.sh <output dir> <mirror> <package,package,...>
#
# Writes <output dir>/root.img (ext4, label "root", the tree itself: no partition table, no bootloader),
# vmlinuz and initrd.img (booted directly by QEMU) and manifest.txt (what went in), then renames the
# folder into place, so a half-built image is never used.
#
# What differs from an Ubuntu EC2 image, on purpose and only for the test:
# - the `ubuntu` admin user comes from cloud-init's default_user, exactly as Ubuntu's cloud.cfg makes it
#   (passwordless sudo, locked password); the key comes from the NoCloud meta-data (EC2: the key pair);
# - cloud-init reads only NoCloud (the seed is written into each guest's copy of this image);
# - a udev rule names a virtio disk whose serial is an EBS volume id the way udev names an EBS NVMe
#   volume on EC2 (see 61-e2e-ebs-name.rules below); the kit's data-volume.sh looks for that name;
# - nodejs, for the stand-in node's file checker (the kit's own rules, transpiled: e2e/standin/).
set -euo pipefail

out=${1:?output dir}
mirror=${2:?mirror}
packages=${3:?packages}

if [[ -f $out/root.img ]]; then
  echo "image: $out already built" >&2
  exit 0
fi

stage=$(mktemp -d "$(dirname "$out")/.build-XXXXXX")
root=$stage/root
cleanup() {
  # A chroot's mounts must go before its tree does.
  for m in proc sys dev/pts dev; do umount -l "$root/$m" 2>/dev/null || true; done
  rm -rf -- "$stage"
}
trap cleanup EXIT

started=$(date +%s)
echo "image: debootstrap bookworm from $mirror" >&2
# python3-cffi-backend: without it debootstrap leaves cloud-init unconfigured (facts/vm.md).
debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" >"$stage/debootstrap.log" 2>&1 || {
  tail -n 40 "$stage/debootstrap.log" >&2
  echo "image: debootstrap failed" >&2
  exit 1
}

# Anything left unconfigured (a dependency debootstrap could not resolve) fails the build here, not at boot.
if chroot "$root" dpkg --audit | grep -q .; then
  chroot "$root" dpkg --audit >&2
  echo "image: packages left unconfigured" >&2
  exit 1
fi

echo "image: configuring" >&2
printf 'LABEL=root / ext4 defaults,noatime 0 1\n' >"$root/etc/fstab"
printf 'e2e-unconfigured\n' >"$root/etc/hostname"
# ifupdown reads cloud-init's rendering from interfaces.d.
printf 'source /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n' >"$root/etc/network/interfaces"
# The root account cannot log in; the admin user is made by cloud-init at first boot.
chroot "$root" passwd -l root >/dev/null

mkdir -p "$root/etc/cloud/cloud.cfg.d" "$root/var/lib/cloud/seed/nocloud"
cat >"$root/etc/cloud/cloud.cfg.d/90-e2e.cfg" <<'EOF'
# e2e guest image (stakepool kit): NoCloud only, seeded in /var/lib/cloud/seed/nocloud of each guest.
datasource_list: [NoCloud, None]
# Ubuntu's images ship a generated locale; C.UTF-8 needs no generation at boot.
locale: C.UTF-8
# The admin user of Ubuntu's cloud images (Ubuntu's /etc/cloud/cloud.cfg), which the kit logs in as.
system_info:
  default_user:
    name: ubuntu
    lock_passwd: true
    gecos: Ubuntu
    groups: [adm, sudo]
    sudo: ["ALL=(ALL) NOPASSWD:ALL"]
    shell: /bin/bash
EOF

# On EC2, udev's 60-persistent-storage.rules names an EBS volume from its NVMe model ("Amazon Elastic Block
# Store") and serial (the volume id without its dash): /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol….
# QEMU 7.2's NVMe controller cannot take that model name (its model is fixed), so the test attaches the
# data disk as virtio-blk with the volume id as its serial, and this rule gives it the EC2 name from that
# serial. Test only: nothing of the kit is in this image.
cat >"$root/etc/udev/rules.d/61-e2e-ebs-name.rules" <<'EOF'
# e2e only: a virtio disk whose serial is an EBS volume id gets the name udev gives that volume on EC2.
KERNEL=="vd*[!0-9]", ENV{DEVTYPE}=="disk", ATTRS{serial}=="vol[0-9a-f]*", SYMLINK+="disk/by-id/nvme-Amazon_Elastic_Block_Store_$attr{serial}"
EOF

# The kit's steps install these packages and start their services themselves (the monitoring host's
# Prometheus, Alertmanager and node_exporter, node_exporter on every host, a proxy relay's squid): here they
# are preinstalled only because no guest reaches a mirror, so a guest boots with them stopped and disabled,
# like a server where the kit has not installed them yet. A unit missing here fails the build.
chroot "$root" systemctl disable prometheus.service prometheus-alertmanager.service prometheus-node-exporter.service squid.service >/dev/null 2>&1 ||
  { echo "image: could not disable the services of the kit's packages" >&2; exit 1; }

# No package mirror is reachable from a guest: keep apt's timers from trying at boot (they would only fail
# later, but they take the dpkg lock the kit's system step waits for).
chroot "$root" systemctl mask apt-daily.timer apt-daily-upgrade.timer >/dev/null 2>&1

kernel=$(find "$root/boot" -maxdepth 1 -name 'vmlinuz-*' | sort | tail -n 1)
initrd=$(find "$root/boot" -maxdepth 1 -name 'initrd.img-*' | sort | tail -n 1)
[[ -n $kernel && -n $initrd ]] || { echo "image: no kernel or initrd in /boot" >&2; exit 1; }
cp "$kernel" "$stage/vmlinuz"
cp "$initrd" "$stage/initrd.img"

{
  echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(($(date +%s) - started)) s"
  echo "mirror: $mirror"
  echo "kernel: $(basename "$kernel")"
  chroot "$root" dpkg-query -W -f='${Package} ${Version}\n'
} >"$stage/manifest.txt"

for m in proc sys dev/pts dev; do umount -l "$root/$m" 2>/dev/null || true; done
rm -rf -- "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
# 3 GiB, sparse: the OS, two node releases side by side and logs (the chain is on the data disk).
mkfs.ext4 -q -F -L root -d "$root" "$stage/root.img" 3G
rm -rf -- "$root"
mv -T -- "$stage" "$out"
trap - EXIT
echo "image: built $out in $(($(date +%s) - started)) s" >&2
