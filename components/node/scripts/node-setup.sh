#!/usr/bin/env bash
# Prepares everything the node needs, in order, then lets systemd start it:
#   1. the chain-data volume (data-volume.sh);
#   2. a node release, if none is current yet: the version and checksum are the instance tags
#      NODE_VERSION_TAG / NODE_SHA256_TAG (install-node.sh); later versions arrive by upgrade over SSH;
#   3. the chain database from Mithril, if DB_DIR is empty and MITHRIL_BOOTSTRAP is true;
#   4. the node service, enabled and started (the start waits for this script's unit to finish), once
#      its unit has been delivered over SSH; until then the delivery starts it.
# It runs as the one-shot unit NODE_SETUP_SERVICE at every boot; once everything is in place a run only
# checks and changes nothing, so a server that rebooted in the middle of a bootstrap finishes it.
set -euo pipefail
SCRIPT_NAME=node-setup
LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$LIB_DIR/common.sh"

load_settings
require_settings CURRENT_LINK DB_DIR NODE_USER NODE_GROUP NODE_VERSION_TAG NODE_SHA256_TAG \
  NODE_SERVICE NODE_UNIT_FILE SYSTEMCTL
take_lock

getent passwd "$NODE_USER" >/dev/null || die "the user $NODE_USER does not exist (the host hardening creates it)"
getent group "$NODE_GROUP" >/dev/null || die "the group $NODE_GROUP does not exist (the host hardening creates it)"

"$LIB_DIR/data-volume.sh"

if [[ -L $CURRENT_LINK ]]; then
  log "a node release is current: $(readlink "$CURRENT_LINK")"
else
  version=$(instance_tag "$NODE_VERSION_TAG")
  sha=$(instance_tag "$NODE_SHA256_TAG" optional)
  "$LIB_DIR/install-node.sh" "$version" "$sha"
fi

if [[ ${MITHRIL_BOOTSTRAP:-true} == true ]]; then
  "$LIB_DIR/mithril-bootstrap.sh"
fi
if [[ ! -d $DB_DIR ]]; then
  install -d -o "$NODE_USER" -g "$NODE_GROUP" -m 0750 "$DB_DIR"
fi

if [[ ! -f $NODE_UNIT_FILE ]]; then
  log "$NODE_SERVICE has not been delivered yet; its delivery starts it"
  exit 0
fi
"$SYSTEMCTL" enable "$NODE_SERVICE"
# --no-block: the node's unit is ordered after this script's unit, so its start job runs when we exit.
"$SYSTEMCTL" start --no-block "$NODE_SERVICE"
log "$NODE_SERVICE is enabled and will start when this setup ends"
