#!/usr/bin/env bash
# Fills an empty chain database from a certified Mithril snapshot (minutes instead of days of sync).
#
#   mithril-bootstrap.sh [<mithril-version> <sha256>]
#
# A DB_DIR that holds anything is used as it is: nothing is downloaded. Otherwise the pinned
# mithril-client release (version and SHA-256 from the arguments, else MITHRIL_VERSION / MITHRIL_SHA256
# from the delivered release settings) is installed after its checksum is verified, and runs as
# NODE_USER:
#   mithril-client cardano-db download --include-ancillary --download-dir D latest
# with the network's aggregator and the genesis and ancillary verification keys pinned in the kit. The
# snapshot lands in D/db on the data volume and is renamed to DB_DIR only when the client succeeded.
set -euo pipefail
SCRIPT_NAME=mithril-bootstrap
LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$LIB_DIR/common.sh"

[[ $# -eq 0 || $# -eq 1 || $# -eq 2 ]] || die "usage: mithril-bootstrap.sh [<mithril-version> <sha256>]"

load_settings
require_settings NETWORK DATA_MOUNT DB_DIR NODE_USER NODE_GROUP MITHRIL_AGGREGATOR \
  MITHRIL_GENESIS_VKEY_FILE MITHRIL_ANCILLARY_VKEY_FILE MITHRIL_INSTALL_ROOT MITHRIL_RELEASE_BASE_URL \
  MITHRIL_TARBALL
take_lock

db_present() {
  [[ -e $DB_DIR ]] || return 1
  [[ -d $DB_DIR ]] || die "$DB_DIR is not a folder"
  [[ -n $(find "$DB_DIR" -mindepth 1 -maxdepth 1 ! -name node.socket -print -quit) ]]
}

if db_present; then
  log "$DB_DIR already holds a chain database: using it as it is"
  exit 0
fi
# Never fill the root disk with a chain database: the volume must be mounted.
if [[ ${DATA_MOUNT_REQUIRED:-true} == true ]] && ! mountpoint -q "$DATA_MOUNT"; then
  die "$DATA_MOUNT is not mounted; refusing to download the chain database onto the root disk"
fi

if [[ $# -ge 1 ]]; then
  version=$1
  sha=${2:-}
else
  require_settings MITHRIL_VERSION
  version=$MITHRIL_VERSION
  sha=${MITHRIL_SHA256:-}
fi
check_version "$version"
sha=$(normalise_sha256 "$sha")

scratch=()
cleanup() {
  if ((${#scratch[@]} > 0)); then rm -rf -- "${scratch[@]}"; fi
}
trap cleanup EXIT

# Sets client to the verified mithril-client of this version, installing it if needed.
install_client() {
  local dir=$MITHRIL_INSTALL_ROOT/$version stage url recorded
  if [[ -e $dir ]]; then
    recorded=$(cat "$dir/.stakepool-sha256" 2>/dev/null || true)
    [[ -x $dir/mithril-client && -n $sha && $recorded == "$sha" ]] ||
      die "$dir is not mithril-client $version with the pinned sha256 '${sha:-none}' (recorded '${recorded:-none}'); move it away or fix the pin"
    client=$dir/mithril-client
    return 0
  fi
  mkdir -p "$MITHRIL_INSTALL_ROOT"
  remove_stale "$MITHRIL_INSTALL_ROOT" '.install-*'
  stage=$(mktemp -d "$MITHRIL_INSTALL_ROOT/.install-XXXXXX")
  scratch+=("$stage")
  url=$(release_url "$MITHRIL_RELEASE_BASE_URL" "$MITHRIL_TARBALL" "$version")
  fetch_verified "mithril $version" "$url" "$sha" "$stage/mithril.tar.gz"
  mkdir "$stage/release"
  tar -xzf "$stage/mithril.tar.gz" -C "$stage/release" --no-same-owner || die "could not unpack $url"
  [[ -f $stage/release/mithril-client && -x $stage/release/mithril-client ]] || die "the release has no executable mithril-client"
  printf '%s\n' "$sha" >"$stage/release/.stakepool-sha256"
  chmod -R go-w,a+rX -- "$stage/release"
  mv -T -- "$stage/release" "$dir"
  log "installed mithril-client $version in $dir"
  client=$dir/mithril-client
}

install_client
genesis_key=$(<"$MITHRIL_GENESIS_VKEY_FILE")
ancillary_key=$(<"$MITHRIL_ANCILLARY_VKEY_FILE")
[[ -n $genesis_key && -n $ancillary_key ]] || die "the Mithril verification keys in $MITHRIL_GENESIS_VKEY_FILE and $MITHRIL_ANCILLARY_VKEY_FILE are empty"

# The download goes to the data volume itself, so the final rename is atomic and never copies.
remove_stale "$DATA_MOUNT" '.mithril-*'
download_dir=$(mktemp -d "$DATA_MOUNT/.mithril-XXXXXX")
scratch+=("$download_dir")
mkdir "$download_dir/tmp"
chown -R "$NODE_USER:$NODE_GROUP" "$download_dir"

as_node_user=()
[[ $(id -un) == "$NODE_USER" ]] || as_node_user=(runuser -u "$NODE_USER" --)
log "downloading the latest certified $NETWORK chain database from $MITHRIL_AGGREGATOR"
(
  cd "$download_dir"
  "${as_node_user[@]}" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$download_dir" TMPDIR="$download_dir/tmp" \
    AGGREGATOR_ENDPOINT="$MITHRIL_AGGREGATOR" \
    GENESIS_VERIFICATION_KEY="$genesis_key" \
    ANCILLARY_VERIFICATION_KEY="$ancillary_key" \
    "$client" cardano-db download --include-ancillary --download-dir "$download_dir" latest
) || die "mithril-client failed; $DB_DIR was left empty (the next boot tries again)"

[[ -d $download_dir/db && -n $(ls -A "$download_dir/db") ]] || die "mithril-client wrote no database in $download_dir/db"
if [[ -d $DB_DIR ]]; then rmdir -- "$DB_DIR"; fi
mv -T -- "$download_dir/db" "$DB_DIR"
chown -R "$NODE_USER:$NODE_GROUP" "$DB_DIR"
log "$DB_DIR now holds the Mithril snapshot"
