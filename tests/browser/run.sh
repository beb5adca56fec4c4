#!/bin/sh
# The browser stage of `make test`: the example site and a fixture with every
# page kind (fixture.sh) and a municipality's own site (--scope), built with
# BUILD/avoin, looked at in Debian's Chromium (check.mjs: axe-core, sideways
# scrolling, focus rings, the skip link) and validated with html-validate
# (htmlvalidate.cjs); then `avoin serve` of the
# example site, edited while a page is open (serve.mjs). `make test` installs
# Chromium and the pinned npm packages (scripts/install-deps.sh test); where
# they are absent, the stage says so and is counted as skipped.
# Prints "N passed, M failed, K skipped" last.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
b=${1:-build}
here="$top/tests/browser"
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ] || [ ! -d "$here/node_modules/playwright-core" ] || ! command -v node >/dev/null; then
	echo "skip browser stage: Chromium ($chromium), Node.js or tests/browser/node_modules is missing;" \
		"'make test' installs them as root (scripts/install-deps.sh test)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/avoin-browser.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
count() { # count LOG: adds the log's closing "N passed, M failed"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	[ -n "$line" ] || { fail=$((fail + 1)); return; }
	pass=$((pass + $(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')))
	fail=$((fail + $(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')))
}
check() { # check NAME: one line, "ok" or "not ok" with what went wrong
	if [ "$2" = 0 ]; then
		pass=$((pass + 1)); echo "ok - $1"
	else
		fail=$((fail + 1)); echo "not ok - $1"; sed 's/^/#   /' "$tmp/out" | head -n 40
	fi
}

(cd "$top" && "$top/$b/avoin" build -q --out "$tmp/example") >"$tmp/out" 2>&1
check "the example site builds" $?
(export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp"; sh "$here/fixture.sh" "$tmp/fixture" &&
	cd "$tmp/fixture" && "$top/$b/avoin" build -q --out "$tmp/fixture-site") >"$tmp/out" 2>&1
check "the fixture with every page kind builds" $?

# a municipality's own site (avoin build --scope): Kokkola's, bilingual, its links out marked
(cd "$top" && "$top/$b/avoin" build -q --scope keski-pohjanmaa/kokkola --out "$tmp/kokkola") \
	>"$tmp/out" 2>&1
check "the scoped site of a municipality (Kokkola) builds" $?

for site in example fixture-site kokkola; do
	# the example site's search is typed into with the first query of each language
	q=""
	[ "$site" = example ] && q="$top/tests/e2e/search-queries.tsv"
	# Kokkola's site has the example's templates, which its run looks at in full: axe and overflow
	only=""
	[ "$site" = kokkola ] && only="--axe-only"
	node "$here/check.mjs" "$tmp/$site" --label "$site" ${q:+--search "$q"} $only >"$tmp/log" 2>&1
	grep -E '^(not ok|#)' "$tmp/log" | head -n 60
	tail -n 1 "$tmp/log" | sed "s|^|browser $site: |"
	count "$tmp/log"
	(cd "$here" && node node_modules/html-validate/bin/html-validate.mjs --config htmlvalidate.cjs \
		"$tmp/$site/**/*.html") >"$tmp/out" 2>&1
	check "html-validate: no error on any page of $site" $?
done
# the preview: a copy of the example site in a repository of its own, served from its working tree
rec=keski-pohjanmaa/poytakirjat/2024-01-26-alueneuvottelukunta-6
mkdir -p "$tmp/preview" && cp -r "$top/content" "$tmp/preview/content" &&
	(cd "$tmp/preview" && git init -q && git add -A &&
		git -c user.name=Testi -c user.email=testi@example.invalid commit -q -m "Esimerkki") >"$tmp/out" 2>&1
check "a repository for the preview" $?
(cd "$tmp/preview" && exec "$top/$b/avoin" serve --worktree --port 0 --theme "$top/themes/default") \
	>"$tmp/serve.log" 2>&1 &
spid=$!
py=/usr/bin/python3
[ -x "$py" ] || py=python3
port=$("$py" "$top/tests/e2e/serve_check.py" port "$tmp/serve.log") &&
	"$py" "$top/tests/e2e/serve_check.py" wait "$port" 1 >/dev/null &&
	node "$here/serve.mjs" "http://127.0.0.1:$port/$rec/" "$tmp/preview/content/$rec.md" \
		${SHOTS:+--shots "$SHOTS"} >"$tmp/log" 2>&1
grep -E '^(not ok|#)' "$tmp/log" | head -n 40
tail -n 1 "$tmp/log" | sed "s|^|browser preview: |"
count "$tmp/log"
kill -INT "$spid" 2>/dev/null
wait "$spid"
echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" = 0 ]
