#!/bin/sh
# `avoin serve`: the preview keeps the site in memory and builds again on a
# change. On a region of the example site, in a repository of its own: after
# every edit, rename, deletion, theme change and commit, the served site is
# byte for byte what `avoin build` of the same state writes (every path,
# every file; HTML pages without the preview's snippet); open pages are told
# to reload; an error shows in an overlay over the last good pages and goes
# when it is fixed; requests that try to leave the site are refused; Ctrl-C
# stops it cleanly. The sanitizer pass runs this with the ASan binary.
. "$(dirname "$0")/lib.sh"
# Debian's Python where there is one (install-deps.sh installs it): it starts in a tenth
# of the time a version manager's shim takes, and this test starts it some forty times
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
CHECK="$AVOIN_TOP/tests/e2e/serve_check.py"

# a region of the example site (hooks, data files, partnership groups, translations), with
# two minutes of its own that no other record links to
REC=content/pohjois-karjala/poytakirjat
mkdir -p site/content && cp "$AVOIN_TOP/content/site.yaml" site/content/ &&
	cp -r "$AVOIN_TOP/content/pohjois-karjala" site/content/ && cp -r "$AVOIN_TOP/themes/default" theme &&
	for n in 1 2; do
		cat >"site/$REC/2025-01-1$n-esikatselu-$n.md" <<-MD
		---
		type: minutes
		title: "Esikatselun pöytäkirja $n"
		date: 2025-01-1$n
		body: "Pohjois-Karjalan hyte-lautakunta"
		section: $n
		---
		Pöytäkirjan $n teksti.
		MD
	done &&
	(cd site && git init -q && git add -A && git commit -q -m "Esimerkkisivusto") &&
	# saved long ago, so that a preview of the working tree keeps them between reads
	find site/content -type f -exec touch -d "2020-01-01 12:00" {} +
rec=$REC/2025-01-11-esikatselu-1.md

# start_serve NAME ARGS...: avoin serve in the background, its output in NAME.log, port in NAME.port
start_serve() {
	name=$1
	shift
	mkdir -p "$TMP/tmp"
	(cd site && TMPDIR="$TMP/tmp" exec "$AVOIN" serve --port 0 --theme ../theme --jobs 2 "$@") \
		>"$name.log" 2>&1 &
	echo $! >"$name.pid"
	echo 1 >"$name.builds"
	$PY "$CHECK" port "$name.log" >"$name.port"
}
port() { cat "$1.port"; }
# wait_builds NAME N: until NAME's server has done N builds (its status in NAME.status);
# when it has not, what the server printed last
wait_builds() {
	$PY "$CHECK" wait "$(port "$1")" "$2" >"$1.status" ||
		{ echo "the server's last lines:"; tail -n 20 "$1.log"; return 1; }
}
# next_build NAME: waits for the next build to be done (the count is kept in a file:
# each test runs in a subshell of its own)
next_build() {
	n=$(($(cat "$1.builds") + 1))
	echo "$n" >"$1.builds"
	wait_builds "$1" "$n"
}
# same_as_build NAME BUILD-ARGS...: the served site equals a fresh build's
same_as_build() {
	name=$1
	shift
	rm -rf "ref" "ref.cache"
	(cd site && "$AVOIN" build -q --out ../ref --theme ../theme --jobs 1 "$@") &&
		$PY "$CHECK" compare "$(port "$name")" ref
}

test_expect_success 'serve --worktree builds once and serves the site on loopback' '
	start_serve wt --worktree &&
	wait_builds wt 1 &&
	assert_contains wt.log "serving http://127.0.0.1:" &&
	assert_contains wt.log "only this machine can reach it" &&
	assert_contains wt.status "\"errors\": 0" &&
	same_as_build wt --worktree
'

test_expect_success 'in memory the site is packed with a dictionary of its own; every file is sent as it was built' '
	# the compactor starts 300 ms after a build and yields to everything else: a busy
	# machine (the suite runs two passes at once) may keep it waiting for a while
	i=0 && while sleep 1 && same_as_build wt --worktree >cmp.out &&
		grep -q " 0 packed in memory" cmp.out && [ $i -lt 30 ]; do i=$((i + 1)); done;
	same_as_build wt --worktree >cmp.out && cat cmp.out &&
	! grep -q " 0 packed in memory" cmp.out &&
	assert_contains cmp.out "with a dictionary of the site" &&
	assert_contains cmp.out ", 0 differences"
'

test_expect_success 'a saved edit is served, open pages are told to reload' '
	gen=$(sed -E "s/.*\"generation\": ([0-9]+).*/\1/" wt.status) &&
	( $PY "$CHECK" events "$(port wt)" "$gen" >events.out & echo $! >events.pid ) &&
	sleep 0.3 &&
	printf "\nEsikatselussa lisätty kappale.\n" >>"site/$rec" &&
	next_build wt &&
	wait "$(cat events.pid)" 2>/dev/null; assert_contains events.out reload &&
	same_as_build wt --worktree &&
	page=$(echo "$rec" | sed -E "s,^content/,,; s,\.md$,/,") &&
	$PY "$CHECK" get "$(port wt)" "/$page" >page.out &&
	assert_contains page.out "Esikatselussa lisätty kappale." &&
	assert_contains page.out "<script src=\"/_avoin/live.js\""
'

test_expect_success 'a page served before a change reloads at once when it connects' '
	$PY "$CHECK" events "$(port wt)" 0 >stale.out && assert_contains stale.out reload
'

test_expect_success 'a saved edit of a body alone is brought in without a build; a summary, front matter or error is built' '
	patched() { grep -c "brought the saved text" wt.log || true; } &&
	before=$(patched) &&
	printf "\nToinen lisätty kappale.\n" >>"site/$rec" && next_build wt &&
	[ "$(patched)" -eq $((before + 1)) ] && same_as_build wt --worktree &&
	sed -i "s/^Pöytäkirjan 1 teksti\./Pöytäkirjan 1 uusi alku./" "site/$rec" && next_build wt &&
	[ "$(patched)" -eq $((before + 1)) ] && same_as_build wt --worktree &&
	sed -i "s/^section: 1\$/section: 11/" "site/$rec" && next_build wt &&
	[ "$(patched)" -eq $((before + 1)) ] && same_as_build wt --worktree &&
	printf "\n[Linkki](puuttuva.md)\n" >>"site/$rec" && next_build wt &&
	assert_contains wt.status "\"errors\": 1" && [ "$(patched)" -eq $((before + 1)) ] &&
	sed -i "/puuttuva/d" "site/$rec" && next_build wt && assert_contains wt.status "\"errors\": 0" &&
	same_as_build wt --worktree &&
	printf "\nKolmas kappale.\n" >>"site/$rec" && next_build wt &&
	printf "\nNeljäs kappale.\n" >>"site/$rec" && next_build wt &&
	[ "$(patched)" -eq $((before + 3)) ] && same_as_build wt --worktree
'

test_expect_success 'a body edit in words the index has patches its shards; the index equals a build' '
	start_serve px --worktree --timings && wait_builds px 1 &&
	echo 1 >px.builds && sleep 2.2 &&
	printf "\nPöytäkirjan teksti.\n" >>"site/$rec" && next_build px &&
	printf "\nPöytäkirjan 1 teksti lisätty kappale.\n" >>"site/$rec" && next_build px &&
	grep -q "search index: patched in [1-9]" px.log && same_as_build px --worktree &&
	kill -INT "$(cat px.pid)" && { wait "$(cat px.pid)" || true; } &&
	sleep 1 && wait_builds wt 1 &&
	sed -E "s/.*\"builds\": ([0-9]+).*/\1/" wt.status >wt.builds
'

test_expect_success 'a renamed and a deleted record: the served site follows' '
	other=$REC/2025-01-12-esikatselu-2.md &&
	mv "site/$rec" "site/$REC/uusi-nimi.md" &&
	next_build wt && same_as_build wt --worktree &&
	rm "site/$other" && next_build wt && same_as_build wt --worktree &&
	gone=$(echo "$other" | sed -E "s,^content/,,; s,\.md$,/,") &&
	$PY "$CHECK" get "$(port wt)" "/$gone" >gone.out && head -n 1 gone.out >gone.status &&
	assert_contains gone.status 404
'

test_expect_success 'files a .gitignore or info/exclude leaves out are left out, also when kept from the last read' '
	start_serve ig --worktree --timings && wait_builds ig 1 &&
	echo 1 >ig.builds &&
	new=$REC/2025-01-13-kokeilu.md && sed "s/Esikatselun pöytäkirja 1/Kokeilu/" \
		"site/$REC/uusi-nimi.md" >"site/$new" && touch -d "2020-01-01 12:00" "site/$new" &&
	page="ref/$(echo "$new" | sed -E "s,^content/,,; s,\.md$,,")" &&
	next_build ig && same_as_build ig --worktree && test -d "$page" &&
	echo "2025-01-13-kokeilu.md" >"site/$REC/.gitignore" &&
	touch "site/$REC/uusi-nimi.md" && next_build ig && same_as_build ig --worktree &&
	! test -d "$page" &&
	sleep 3 && touch "site/$REC/uusi-nimi.md" && next_build ig && same_as_build ig --worktree &&
	sleep 3 && touch "site/$REC/uusi-nimi.md" && next_build ig && same_as_build ig --worktree &&
	grep -E "[1-9][0-9]* ignore decisions" ig.log &&
	rm "site/$REC/.gitignore" && next_build ig && same_as_build ig --worktree &&
	test -d "$page" &&
	sleep 3 && echo "*kokeilu*" >>site/.git/info/exclude &&
	touch "site/$REC/uusi-nimi.md" && next_build ig && same_as_build ig --worktree &&
	! test -d "$page" &&
	sed -i "/kokeilu/d" site/.git/info/exclude && rm "site/$new" &&
	kill -INT "$(cat ig.pid)" && { wait "$(cat ig.pid)" || true; } &&
	# the first server built on these changes too: its count of builds, once it is quiet
	sleep 1 && wait_builds wt 1 &&
	sed -E "s/.*\"builds\": ([0-9]+).*/\1/" wt.status >wt.builds && cat wt.builds
'

test_expect_success 'a change of the theme is served' '
	sed -i "s,</footer>,<p>Teeman muutos</p></footer>," theme/templates/layout.mustache &&
	next_build wt && same_as_build wt --worktree &&
	$PY "$CHECK" get "$(port wt)" / >front.out && assert_contains front.out "Teeman muutos"
'

test_expect_success 'an error shows over the last good pages, with file and line, escaped; fixing it clears it' '
	cp -r ref good && cp "site/$REC/uusi-nimi.md" saved.md &&
	sed -i "s/^type: .*/type: <valmis>/" "site/$REC/uusi-nimi.md" &&
	next_build wt && assert_contains wt.status "\"errors\": 1" &&
	$PY "$CHECK" get "$(port wt)" / >err.out &&
	assert_contains err.out "id=\"avoin-errors\" role=\"alert\"" &&
	assert_contains err.out "$REC/uusi-nimi.md:" &&
	assert_contains err.out "&lt;valmis&gt;" && assert_not_contains err.out "<valmis>" &&
	$PY "$CHECK" compare "$(port wt)" good &&
	assert_contains wt.log "the last good site stays served" &&
	cp saved.md "site/$REC/uusi-nimi.md" &&
	next_build wt && assert_contains wt.status "\"errors\": 0" &&
	$PY "$CHECK" get "$(port wt)" / >fixed.out && assert_not_contains fixed.out "avoin-errors" &&
	same_as_build wt --worktree
'

test_expect_success 'a commit while the working tree is previewed: its history is served' '
	(cd site && git add -A && git commit -q -m "Esikatseltu muutos") &&
	next_build wt && same_as_build wt --worktree &&
	short=$(cd site && git rev-parse --short=7 HEAD) &&
	$PY "$CHECK" get "$(port wt)" / >head.out && assert_contains head.out "<code>$short</code>"
'

test_expect_success 'requests that leave the site or are malformed get 400, 404, 405 or 414' '
	p=$(port wt) && : >raw.out &&
	for r in "GET /../../../../etc/passwd HTTP/1.1" \
		"GET /%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1" \
		"GET /static/..%2f..%2f..%2fetc/passwd HTTP/1.1" \
		"GET /%2E%2E%2F%2E%2E%2Fetc%2Fpasswd HTTP/1.1" \
		"GET /static/%2e%2e/%2e%2e/etc/passwd HTTP/1.1" \
		"GET /..%5c..%5cetc%5cpasswd HTTP/1.1" \
		"GET /index.html%00.css HTTP/1.1" \
		"GET //etc/passwd HTTP/1.1" \
		"GET /./index.html HTTP/1.1" \
		"GET /%C0%AE%C0%AE/etc/passwd HTTP/1.1" \
		"GET http://x/../../etc/passwd HTTP/1.1" \
		"GET /.git/config HTTP/1.1" \
		"GET /%zz HTTP/1.1" \
		"POST / HTTP/1.1"; do
		$PY "$CHECK" raw "$p" "$r\\r\\nHost: x\\r\\nConnection: close\\r\\nContent-Length: 0\\r\\n\\r\\n" >>raw.out || return 1
	done &&
	long=$(head -c 3000 /dev/zero | tr "\0" a) &&
	$PY "$CHECK" raw "$p" "GET /$long HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n" >>raw.out &&
	$PY "$CHECK" raw "$p" "GET /{LONG:200000} HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n" >>raw.out &&
	cat raw.out &&
	assert_not_contains raw.out LEAKED && assert_not_contains raw.out "200 " &&
	[ "$(grep -cE "^(400|404|405|414|431) clean$" raw.out)" = 16 ] ||
	{ echo "expected 16 refusals"; false; } &&
	$PY "$CHECK" raw "$p" "GET / HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n" >ok.out &&
	assert_contains ok.out "200 clean"
'

test_expect_success 'Ctrl-C stops the server cleanly and its private cache goes' '
	kill -INT "$(cat wt.pid)" && i=0 &&
	while kill -0 "$(cat wt.pid)" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done &&
	! kill -0 "$(cat wt.pid)" 2>/dev/null &&
	assert_contains wt.log "avoin: stopped" &&
	assert_not_contains wt.log "Sanitizer" && assert_not_contains wt.log "runtime error" &&
	[ -z "$(ls -A "$TMP/tmp")" ] || { ls -A "$TMP/tmp"; false; }
'

test_expect_success 'serve of a branch: a new commit and a reset are served as built' '
	start_serve git --out ../served &&
	wait_builds git 1 && same_as_build git &&
	printf "\nUusi kappale uudessa versiossa.\n" >>"site/$REC/uusi-nimi.md" &&
	(cd site && git commit -q -am "Uusi kappale") && next_build git && same_as_build git &&
	(cd site && git reset -q --hard HEAD~1) && next_build git && same_as_build git &&
	diff -r ref served &&
	printf "\nTallennettu, ei vielä talletettu.\n" >>"site/$REC/uusi-nimi.md" && sleep 1 &&
	n=$(cat git.builds) && wait_builds git "$n" &&
	assert_contains git.status "\"builds\": $n," &&
	kill -TERM "$(cat git.pid)" && wait "$(cat git.pid)" &&
	assert_not_contains git.log "Sanitizer" && assert_not_contains git.log "runtime error"
'

test_expect_success 'a port in use, a bad address and serve-only options elsewhere are usage errors' '
	start_serve busy --worktree && p=$(port busy) &&
	! (cd site && "$AVOIN" serve --worktree --theme ../theme --port "$p") 2>busy.err &&
	assert_contains busy.err "cannot listen on 127.0.0.1 port $p" &&
	kill -INT "$(cat busy.pid)" && wait "$(cat busy.pid)" &&
	! (cd site && "$AVOIN" serve --bind nowhere --port 0) 2>bind.err &&
	assert_contains bind.err "is no IP address" &&
	! (cd site && "$AVOIN" build --port 8000) 2>opt.err &&
	assert_contains opt.err "are options of '"'"'serve'"'"'"
'

# a server that a failed test left running stops here, not when its folder is gone
for f in *.pid; do
	[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
done
test_done
