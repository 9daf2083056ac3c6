#!/usr/bin/env bash
# Brings the node to what was last delivered (NODE_VERSION / NODE_SHA256 of the release settings, the
# node's unit, the kit's node settings), restarting it only when one of those changed. The deployment
# runs it on one host at a time, relays first and the core last, and waits for it: it exits once the
# restarted node has stayed up for NODE_HEALTHY_SECONDS, or fails, which stops the rollout before the
# next host is touched.
#
#   node-apply.sh
#
# On a host whose boot setup has not finished (a new server restoring its chain from Mithril), it only
# makes sure the setup runs: the setup installs the release and starts the node with the delivered
# files when it is done. A run in which nothing changed restarts nothing.
set -euo pipefail
SCRIPT_NAME=node-apply
LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$LIB_DIR/common.sh"

[[ $# -eq 0 ]] || die "usage: node-apply.sh"
load_settings
require_settings NODE_VERSION NODE_SERVICE NODE_SETUP_SERVICE NODE_UNIT_FILE NODE_CONFIG_OVERLAY \
  NODE_APPLIED_FILE NODE_HEALTHY_SECONDS SYSTEMCTL CURRENT_LINK

setup_state=$("$SYSTEMCTL" show -p ActiveState --value "$NODE_SETUP_SERVICE")
if [[ $setup_state != active ]]; then
  "$SYSTEMCTL" start --no-block "$NODE_SETUP_SERVICE"
  log "the boot setup is $setup_state: it installs $NODE_VERSION and starts $NODE_SERVICE when it is done"
  exit 0
fi

take_lock
"$LIB_DIR/install-node.sh" "$NODE_VERSION" "${NODE_SHA256:-}"
"$SYSTEMCTL" daemon-reload
"$SYSTEMCTL" enable "$NODE_SERVICE"

# What the running node was started with; the node is restarted only when this changes.
wanted=$(
  {
    printf '%s %s\n' "$NODE_VERSION" "${NODE_SHA256:-}"
    sha256sum "$NODE_UNIT_FILE" "$NODE_CONFIG_OVERLAY" | cut -d' ' -f1
  } | sha256sum | cut -d' ' -f1
)
applied=$(cat "$NODE_APPLIED_FILE" 2>/dev/null || true)
state=$("$SYSTEMCTL" show -p ActiveState --value "$NODE_SERVICE")

if [[ $state == active && $applied == "$wanted" ]]; then
  log "$NODE_SERVICE already runs what was delivered; nothing to restart"
  exit 0
fi

restarts_before=$("$SYSTEMCTL" show -p NRestarts --value "$NODE_SERVICE")
if [[ $state == active ]]; then
  log "restarting $NODE_SERVICE (release $NODE_VERSION)"
  "$SYSTEMCTL" restart "$NODE_SERVICE"
else
  log "starting $NODE_SERVICE (release $NODE_VERSION)"
  "$SYSTEMCTL" start "$NODE_SERVICE"
fi

# Healthy: active, and not restarted by systemd, for NODE_HEALTHY_SECONDS in a row.
waited=0
while ((waited < NODE_HEALTHY_SECONDS)); do
  sleep 1
  waited=$((waited + 1))
  state=$("$SYSTEMCTL" show -p ActiveState --value "$NODE_SERVICE")
  restarts=$("$SYSTEMCTL" show -p NRestarts --value "$NODE_SERVICE")
  if [[ $state != active && $state != activating && $state != reloading ]] || [[ $restarts != "$restarts_before" ]]; then
    die "$NODE_SERVICE did not stay up after the change (state $state, restarts $restarts_before -> $restarts); the rollout stops here: journalctl -u $NODE_SERVICE"
  fi
done
mkdir -p "$(dirname "$NODE_APPLIED_FILE")"
printf '%s\n' "$wanted" >"$NODE_APPLIED_FILE.new"
mv -f -- "$NODE_APPLIED_FILE.new" "$NODE_APPLIED_FILE"
log "$NODE_SERVICE runs release $NODE_VERSION and stayed up for ${NODE_HEALTHY_SECONDS}s"
