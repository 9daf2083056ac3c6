#!/usr/bin/env bash
# Installs the pinned Grafana release on the monitoring host, like the node's releases: download, check
# the SHA-256 before anything is extracted, unpack beside the others, switch `current` atomically. The
# same version again downloads nothing. Also makes Grafana's user, folders and (once) its admin password.
#
#   install-grafana.sh            (as root; settings in $R/etc/stakepool/grafana-release.env)
#
# R prefixes every path (tests run it in a temporary root); GRAFANA_USER names the service user (tests
# use an existing one). Exit 3: a checksum mismatch, which trying again cannot fix.
set -euo pipefail

R="${R:-}"
RELEASE_ENV="$R/etc/stakepool/grafana-release.env"
ROOT="$R/opt/grafana"
GRAFANA_USER="${GRAFANA_USER:-grafana}"
PASSWORD_FILE="$R/etc/grafana/admin-password"

log() { printf 'install-grafana: %s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}
fatal() {
  log "ERROR (needs the operator, not a retry): $*"
  exit 3
}

# KEY=value lines, read as data, never evaluated.
GRAFANA_VERSION="" GRAFANA_URL="" GRAFANA_SHA256=""
[[ -r $RELEASE_ENV ]] || die "$RELEASE_ENV is missing (the monitoring step delivers it)"
while IFS= read -r line || [[ -n $line ]]; do
  [[ -z $line || $line == \#* ]] && continue
  case ${line%%=*} in
    GRAFANA_VERSION) GRAFANA_VERSION=${line#*=} ;;
    GRAFANA_URL) GRAFANA_URL=${line#*=} ;;
    GRAFANA_SHA256) GRAFANA_SHA256=${line#*=} ;;
    *) die "$RELEASE_ENV: unknown setting in: $line" ;;
  esac
done <"$RELEASE_ENV"
[[ $GRAFANA_VERSION =~ ^[0-9A-Za-z][0-9A-Za-z._+-]*$ ]] || die "'$GRAFANA_VERSION' is not a release version"
[[ $GRAFANA_SHA256 =~ ^[0-9a-f]{64}$ ]] || die "'$GRAFANA_SHA256' is not a SHA-256 (64 lower-case hex digits)"
# https only; plain http to the loopback is for tests.
[[ $GRAFANA_URL =~ ^https:// || $GRAFANA_URL =~ ^http://127\.0\.0\.1[:/] ]] || die "'$GRAFANA_URL' is not an https URL"

target="$ROOT/$GRAFANA_VERSION"
mkdir -p "$ROOT"
if [[ -x $target/bin/grafana ]]; then
  log "Grafana $GRAFANA_VERSION is installed"
else
  work=$(mktemp -d "$ROOT/.download.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  log "downloading Grafana $GRAFANA_VERSION from $GRAFANA_URL"
  curl -fsSL --retry 5 --retry-delay 5 --retry-connrefused --max-time 1800 -o "$work/grafana.tar.gz" "$GRAFANA_URL" ||
    die "the download of $GRAFANA_URL failed"
  actual=$(sha256sum "$work/grafana.tar.gz" | cut -d' ' -f1)
  [[ $actual == "$GRAFANA_SHA256" ]] ||
    fatal "$GRAFANA_URL has SHA-256 $actual, not the pinned $GRAFANA_SHA256; nothing was installed"
  mkdir "$work/unpacked"
  # The tarball holds one folder (grafana-<version>); its content becomes the version's folder.
  tar -xzf "$work/grafana.tar.gz" -C "$work/unpacked" --strip-components=1 --no-same-owner --no-same-permissions
  [[ -x $work/unpacked/bin/grafana ]] || die "the tarball has no bin/grafana"
  chmod -R go-w "$work/unpacked"
  rm -rf "$target"
  mv "$work/unpacked" "$target"
fi

# Switch atomically: a new link, renamed over the old one.
ln -sfn "$GRAFANA_VERSION" "$ROOT/current.new"
mv -Tf "$ROOT/current.new" "$ROOT/current"
# Keep only the running release (a Grafana release is 600 MB unpacked).
for dir in "$ROOT"/*/; do
  dir=${dir%/}
  [[ -L $dir || ${dir##*/} == "$GRAFANA_VERSION" ]] || rm -rf "$dir"
done

getent group "$GRAFANA_USER" >/dev/null || groupadd --system "$GRAFANA_USER"
getent passwd "$GRAFANA_USER" >/dev/null ||
  useradd --system --gid "$GRAFANA_USER" --shell /usr/sbin/nologin --home-dir /nonexistent --no-create-home --comment Grafana "$GRAFANA_USER"
install -d -m 0750 -o "$GRAFANA_USER" -g "$GRAFANA_USER" "$R/var/lib/grafana" "$R/var/log/grafana"

# The admin password: made here once, readable by Grafana and root only, never in the kit's files.
if [[ ! -s $PASSWORD_FILE ]]; then
  mkdir -p "$(dirname "$PASSWORD_FILE")"
  (umask 077 && head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 >"$PASSWORD_FILE.new")
  chown "root:$GRAFANA_USER" "$PASSWORD_FILE.new"
  chmod 0640 "$PASSWORD_FILE.new"
  mv -f "$PASSWORD_FILE.new" "$PASSWORD_FILE"
  log "made Grafana's admin password in $PASSWORD_FILE"
fi
log "Grafana $GRAFANA_VERSION is current"
