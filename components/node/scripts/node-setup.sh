#!/usr/bin/env bash
# Prepares everything the node needs, in order, then lets systemd start it:
#   1. the chain-data volume (data-volume.sh);
#   2. a node release, if none is current yet: NODE_VERSION / NODE_SHA256 of the delivered release
#      settings (install-node.sh); later versions are switched by node-apply.sh, one host at a time;
#   3. the chain database from Mithril, if DB_DIR is empty and MITHRIL_BOOTSTRAP is true;
#   4. the node service, enabled and started (the start waits for this script's unit to finish), once
#      its unit has been delivered over SSH; until then node-apply.sh starts it when it arrives.
# It runs as the one-shot unit NODE_SETUP_SERVICE, started by the setup delivery and at every boot;
# once everything is in place a run only checks and changes nothing, so a server that rebooted in the
# middle of a bootstrap finishes it.
#
# A step that fails (Mithril's aggregator unreachable, a download cut short, the volume not attached
# yet) or hangs past SETUP_ATTEMPT_SECONDS is tried again, after SETUP_RETRY_FIRST_SECONDS, then twice as long each time up to
# SETUP_RETRY_MAX_SECONDS, for as long as it takes: a node must never stay down until someone reboots.
# The lock is released between attempts, so an upgrade over SSH is not held up by the waiting. A failure
# that retrying cannot fix (exit FATAL_EXIT: a checksum mismatch, a volume the kit must not touch) stops
# the setup with that reason. Each failure shows in `systemctl status` (the unit's status line) and
# in the journal.
set -euo pipefail
SCRIPT_NAME=node-setup
LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$LIB_DIR/common.sh"

load_settings
require_settings CURRENT_LINK DB_DIR NODE_USER NODE_GROUP NODE_SERVICE NODE_UNIT_FILE SYSTEMCTL \
  SETUP_RETRY_FIRST_SECONDS SETUP_RETRY_MAX_SECONDS

# The unit's status line in `systemctl status` (the unit sets NotifyAccess=all); nothing outside systemd.
notify_status() {
  if [[ -n ${NOTIFY_SOCKET:-} ]] && command -v systemd-notify >/dev/null; then
    systemd-notify --status="$1" || true
  fi
}

# One attempt at every step, holding the lock (`node-setup.sh --once`, run by the loop below in a
# process of its own, so the lock ends with it and a hung step ends at SETUP_ATTEMPT_SECONDS).
setup_once() {
  take_lock
  getent passwd "$NODE_USER" >/dev/null || die "the user $NODE_USER does not exist (the host hardening creates it)"
  getent group "$NODE_GROUP" >/dev/null || die "the group $NODE_GROUP does not exist (the host hardening creates it)"

  "$LIB_DIR/data-volume.sh"

  if [[ -L $CURRENT_LINK ]]; then
    log "a node release is current: $(readlink "$CURRENT_LINK")"
  else
    require_settings NODE_VERSION
    "$LIB_DIR/install-node.sh" "$NODE_VERSION" "${NODE_SHA256:-}"
  fi

  if [[ ${MITHRIL_BOOTSTRAP:-true} == true ]]; then
    "$LIB_DIR/mithril-bootstrap.sh"
  fi
  if [[ ! -d $DB_DIR ]]; then
    install -d -o "$NODE_USER" -g "$NODE_GROUP" -m 0750 "$DB_DIR"
  fi
}

if [[ ${1:-} == --once ]]; then
  setup_once
  exit 0
fi
[[ $# -eq 0 ]] || die "usage: node-setup.sh [--once]"
require_settings SETUP_ATTEMPT_SECONDS

attempt=1
delay=$SETUP_RETRY_FIRST_SECONDS
while :; do
  status=0
  timeout --kill-after=60 "$SETUP_ATTEMPT_SECONDS" "$LIB_DIR/node-setup.sh" --once || status=$?
  ((status != 0)) || break
  ((status != 124)) || log "attempt $attempt took longer than ${SETUP_ATTEMPT_SECONDS}s and was stopped"
  if ((status == FATAL_EXIT)); then
    notify_status "stopped after attempt $attempt: needs the operator (journalctl -u stakepool-node-setup)"
    die "the setup stopped: retrying cannot fix the error above"
  fi
  log "attempt $attempt failed (exit $status); trying again in ${delay}s"
  notify_status "attempt $attempt failed (exit $status); trying again in ${delay}s (journalctl -u stakepool-node-setup)"
  sleep "$delay"
  attempt=$((attempt + 1))
  delay=$((delay * 2 > SETUP_RETRY_MAX_SECONDS ? SETUP_RETRY_MAX_SECONDS : delay * 2))
done
((attempt == 1)) || log "the setup succeeded at attempt $attempt"
notify_status "done"

if [[ ! -f $NODE_UNIT_FILE ]]; then
  log "$NODE_SERVICE has not been delivered yet; its delivery starts it"
  exit 0
fi
"$SYSTEMCTL" enable "$NODE_SERVICE"
# --no-block: the node's unit is ordered after this script's unit, so its start job runs when we exit.
"$SYSTEMCTL" start --no-block "$NODE_SERVICE"
log "$NODE_SERVICE is enabled and will start when this setup ends"
