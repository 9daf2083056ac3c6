#!/usr/bin/env bash
# Mounts the chain-data volume at DATA_MOUNT, formats it only when it is provably new, and grows its
# filesystem online when the volume grows (why and how: components/node/README.md, "The data volume").
#
# Where the chain data lives is one of (the backend decides, components/model/pool.ts DataDisk):
# - an EBS volume that outlives the instance: the instance tag DATA_VOLUME_TAG, read through IMDSv2; the
#   script waits at most DEVICE_WAIT_SECONDS for its NVMe name in DEVICE_BY_ID_DIR;
# - an operator's disk by its stable name DATA_DEVICE (/dev/disk/by-id/…), handled the same way;
# - DATA_FOLDER=true: a folder on the root disk, DATA_MOUNT itself, made and owned, nothing mounted.
# On a volume or disk, a filesystem
# is mounted as it is. Anything else is refused, unless it has no signature and `scan` reads only zeros:
# then it becomes ext4 labelled DATA_LABEL. The mount is in FSTAB by UUID with nofail; DATA_MOUNT belongs
# to NODE_USER. A second run changes nothing.
set -euo pipefail
SCRIPT_NAME=data-volume
LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$LIB_DIR/common.sh"

load_settings
require_settings DATA_MOUNT DB_DIR NODE_USER NODE_GROUP FSTAB DATA_LABEL SYSTEMCTL
if [[ ${DATA_FOLDER:-false} == true ]]; then
  [[ -z ${DATA_DEVICE:-}${DATA_VOLUME_TAG:-} ]] || die "DATA_FOLDER is true, yet a device or volume is set too"
elif [[ -n ${DATA_DEVICE:-} ]]; then
  [[ -z ${DATA_VOLUME_TAG:-} ]] || die "both DATA_DEVICE and DATA_VOLUME_TAG are set"
  # A stable name (the kit checks the setting: components/backends/ssh/inventory.ts); /dev/sdX may change.
  [[ $DATA_DEVICE =~ /dev/disk/by-id/[A-Za-z0-9._:+@-]+$ ]] || die "DATA_DEVICE '$DATA_DEVICE' is not a disk's stable name (/dev/disk/by-id/…)"
  require_settings DEVICE_WAIT_SECONDS
else
  require_settings DATA_VOLUME_TAG DEVICE_BY_ID_DIR DEVICE_WAIT_SECONDS
fi
take_lock

ensure_fstab() {
  local uuid=$1 fstype=$2 entry current
  entry="UUID=$uuid $DATA_MOUNT $fstype defaults,noatime,nofail 0 2"
  touch "$FSTAB"
  # Every other line stays; any older line for DATA_MOUNT gives way to this one.
  current=$(awk -v mp="$DATA_MOUNT" '$1 !~ /^#/ && $2 == mp' "$FSTAB")
  [[ $current == "$entry" ]] && return 0
  awk -v mp="$DATA_MOUNT" '!($1 !~ /^#/ && $2 == mp)' "$FSTAB" >"$FSTAB.stakepool.tmp"
  printf '%s\n' "$entry" >>"$FSTAB.stakepool.tmp"
  chmod 0644 "$FSTAB.stakepool.tmp"
  mv -f -- "$FSTAB.stakepool.tmp" "$FSTAB"
  log "recorded $DATA_MOUNT in $FSTAB"
  # Let systemd generate the mount unit now, so that the node's RequiresMountsFor= sees it.
  if [[ -d /run/systemd/system ]]; then "$SYSTEMCTL" daemon-reload; fi
}

ensure_ownership() {
  chown "$NODE_USER:$NODE_GROUP" "$DATA_MOUNT"
  chmod 0750 "$DATA_MOUNT"
  # A volume from a replaced server may carry another numeric owner: the node must own its database.
  if [[ -d $DB_DIR && $(stat -c %U "$DB_DIR") != "$NODE_USER" ]]; then
    log "giving $DB_DIR to $NODE_USER"
    chown -R "$NODE_USER:$NODE_GROUP" "$DB_DIR"
  fi
}

# Grows the filesystem online once the device is 64 MiB or more larger (EBS grows a volume in place, in
# GiB). A failure is a warning: the node keeps the space it had.
grow_online() {
  local source fstype device_bytes fs_bytes size=0 block=1 devid='' waited=0 wanted
  read -r source fstype < <(findmnt -n --nofsroot -o SOURCE,FSTYPE --mountpoint "$DATA_MOUNT") || return 0
  device_bytes=$(blockdev --getsize64 "$source") || return 0
  # The volume was just made larger (DATA_VOLUME_GIB, the size the kit asked the cloud for): the block
  # device grows a little after the cloud accepted the change, so wait for it, bounded.
  wanted=$((${DATA_VOLUME_GIB:-0} << 30))
  while ((device_bytes < wanted && waited < DEVICE_WAIT_SECONDS)); do
    ((waited > 0)) || log "waiting for $source to grow to ${DATA_VOLUME_GIB} GiB"
    sleep 5
    waited=$((waited + 5))
    device_bytes=$(blockdev --getsize64 "$source") || return 0
  done
  case $fstype in
    ext[234]) read -r size block < <(dumpe2fs -h "$source" 2>/dev/null | awk -F': *' '$1 == "Block count" { n = $2 } $1 == "Block size" { print n, $2 }') ;;
    xfs) read -r block size < <(xfs_info "$DATA_MOUNT" | awk -F'[ =,]+' '$1 == "data" { print $3, $5 }') ;;
    btrfs) read -r devid size < <(btrfs filesystem show --raw "$DATA_MOUNT" | awk -v d="$source" '$1 == "devid" && $NF == d { print $2, $4 }') ;;
    *) return 0 ;;
  esac || true
  fs_bytes=$((size * block))
  ((fs_bytes > 0 && device_bytes - fs_bytes >= 64 << 20)) || return 0
  log "growing the $fstype filesystem on $source online from $((fs_bytes >> 20)) to $((device_bytes >> 20)) MiB"
  case $fstype in
    xfs) xfs_growfs -d "$DATA_MOUNT" ;;
    btrfs) btrfs filesystem resize "$devid:max" "$DATA_MOUNT" ;;
    *) resize2fs "$source" ;;
  esac >&2 || log "WARNING: could not grow the $fstype filesystem on $source"
}

wait_for_device() {
  local device=$1 waited=0
  until [[ -b $device ]]; do
    ((waited < DEVICE_WAIT_SECONDS)) || die "the data volume did not appear as $device within ${DEVICE_WAIT_SECONDS}s (is it attached?)"
    if ((waited == 0)); then log "waiting for $device"; fi
    sleep 1
    waited=$((waited + 1))
  done
}

# Reads DEVICE where whatever was ever on it left bytes: the first and last 64 MiB, 4 KiB every stride (a
# power of two MiB; at most 32768 samples), and the copies of headers, which it names. Prints what it
# read, then one line per finding: none when every byte read was zero.
scan() {
  python3 - "$1" "$DATA_LABEL" <<'PY'
import os, sys, time
dev, kit = sys.argv[1:]
M, t0, count, found, hits = 1 << 20, time.monotonic(), [0, 0], [], []
fd = os.open(dev, os.O_RDONLY)
size = os.lseek(fd, 0, os.SEEK_END)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)

def read(off, length=4096):
    data = os.pread(fd, length, off) if 0 <= off < size else b""
    count[0], count[1] = count[0] + 1, count[1] + len(data)
    return data

def at(off):
    return f"{off / M:g} MiB" if off >= M else f"byte {off}"

for bs in (1024, 4096):  # ext2/3/4 superblock copies: block groups 3^k, 5^k, 7^k
    for g in sorted({p**k for p in (3, 5, 7) for k in range(40) if p**k * 8 * bs * bs < size}):
        off = g * 8 * bs * bs + (1024 if bs == 1024 else 0)
        sb = read(off, 1024)
        if sb[56:58] == b"\x53\xef":
            label = sb[120:136].split(b"\0")[0].decode(errors="replace")
            mine = " (the kit's data volume)" if label == kit else ""
            found.append(f"ext4 superblock copy at {at(off)}, label '{label}'{mine}; repair: e2fsck -f -b {off // bs} -B {bs} {dev}")
for off in (64 << 10, 64 * M, 256 << 30):
    if read(off)[64:72] == b"_BHRfS_M":
        found.append(f"btrfs superblock at {at(off)}; repair: btrfs rescue super-recover {dev}")
for off in (k * (size // 16384) * 4096 for k in range(4)):  # XFS's 4 allocation groups
    if read(off)[:4] == b"XFSB":
        found.append(f"XFS superblock at {at(off)}; repair: xfs_repair {dev}")

stride, edge = M, min(size, 64 * M)
while size > stride * 32768:
    stride *= 2
places = [(0, edge), (size - edge, edge)] + [(o, 4096) for o in range(edge, size - edge, stride)]
for off, length in places:
    for o in range(off, off + length, M):
        data = read(o, min(M, off + length - o))
        if data.count(0) < len(data):
            hits.append(o + len(data) - len(data.lstrip(b"\0")))
            break
if hits:
    found.append(f"data in {len(hits)} of {len(places)} places read, from {at(min(hits))}")
print(f"{count[1] // M} MiB in {count[0]} reads ({len(places) - 2} samples {stride // M} MiB apart), {time.monotonic() - t0:.1f} s")
print("\n".join(found))
PY
}

# Stops the script, formatting and mounting nothing; says what was found and what the operator can do.
# Retrying cannot change the answer, so the boot setup stops instead of scanning again (fatal).
refuse() {
  fatal "$1. Refusing to format it. To start afresh, losing everything on it: blkdiscard -z $device, then run $0 again"
}

# Prints one of: filesystem <type>, new; refuses anything else.
classify() {
  local device=$1 probe signatures type usage pttype report findings
  signatures=$(wipefs --no-act --noheadings --output USAGE,TYPE "$device") || die "wipefs could not read $device"
  local status=0
  probe=$(blkid -p -o export "$device") || status=$?
  # blkid -p exits 2 when it found nothing, 8 when signatures contradict each other.
  if ((status == 2)); then
    probe=
  elif ((status != 0)); then
    fatal "blkid could not make sense of $device (exit $status); refusing to format or mount it"
  fi
  type=$(sed -n 's/^TYPE=//p' <<<"$probe")
  usage=$(sed -n 's/^USAGE=//p' <<<"$probe")
  pttype=$(sed -n 's/^PTTYPE=//p' <<<"$probe")
  [[ -z $pttype ]] || refuse "$device holds a $pttype partition table (the kit uses the whole volume)"
  if [[ $usage == filesystem && -n $type ]]; then
    printf 'filesystem %s\n' "$type"
    return 0
  fi
  # wipefs also finds a GPT by its backup header at the end, when the start is gone.
  pttype=$(awk '$1 == "partition-table" { print $2; exit }' <<<"$signatures")
  [[ -z $pttype ]] || refuse "$device holds a $pttype partition table (the kit uses the whole volume)"
  if [[ -n $probe || -n $signatures ]]; then
    refuse "$device holds a signature that is not a filesystem (${type:-${signatures//$'\n'/, }})"
  fi
  report=$(scan "$device") || die "could not read $device to check that it is new; refusing to format it"
  log "$device has no signature; checked that it is new: ${report%%$'\n'*}"
  findings=$(tail -n +2 <<<"$report")
  [[ -z $findings ]] || refuse "$device has no signature at its start but is not new: ${findings//$'\n'/; }"
  printf 'new\n'
}

mkdir -p "$DATA_MOUNT"
if mountpoint -q "$DATA_MOUNT"; then
  log "$DATA_MOUNT is already mounted"
  grow_online
  ensure_ownership
  exit 0
fi

if [[ ${DATA_FOLDER:-false} == true ]]; then
  ensure_ownership
  log "the chain database lives in $DATA_MOUNT on the root disk (no data disk declared)"
  exit 0
fi

if [[ -n ${DATA_DEVICE:-} ]]; then
  device_link=$DATA_DEVICE
  wait_for_device "$device_link"
  device=$(readlink -f "$device_link")
  log "data disk $DATA_DEVICE is $device"
else
  volume_id=$(instance_tag "$DATA_VOLUME_TAG")
  [[ $volume_id =~ ^vol-[0-9a-f]+$ ]] || die "the tag $DATA_VOLUME_TAG holds '$volume_id', not a volume id"
  device_link=$DEVICE_BY_ID_DIR/nvme-Amazon_Elastic_Block_Store_${volume_id/-/}
  wait_for_device "$device_link"
  device=$(readlink -f "$device_link")
  log "data volume $volume_id is $device"
fi

elsewhere=$(findmnt -n -o TARGET --source "$device" || true)
[[ -z $elsewhere ]] || fatal "$device is already mounted at $elsewhere, not at $DATA_MOUNT"

classification=$(classify "$device")
if [[ $classification == new ]]; then
  log "$device is new: formatting it ext4"
  mkfs.ext4 -q -L "$DATA_LABEL" -m 1 -E nodiscard "$device" </dev/null
  fstype=ext4
else
  fstype=${classification#filesystem }
  log "$device holds a $fstype filesystem: mounting it as it is"
fi

uuid=$(blkid -p -s UUID -o value "$device")
[[ -n $uuid ]] || die "$device has no filesystem UUID"
mount -t "$fstype" -o noatime "$device" "$DATA_MOUNT"
ensure_fstab "$uuid" "$fstype"
grow_online
ensure_ownership
log "$DATA_MOUNT is mounted from $device (UUID $uuid)"
