#!/usr/bin/env bash
# Installs a cardano-node release beside the ones already installed and makes it the current one.
#
#   install-node.sh <version> <sha256>
#
# The tarball's SHA-256 is checked before anything is extracted. The release is unpacked and checked
# (bin/cardano-node, bin/cardano-cli, share/<network>/config.json and every genesis file it names) in a
# scratch folder, and only then is renamed to INSTALL_ROOT/<version>; CURRENT_LINK is switched by an
# atomic rename. Any failure leaves the installed versions and the current one as they were. A version
# already installed is not downloaded again: only the switch happens. It never restarts the node: the
# boot setup starts it, and node-apply.sh restarts it (one host at a time) when the release changed.
set -euo pipefail
SCRIPT_NAME=install-node
LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$LIB_DIR/common.sh"

usage() {
  die "usage: install-node.sh <version> <sha256>"
}

[[ $# -eq 1 || $# -eq 2 ]] || usage
version=$1
check_version "$version"
sha=$(normalise_sha256 "${2:-}")

load_settings
require_settings NETWORK INSTALL_ROOT CURRENT_LINK NODE_RELEASE_BASE_URL NODE_TARBALL KIT_NODE_CONFIG_NAME
take_lock

target=$INSTALL_ROOT/$version
recorded_sha_file=.stakepool-sha256

# A release folder the kit may use: what install_release checked, still in place.
check_installed() {
  local dir=$1 recorded
  [[ -x $dir/bin/cardano-node && -x $dir/bin/cardano-cli ]] ||
    die "$dir exists but holds no cardano-node release; move it away and run again"
  [[ -f $dir/share/$NETWORK/$KIT_NODE_CONFIG_NAME ]] ||
    die "$dir was not installed by the kit (no share/$NETWORK/$KIT_NODE_CONFIG_NAME); move it away and run again"
  recorded=$(cat "$dir/$recorded_sha_file" 2>/dev/null || true)
  if [[ -n $sha && $recorded != "$sha" ]]; then
    fatal "$version is installed from a tarball with sha256 '${recorded:-unknown}', not the pinned $sha; check the pin"
  fi
  if [[ -z $sha ]]; then
    [[ $NETWORK != mainnet ]] || fatal "no SHA-256 is pinned for cardano-node $version; mainnet switches only to a pinned release"
    fatal "no SHA-256 is pinned for cardano-node $version; it is installed from a tarball with sha256 '${recorded:-unknown}' (pin that if it is the release's published checksum)"
  fi
}

install_release() {
  local stage tarball url release
  mkdir -p "$INSTALL_ROOT"
  stage=$(mktemp -d "$INSTALL_ROOT/.install-XXXXXX")
  # shellcheck disable=SC2064 # expand now: the trap must remove this run's scratch folder
  trap "rm -rf -- '$stage'" EXIT
  url=$(release_url "$NODE_RELEASE_BASE_URL" "$NODE_TARBALL" "$version")
  tarball=$stage/release.tar.gz
  fetch_verified "cardano-node $version" "$url" "$sha" "$tarball"

  release=$stage/release
  mkdir "$release"
  tar -xzf "$tarball" -C "$release" --no-same-owner || die "could not unpack $url"
  rm -f -- "$tarball"
  for binary in cardano-node cardano-cli; do
    [[ -f $release/bin/$binary && -x $release/bin/$binary ]] || die "the release has no executable bin/$binary"
  done
  [[ -f $release/share/$NETWORK/config.json ]] || die "the release has no share/$NETWORK/config.json"
  python3 "$LIB_DIR/node-config.py" "$release/share/$NETWORK" "$KIT_NODE_CONFIG_NAME" ||
    die "the release's $NETWORK configuration is not usable"
  "$release/bin/cardano-node" --version >&2 || die "bin/cardano-node of $version does not run on this host"
  printf '%s\n' "$sha" >"$release/$recorded_sha_file"
  # Readable by the node user whatever modes the tarball carries (a 0700 folder would fail its unit).
  chmod -R go-w,a+rX -- "$release"
  mv -T -- "$release" "$target"
  log "installed cardano-node $version in $target"
}

if [[ -e $target ]]; then
  check_installed "$target"
  log "cardano-node $version is already installed in $target"
else
  remove_stale "$INSTALL_ROOT" '.install-*'
  install_release
fi

if [[ -e $CURRENT_LINK && ! -L $CURRENT_LINK ]]; then
  die "$CURRENT_LINK is not a symbolic link; move it away and run again"
fi
link_target=$target
[[ $(dirname "$CURRENT_LINK") == "$INSTALL_ROOT" ]] && link_target=$version
if [[ $(readlink "$CURRENT_LINK" 2>/dev/null || true) == "$link_target" ]]; then
  log "cardano-node $version is already current"
  exit 0
fi
ln -sfn -- "$link_target" "$CURRENT_LINK.new"
mv -T -- "$CURRENT_LINK.new" "$CURRENT_LINK"
log "cardano-node $version is now current"
