#!/bin/sh
# The live preview against Hugo's (#24): avoin serve and hugo server on the same corpus.
#
#   sh scripts/bench-serve.sh CORPUS HUGO_PROJECT [RUNS]
#
# CORPUS is a corpus of scripts/gen-corpus.py, HUGO_PROJECT the Hugo project
# scripts/bench.sh made for it (its config mounts CORPUS/content). Both
# servers run on a shared clone of CORPUS (the corpus itself is left as it
# was). Prints, for each server: the first build; from a saved one-record edit
# to the rebuilt page being served, RUNS times (Avoin: until the page it
# serves holds the new text, polled every 2 ms, and until its /_avoin/status
# counts the build, when the open data and the search index are written too;
# Hugo: its own "Total in N ms" line); the server's memory (resident once it has settled, and at its peak); for Avoin
# also a one-record commit served from the branch; and a load test with wrk
# (Debian's package, installed if missing) against Python's http.server on a
# built copy of the same site. Figures only: nothing here is a test.
set -eu
# (the servers run with --lang en: their "serving" line is read to find the port)
CORPUS=$1
HPROJ=$2
RUNS=${3:-3}
AVOIN=${AVOIN:-./avoin}
PY=${PY:-python3}
TOP=$(pwd)
case "$AVOIN" in /*) ;; *) AVOIN="$TOP/$AVOIN" ;; esac
W=$(mktemp -d "${TMPDIR:-/tmp}/avoin-bench-serve.XXXXXX")
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	sleep 0.5
	[ -n "${KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT INT TERM

if ! command -v wrk >/dev/null && [ "$(id -u)" = 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null 2>&1 || true
fi

git clone -q --shared "$CORPUS" "$W/repo"
git -C "$W/repo" config user.name Bench
git -C "$W/repo" config user.email bench@example.invalid
rec=$(cd "$W/repo" && git ls-files 'content/*.md' | grep -v '\.[a-z][a-z]\.md$' | grep -v region.md |
	sed -n 500p)
page="/$(echo "$rec" | sed -E 's,^content/,,; s,\.md$,/,')"

# settled PID: waits (60 s at most) until the server's memory has stopped falling for 3 s
# (Avoin packs its site in memory in the background after a build)
settled() {
	last=0 same=0 i=0
	while [ $same -lt 3 ] && [ $i -lt 60 ]; do
		now=$(awk '/^VmRSS/ { print $2 }' "/proc/$1/status")
		if [ "$now" -ge "$last" ] && [ "$last" -gt 0 ]; then same=$((same + 1)); else same=0; fi
		last=$now i=$((i + 1))
		sleep 1
	done
}
rss() { awk '/^VmRSS/ { r = $2 } /^VmHWM/ { h = $2 } END { printf "%d MB now, %d MB at its peak", r / 1024, h / 1024 }' "/proc/$1/status"; }
# ms_since T0: milliseconds from T0 (date +%s%N) to now
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# avoin_edits PORT: RUNS saved edits, each timed from the write until the edited page is
# served with the new text, and until the server counts its build (the site whole again)
avoin_edits() {
	$PY - "$1" "$W/repo/$rec" "$RUNS" "$page" <<'PYEOF'
import http.client, json, sys, time
port, path, runs, page = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
def builds():
    c.request("GET", "/_avoin/status")
    return json.loads(c.getresponse().read())["builds"]
def shows(text):
    c.request("GET", page)
    return text in c.getresponse().read().decode("utf-8", "replace")
served, whole = [], []
for i in range(1, runs + 1):
    time.sleep(0.5)
    b = builds()
    t0 = time.monotonic()
    text = f"Muokkaus {i} esikatselussa."
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"\n{text}\n")
    while not shows(text):
        time.sleep(0.002)
    served.append(round((time.monotonic() - t0) * 1000))
    while builds() <= b:
        time.sleep(0.002)
    whole.append(round((time.monotonic() - t0) * 1000))
print(" ".join(map(str, served)) + " (ms); the site whole again in " +
      " ".join(map(str, whole)) + " (ms)")
PYEOF
}

echo "Live preview: avoin serve against hugo server on $(basename "$CORPUS"), record $rec"
# --- avoin serve --worktree: a saved edit ---
(cd "$W/repo" && exec "$AVOIN" serve --worktree --port 0 --jobs 2 -q --lang en) >"$W/wt.log" 2>&1 &
pid=$!
pids="$pids $pid"
port=$($PY "$TOP/tests/e2e/serve_check.py" port "$W/wt.log")
t0=$(date +%s%N)
$PY "$TOP/tests/e2e/serve_check.py" wait "$port" 1 >/dev/null
first=$(ms_since "$t0")
edits=$(avoin_edits "$port")
$PY "$TOP/tests/e2e/serve_check.py" get "$port" "$page" | grep -q "Muokkaus $RUNS esikatselussa" ||
	{ echo "bench-serve: the edited page was not served" >&2; exit 1; }
settled "$pid"
echo "  avoin serve --worktree: first build $first ms; the edited page of a saved edit served in: $edits; memory $(rss "$pid") (once its site is packed)"
git -C "$W/repo" checkout -q -- content

# the load test, while this server runs: a record page and the stylesheet
if command -v wrk >/dev/null; then
	rm -rf "$W/site" "$W/site.cache"
	(cd "$W/repo" && "$AVOIN" build --worktree --out "$W/site" -q --jobs 2)
	(cd "$W/site" && exec $PY -m http.server 0 --bind 127.0.0.1) >"$W/http.log" 2>&1 &
	hpid=$!
	pids="$pids $hpid"
	sleep 1
	hport=$(sed -nE 's/.*port ([0-9]+).*/\1/p' "$W/http.log" | head -n 1)
	for what in "$page" /static/style.css; do
		a=$(wrk -t2 -c16 -d5s "http://127.0.0.1:$port$what" | awk '/Requests\/sec/ { print $2 }')
		p=$(wrk -t2 -c16 -d5s "http://127.0.0.1:$hport$what" | awk '/Requests\/sec/ { print $2 }')
		echo "  load, wrk -t2 -c16 -d5s $what: avoin serve $a requests/s; python3 -m http.server $p requests/s"
	done
	kill "$hpid"
else
	echo "  load test skipped: no wrk (Debian's package wrk)"
fi
kill -INT "$pid"
wait "$pid" || true

# --- avoin serve on the branch: a new commit ---
(cd "$W/repo" && exec "$AVOIN" serve --port 0 --jobs 2 -q --lang en) >"$W/git.log" 2>&1 &
pid=$!
pids="$pids $pid"
port=$($PY "$TOP/tests/e2e/serve_check.py" port "$W/git.log")
t0=$(date +%s%N)
$PY "$TOP/tests/e2e/serve_check.py" wait "$port" 1 >/dev/null
first=$(ms_since "$t0")
t0=$(date +%s%N)
printf '\nMuokkaus uudessa versiossa.\n' >>"$W/repo/$rec"
git -C "$W/repo" commit -qam "Yhden asiakirjan muutos"
$PY "$TOP/tests/e2e/serve_check.py" wait "$port" 2 >/dev/null
served=$(ms_since "$t0")
settled "$pid"
echo "  avoin serve (branch): first build $first ms; a one-record commit served in $served ms; memory $(rss "$pid") (once its site is packed)"
kill -INT "$pid"
wait "$pid" || true

# --- hugo server on the same clone ---
# inside the repository, for enableGitInfo, as scripts/bench.sh has it
cp -R "$HPROJ" "$W/repo/.hugo-bench"
echo '/.hugo-bench/' >>"$W/repo/.git/info/exclude"
sed -i "s|source: .*/content$|source: $W/repo/content|" "$W/repo/.hugo-bench/config.yaml"
(exec hugo server --source "$W/repo/.hugo-bench" --port 13137 --bind 127.0.0.1 --disableLiveReload) >"$W/hugo.log" 2>&1 &
pid=$!
pids="$pids $pid"
i=0
until grep -q "Web Server is available" "$W/hugo.log" || [ $i -ge 600 ]; do sleep 0.2; i=$((i + 1)); done
first=$(sed -nE 's/^Built in ([0-9]+) ms.*/\1/p' "$W/hugo.log" | head -n 1)
for i in $(seq 1 "$RUNS"); do
	n=$(grep -c "^Total in" "$W/hugo.log" || true)
	printf '\nMuokkaus %s Hugolle.\n' "$i" >>"$W/repo/$rec"
	j=0
	until [ "$(grep -c "^Total in" "$W/hugo.log" || true)" -gt "$n" ] || [ $j -ge 300 ]; do sleep 0.1; j=$((j + 1)); done
	sleep 0.5
done
edits=$(sed -nE 's/^Total in ([0-9]+) ms.*/\1/p' "$W/hugo.log" | tr '\n' ' ')
echo "  hugo server: first build ${first:-?} ms; a saved edit rebuilt in: ${edits}(ms, its own lines); memory $(rss "$pid")"
kill "$pid"
