#!/usr/bin/env bash
# Brings the core's Mithril signer to what was last delivered: the pinned Mithril release, the signer's
# unit and its environment, restarting it only when one of those changed. Like node-apply.sh for the
# node: the deployment runs it on the core after the relays, and it exits once the restarted signer has
# stayed up for SIGNER_HEALTHY_SECONDS, or fails, which stops the rollout.
#
#   mithril-signer-apply.sh
#
# The release (SIGNER_MITHRIL_VERSION / SIGNER_MITHRIL_SHA256) is the Mithril distribution tarball the
# Mithril bootstrap installs mithril-client from: verified by its SHA-256 before anything is extracted,
# unpacked whole into MITHRIL_INSTALL_ROOT/<version> (the same layout and checksum record as
# mithril-bootstrap.sh, so either script uses what the other installed), then SIGNER_CURRENT_LINK is
# switched to it by an atomic rename. Any failure leaves the installed versions and the link as they were.
#
# It takes its own lock, not the node scripts' one: the boot setup holds that for a whole Mithril restore
# (20-35 minutes on mainnet). Its scratch folders are named apart from the bootstrap's, and a version
# folder the bootstrap installed meanwhile is verified and used.
#
# On a core whose node is not running (a new server still restoring its chain), the signer is enabled and
# left to start on its own: its unit retries until the node's socket is there.
set -euo pipefail
SCRIPT_NAME=mithril-signer-apply
LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../../node/scripts/common.sh
. "$LIB_DIR/common.sh"

STAKEPOOL_SIGNER_ENV="${STAKEPOOL_SIGNER_ENV:-/etc/stakepool/mithril-signer/apply.env}"

[[ $# -eq 0 ]] || die "usage: mithril-signer-apply.sh"
load_settings
read_settings_file "$STAKEPOOL_SIGNER_ENV" required
require_settings NETWORK MITHRIL_INSTALL_ROOT MITHRIL_RELEASE_BASE_URL MITHRIL_TARBALL SYSTEMCTL NODE_SERVICE \
  SIGNER_MITHRIL_VERSION SIGNER_SERVICE SIGNER_UNIT_FILE SIGNER_ENV_FILE SIGNER_APPLIED_FILE \
  SIGNER_CURRENT_LINK SIGNER_LOCK_FILE SIGNER_HEALTHY_SECONDS

mkdir -p "$(dirname "$SIGNER_LOCK_FILE")"
exec 8>>"$SIGNER_LOCK_FILE"
flock -w 600 8 || die "another mithril-signer-apply.sh still holds $SIGNER_LOCK_FILE"

version=$SIGNER_MITHRIL_VERSION
check_version "$version"
sha=$(normalise_sha256 "${SIGNER_MITHRIL_SHA256:-}")
target=$MITHRIL_INSTALL_ROOT/$version
recorded_sha_file=.stakepool-sha256

# A release folder the signer may use: the whole distribution, from the pinned tarball.
check_installed() {
  local recorded
  [[ -f $target/mithril-signer && -x $target/mithril-signer ]] ||
    fatal "$target exists but holds no mithril-signer; move it away and run again"
  recorded=$(cat "$target/$recorded_sha_file" 2>/dev/null || true)
  if [[ -z $sha ]]; then
    [[ $NETWORK != mainnet ]] || fatal "no SHA-256 is pinned for Mithril $version; mainnet switches only to a pinned release"
    fatal "no SHA-256 is pinned for Mithril $version; it is installed from a tarball with sha256 '${recorded:-unknown}' (pin that if it is the release's published checksum)"
  fi
  [[ $recorded == "$sha" ]] ||
    fatal "Mithril $version is installed from a tarball with sha256 '${recorded:-unknown}', not the pinned $sha; check the pin"
}

install_release() {
  local stage url release
  mkdir -p "$MITHRIL_INSTALL_ROOT"
  remove_stale "$MITHRIL_INSTALL_ROOT" '.signer-install-*'
  stage=$(mktemp -d "$MITHRIL_INSTALL_ROOT/.signer-install-XXXXXX")
  # shellcheck disable=SC2064 # expand now: the trap must remove this run's scratch folder
  trap "rm -rf -- '$stage'" EXIT
  url=$(release_url "$MITHRIL_RELEASE_BASE_URL" "$MITHRIL_TARBALL" "$version")
  fetch_verified "mithril $version" "$url" "$sha" "$stage/mithril.tar.gz"
  release=$stage/release
  mkdir "$release"
  tar -xzf "$stage/mithril.tar.gz" -C "$release" --no-same-owner || die "could not unpack $url"
  for binary in mithril-signer mithril-client; do
    [[ -f $release/$binary && -x $release/$binary ]] || die "the release has no executable $binary"
  done
  "$release/mithril-signer" --version >&2 || die "mithril-signer of $version does not run on this host"
  printf '%s\n' "$sha" >"$release/$recorded_sha_file"
  chmod -R go-w,a+rX -- "$release"
  if ! mv -T -- "$release" "$target" 2>/dev/null; then
    # The Mithril bootstrap installed the same version meanwhile: use it if it is the pinned one.
    [[ -d $target ]] || die "could not move the release to $target"
    check_installed
    log "Mithril $version was installed meanwhile in $target"
    return 0
  fi
  log "installed Mithril $version (mithril-signer, mithril-client) in $target"
}

if [[ -e $target ]]; then
  check_installed
else
  install_release
fi

if [[ -e $SIGNER_CURRENT_LINK && ! -L $SIGNER_CURRENT_LINK ]]; then
  die "$SIGNER_CURRENT_LINK is not a symbolic link; move it away and run again"
fi
link_target=$target
[[ $(dirname "$SIGNER_CURRENT_LINK") == "$MITHRIL_INSTALL_ROOT" ]] && link_target=$version
if [[ $(readlink "$SIGNER_CURRENT_LINK" 2>/dev/null || true) != "$link_target" ]]; then
  ln -sfn -- "$link_target" "$SIGNER_CURRENT_LINK.new"
  mv -T -- "$SIGNER_CURRENT_LINK.new" "$SIGNER_CURRENT_LINK"
  log "Mithril $version is now current"
fi

"$SYSTEMCTL" daemon-reload
"$SYSTEMCTL" enable "$SIGNER_SERVICE"

# What the running signer was started with; it is restarted only when this changes.
wanted=$(
  {
    printf '%s %s\n' "$version" "$sha"
    sha256sum "$SIGNER_UNIT_FILE" "$SIGNER_ENV_FILE" | cut -d' ' -f1
  } | sha256sum | cut -d' ' -f1
)
applied=$(cat "$SIGNER_APPLIED_FILE" 2>/dev/null || true)
state=$("$SYSTEMCTL" show -p ActiveState --value "$SIGNER_SERVICE")
if [[ $state == active && $applied == "$wanted" ]]; then
  log "$SIGNER_SERVICE already runs what was delivered; nothing to restart"
  exit 0
fi

node_state=$("$SYSTEMCTL" show -p ActiveState --value "$NODE_SERVICE")
if [[ $node_state != active ]]; then
  "$SYSTEMCTL" restart --no-block "$SIGNER_SERVICE"
  log "$NODE_SERVICE is $node_state: $SIGNER_SERVICE (Mithril $version) keeps trying to start until the node runs"
  exit 0
fi

restarts_before=$("$SYSTEMCTL" show -p NRestarts --value "$SIGNER_SERVICE")
if [[ $state == active ]]; then
  log "restarting $SIGNER_SERVICE (Mithril $version)"
  "$SYSTEMCTL" restart "$SIGNER_SERVICE"
else
  log "starting $SIGNER_SERVICE (Mithril $version)"
  "$SYSTEMCTL" start "$SIGNER_SERVICE"
fi

# Healthy: active, and not restarted by systemd, for SIGNER_HEALTHY_SECONDS in a row.
waited=0
while ((waited < SIGNER_HEALTHY_SECONDS)); do
  sleep 1
  waited=$((waited + 1))
  state=$("$SYSTEMCTL" show -p ActiveState --value "$SIGNER_SERVICE")
  restarts=$("$SYSTEMCTL" show -p NRestarts --value "$SIGNER_SERVICE")
  if [[ $state != active && $state != activating ]] || [[ $restarts != "$restarts_before" ]]; then
    die "$SIGNER_SERVICE did not stay up after the change (state $state, restarts $restarts_before -> $restarts); the rollout stops here: journalctl -u $SIGNER_SERVICE"
  fi
done
mkdir -p "$(dirname "$SIGNER_APPLIED_FILE")"
printf '%s\n' "$wanted" >"$SIGNER_APPLIED_FILE.new"
mv -f -- "$SIGNER_APPLIED_FILE.new" "$SIGNER_APPLIED_FILE"
log "$SIGNER_SERVICE runs Mithril $version and stayed up for ${SIGNER_HEALTHY_SECONDS}s"
