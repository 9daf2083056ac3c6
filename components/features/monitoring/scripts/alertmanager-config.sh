#!/usr/bin/env bash
# Writes the configuration Alertmanager reads from the kit's template: the Telegram bot token, when the
# template asks for it, comes from its file on this host (Debian 12's Alertmanager 0.25 cannot read it
# from a file itself); the AWS account in the alerts topic's ARN, when the template asks for it, from the
# instance identity document (IMDSv2: /latest/dynamic/instance-identity/document, its accountId). The
# result is checked with amtool before it replaces the running one, and is readable by root and the
# prometheus group only. The token is never printed.
#
#   alertmanager-config.sh [<token file>]     (as root)
#
# R prefixes every path (tests run it in a temporary root); ALERTMANAGER_GROUP names the group that
# Alertmanager runs as (tests use an existing one); IMDS_ENDPOINT the instance metadata service (tests
# serve one on loopback).
set -euo pipefail

R="${R:-}"
TEMPLATE="$R/etc/stakepool/monitoring/alertmanager.yml.in"
TARGET="$R/etc/stakepool/monitoring/alertmanager.yml"
PLACEHOLDER=STAKEPOOL_TELEGRAM_BOT_TOKEN
ACCOUNT_PLACEHOLDER=STAKEPOOL_AWS_ACCOUNT_ID
IMDS="${IMDS_ENDPOINT:-http://169.254.169.254}"
GROUP="${ALERTMANAGER_GROUP:-prometheus}"
token_file="${1:-}"

die() {
  printf 'alertmanager-config: ERROR: %s\n' "$*" >&2
  exit 1
}

[[ -r $TEMPLATE ]] || die "$TEMPLATE is missing (the monitoring step delivers it)"
new="$TARGET.new"
trap 'rm -f "$new"' EXIT
rm -f "$new"
fill=()
if grep -q "$PLACEHOLDER" "$TEMPLATE"; then
  [[ -n $token_file ]] || die "the configuration sends to Telegram, but no token file was given"
  [[ -r $R$token_file ]] || die "cannot read the Telegram token file $token_file"
  token=$(tr -d ' \t\r\n' <"$R$token_file")
  # A bot token is <bot id>:<secret> (BotFather); nothing else may reach the file, and none of these
  # characters means anything to sed or YAML.
  [[ $token =~ ^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$ ]] || die "$token_file does not hold a Telegram bot token (<digits>:<letters, digits, _ or ->)"
  fill+=(-e "s/$PLACEHOLDER/$token/")
fi
if grep -q "$ACCOUNT_PLACEHOLDER" "$TEMPLATE"; then
  imds_token=$(curl -fsS -m 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "$IMDS/latest/api/token") ||
    die "the configuration publishes to SNS, but the instance metadata service does not answer"
  document=$(curl -fsS -m 5 -H "X-aws-ec2-metadata-token: $imds_token" "$IMDS/latest/dynamic/instance-identity/document") ||
    die "the instance metadata service gives no identity document"
  account=$(printf '%s' "$document" | python3 -c 'import json, sys; print(json.load(sys.stdin)["accountId"])' 2>/dev/null) || account=""
  # Twelve digits and nothing else: an account id is all that may reach the ARN.
  [[ $account =~ ^[0-9]{12}$ ]] || die "the identity document holds no AWS account id"
  fill+=(-e "s/$ACCOUNT_PLACEHOLDER/$account/")
fi
if [[ ${#fill[@]} -gt 0 ]]; then
  (umask 077 && sed "${fill[@]}" "$TEMPLATE" >"$new")
else
  (umask 077 && cp "$TEMPLATE" "$new")
fi
chown "root:$GROUP" "$new"
chmod 0640 "$new"
# amtool's own messages may quote the file: keep them off the logs.
amtool check-config "$new" >/dev/null 2>&1 || die "amtool refuses the new configuration; Alertmanager keeps the one it runs"
mv -f "$new" "$TARGET"
trap - EXIT
