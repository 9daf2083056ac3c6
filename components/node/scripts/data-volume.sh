#!/usr/bin/env bash
# Mounts the chain-data volume at DATA_MOUNT, and formats it only when it is provably blank.
#
# The volume is a separate EBS volume that outlives the instance; its id is the instance tag
# DATA_VOLUME_TAG (read through IMDSv2). It is attached after the instance starts, so the script waits
# (at most DEVICE_WAIT_SECONDS) for its NVMe name in DEVICE_BY_ID_DIR. It formats ext4 only if the device
# has no filesystem, no partition table, no other signature, and its first MiB is zero (a new EBS volume).
# Anything else with a filesystem is mounted as it is; anything else is refused. The mount is recorded in
# FSTAB by UUID with nofail; DATA_MOUNT belongs to NODE_USER. Running it again changes nothing.
set -euo pipefail
SCRIPT_NAME=data-volume
LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$LIB_DIR/common.sh"

load_settings
require_settings DATA_MOUNT DB_DIR NODE_USER NODE_GROUP DATA_VOLUME_TAG DEVICE_BY_ID_DIR \
  DEVICE_WAIT_SECONDS FSTAB DATA_LABEL SYSTEMCTL
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

wait_for_device() {
  local device=$1 waited=0
  until [[ -b $device ]]; do
    ((waited < DEVICE_WAIT_SECONDS)) || die "the data volume did not appear as $device within ${DEVICE_WAIT_SECONDS}s (is it attached?)"
    if ((waited == 0)); then log "waiting for $device"; fi
    sleep 1
    waited=$((waited + 1))
  done
}

# Prints one of: filesystem <type>, blank; stops the script for anything else.
classify() {
  local device=$1 probe signatures type usage pttype
  signatures=$(wipefs --no-act --noheadings --output TYPE "$device") || die "wipefs could not read $device"
  local status=0
  probe=$(blkid -p -o export "$device") || status=$?
  # blkid -p exits 2 when it found nothing, 8 when signatures contradict each other.
  if ((status == 2)); then
    probe=
  elif ((status != 0)); then
    die "blkid could not make sense of $device (exit $status); refusing to format or mount it"
  fi
  type=$(sed -n 's/^TYPE=//p' <<<"$probe")
  usage=$(sed -n 's/^USAGE=//p' <<<"$probe")
  pttype=$(sed -n 's/^PTTYPE=//p' <<<"$probe")
  if [[ -n $pttype ]]; then
    die "$device holds a $pttype partition table; refusing to format or mount it (the kit uses the whole volume)"
  fi
  if [[ $usage == filesystem && -n $type ]]; then
    printf 'filesystem %s\n' "$type"
    return 0
  fi
  if [[ -n $probe || -n $signatures ]]; then
    die "$device holds a signature that is not a filesystem (${type:-${signatures//$'\n'/ }}); refusing to format it"
  fi
  if ! cmp --silent --bytes=1048576 "$device" /dev/zero; then
    die "$device holds data without any known signature; refusing to format it"
  fi
  printf 'blank\n'
}

mkdir -p "$DATA_MOUNT"
if mountpoint -q "$DATA_MOUNT"; then
  log "$DATA_MOUNT is already mounted"
  ensure_ownership
  exit 0
fi

volume_id=$(instance_tag "$DATA_VOLUME_TAG")
[[ $volume_id =~ ^vol-[0-9a-f]+$ ]] || die "the tag $DATA_VOLUME_TAG holds '$volume_id', not a volume id"
device_link=$DEVICE_BY_ID_DIR/nvme-Amazon_Elastic_Block_Store_${volume_id/-/}
wait_for_device "$device_link"
device=$(readlink -f "$device_link")
log "data volume $volume_id is $device"

elsewhere=$(findmnt -n -o TARGET --source "$device" || true)
[[ -z $elsewhere ]] || die "$device is already mounted at $elsewhere, not at $DATA_MOUNT"

classification=$(classify "$device")
if [[ $classification == blank ]]; then
  log "$device is blank: formatting it ext4"
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
ensure_ownership
log "$DATA_MOUNT is mounted from $device (UUID $uuid)"
