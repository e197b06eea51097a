#!/usr/bin/env bash
# The tests drive real programs: Debian's Chromium (Playwright cannot download its own browser here),
# the aws CLI v2, kubectl, promtool (Debian's prometheus package) for the alert rules, and Python's
# kubernetes and boto3 clients, and a Korean font. Install whichever is missing; runs before `npm test`.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/aws ] || need+=(awscli)
command -v kubectl >/dev/null 2>&1 || need+=(kubernetes-client)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
# The simulator's tests of the official Python clients (Debian's, for /usr/bin/python3).
/usr/bin/python3 -c 'import kubernetes, boto3' >/dev/null 2>&1 || need+=(python3-kubernetes python3-boto3)
# A Hangul font, so the Korean page (lab mode's screenshots, the i18n specs) is drawn in letters, not boxes.
[ -d /usr/share/fonts/truetype/nanum ] || need+=(fonts-nanum)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: missing ${need[*]}; install them (Debian: apt-get install ${need[*]}) and run again" >&2
  exit 1
fi
echo "system-deps: installing ${need[*]} from Debian"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
