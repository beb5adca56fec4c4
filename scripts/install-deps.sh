#!/bin/sh
# Installs the Debian packages the build and the tests need, if any is missing.
# Run as root on Debian 12 (it is what `make site` and `make test` call first).
set -eu
PKGS="build-essential pkg-config git libcmark-dev liblua5.4-dev libgit2-dev libyaml-dev libssl-dev libjemalloc-dev python3"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: these Debian packages are missing:$missing" >&2
	echo "install-deps: run as root, or: sudo apt-get install$missing" >&2
	exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
