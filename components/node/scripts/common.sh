# shellcheck shell=bash
# Shared by the kit's node scripts (sourced, never run): settings, logging, the lock, instance metadata
# and verified downloads.
#
# Settings come from the per-host file the kit renders (STAKEPOOL_NODE_ENV, KEY=value lines). A variable
# already set in the environment wins over the file, so tests run every script in a temporary root
# against a loopback server without touching the host.

STAKEPOOL_NODE_ENV="${STAKEPOOL_NODE_ENV:-/etc/stakepool/node.env}"
# The releases the host runs (NODE_VERSION, NODE_SHA256, MITHRIL_*): delivered over SSH, since they
# change during the pool's life; absent on a host that has not received them yet.
STAKEPOOL_RELEASE_ENV="${STAKEPOOL_RELEASE_ENV:-/etc/stakepool/release.env}"

log() {
  printf '%s: %s\n' "${SCRIPT_NAME:-stakepool}" "$*" >&2
}

die() {
  log "ERROR: $*"
  exit 1
}

# The exit status of a failure that trying again cannot fix (a checksum mismatch, a volume the kit must
# not touch): the boot setup stops retrying and says so, instead of downloading the same bytes forever.
FATAL_EXIT=3

fatal() {
  log "ERROR (needs the operator, not a retry): $*"
  exit "$FATAL_EXIT"
}

# Reads KEY=value lines without evaluating them (a settings file is data, not code): the host's
# settings, then its release pins when they have arrived.
load_settings() {
  read_settings_file "$STAKEPOOL_NODE_ENV" required
  read_settings_file "$STAKEPOOL_RELEASE_ENV" optional
}

read_settings_file() {
  local file=$1 need=$2 line key value
  if [[ ! -r $file ]]; then
    [[ $need == optional ]] && return 0
    die "settings file $file is missing (the kit's setup delivery writes it)"
  fi
  while IFS= read -r line || [[ -n $line ]]; do
    [[ -z $line || $line == \#* ]] && continue
    [[ $line == *=* ]] || die "$file: not a KEY=value line: $line"
    key=${line%%=*}
    value=${line#*=}
    [[ $key =~ ^[A-Z][A-Z0-9_]*$ ]] || die "$file: bad setting name: $key"
    if [[ -z ${!key+set} ]]; then
      printf -v "$key" '%s' "$value"
      export "${key?}"
    fi
  done <"$file"
}

require_settings() {
  local name
  for name in "$@"; do
    [[ -n ${!name:-} ]] || die "setting $name is empty (see $STAKEPOOL_NODE_ENV)"
  done
}

# One lock for all node scripts. A script run by another that holds it (the boot setup) does not wait
# for itself.
take_lock() {
  [[ -n ${STAKEPOOL_LOCK_HELD:-} ]] && return 0
  require_settings LOCK_FILE
  mkdir -p "$(dirname "$LOCK_FILE")"
  exec 9>>"$LOCK_FILE"
  if ! flock -n 9; then
    log "another stakepool node script is running; waiting for $LOCK_FILE"
    flock -w "${LOCK_WAIT_SECONDS:-10800}" 9 || die "another stakepool node script still holds $LOCK_FILE"
  fi
  export STAKEPOOL_LOCK_HELD=1
}

check_version() {
  [[ $1 =~ ^[0-9A-Za-z][0-9A-Za-z._+-]*$ ]] || die "'$1' is not a release version"
}

# Prints the checksum in lower case; an empty one stays empty (unpinned).
normalise_sha256() {
  local sha=${1,,}
  [[ -z $sha || $sha =~ ^[0-9a-f]{64}$ ]] || die "'$1' is not a SHA-256 (64 hex digits)"
  printf '%s' "$sha"
}

# IMDSv2: a session token first, then the instance tag. Tags are readable because the instance enables
# instance-metadata tags. Proxies never apply to the link-local metadata address.
imds_token() {
  curl --noproxy '*' -fsS --max-time 5 --retry 10 --retry-delay 2 --retry-connrefused \
    -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "$IMDS_URL/latest/api/token"
}

# instance_tag KEY [optional] - prints the tag's value; a missing tag is an error unless optional.
instance_tag() {
  local key=$1 optional=${2:-} token body code
  require_settings IMDS_URL
  token=$(imds_token) || die "instance metadata (IMDSv2) did not answer at $IMDS_URL"
  body=$(mktemp)
  if ! code=$(curl --noproxy '*' -sS --max-time 5 --retry 5 --retry-delay 2 --retry-connrefused \
    -o "$body" -w '%{http_code}' -H "X-aws-ec2-metadata-token: $token" \
    "$IMDS_URL/latest/meta-data/tags/instance/$key"); then
    rm -f "$body"
    die "instance metadata (IMDSv2) did not answer for the tag $key"
  fi
  case $code in
    200) cat "$body" ;;
    404) [[ $optional == optional ]] || { rm -f "$body"; die "the instance has no tag $key (set by the kit)"; } ;;
    *) rm -f "$body"; die "instance metadata answered HTTP $code for the tag $key" ;;
  esac
  rm -f "$body"
}

# The policy for a release without a pinned checksum. Mainnet never installs one and does not even
# download it. A testnet downloads it only to print the hash it would have installed, then refuses too:
# the operator compares that hash with the release's published checksums and pins it.
refuse_unpinned() {
  local what=$1 url=$2 scratch=$3 actual
  if [[ $NETWORK == mainnet ]]; then
    fatal "no SHA-256 is pinned for $what; mainnet never installs an unverified release. Pin the checksum published with the release ($url)"
  fi
  download "$url" "$scratch"
  actual=$(sha256sum "$scratch" | cut -d' ' -f1)
  fatal "no SHA-256 is pinned for $what; nothing was installed. The download from $url hashed to $actual (UNVERIFIED: compare it with the checksums published with the release before pinning it)"
}

download() {
  local url=$1 dest=$2
  log "downloading $url"
  curl --proto '=http,https' -fsSL --retry 5 --retry-delay 5 --retry-connrefused --connect-timeout 20 \
    -o "$dest" "$url" || die "could not download $url"
}

# fetch_verified WHAT URL SHA256 DEST - the file at DEST matches SHA256, or the script has stopped.
fetch_verified() {
  local what=$1 url=$2 sha=$3 dest=$4 actual
  [[ -n $sha ]] || refuse_unpinned "$what" "$url" "$dest"
  download "$url" "$dest"
  actual=$(sha256sum "$dest" | cut -d' ' -f1)
  [[ $actual == "$sha" ]] || fatal "checksum mismatch for $what: pinned $sha, downloaded $actual; nothing was installed"
  log "verified $what (sha256 $sha)"
}

# Leftovers of a run that was killed (the lock is held, so no other run owns them).
remove_stale() {
  local dir=$1 pattern=$2
  [[ -d $dir ]] || return 0
  find "$dir" -mindepth 1 -maxdepth 1 -name "$pattern" -exec rm -rf -- {} +
}

# Where a release tarball is published: the pattern's {version} is replaced.
release_url() {
  local base=$1 pattern=$2 version=$3
  printf '%s/%s/%s' "$base" "$version" "${pattern//\{version\}/$version}"
}
