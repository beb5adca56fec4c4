#!/bin/sh
# Installs what the build and the tests need, if any of it is missing.
# Run as root on Debian 12 (it is what `make site` and `make test` call first).
#   install-deps.sh        the Debian packages the build needs
#   install-deps.sh test   those, and the browser stage's: Debian's Chromium, Node.js
#                          where it is absent, and the npm packages pinned by
#                          tests/browser/package-lock.json (npm ci)
set -eu
PKGS="build-essential pkg-config git libcmark-dev liblua5.4-dev libgit2-dev libyaml-dev libssl-dev libjemalloc-dev libstemmer-dev libmicrohttpd-dev libzstd-dev python3"
if [ "${1:-}" = test ]; then
	PKGS="$PKGS chromium fonts-dejavu-core python3-icalendar"
	command -v node >/dev/null && command -v npm >/dev/null || PKGS="$PKGS nodejs npm"
fi
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
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
fi
if [ "${1:-}" = test ]; then
	# the lock file pins every package; installed again only when it changed
	dir=$(cd "$(dirname "$0")/../tests/browser" && pwd)
	if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
	   [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
		echo "install-deps: npm ci in tests/browser"
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
	fi
fi
