#!/bin/sh
# make bench: Avoin against Hugo on the same synthetic content repository.
#
#   N=10000 C=2000 SEED=1 RUNS=3 BENCH_DIR=/tmp/avoin-bench sh scripts/bench.sh
#
# Run from the project root (Avoin finds themes/default relative to it). Generates
# the corpus with scripts/gen-corpus.py (N records at HEAD, C commits; reused when
# it exists for the same N, C and seed), then measures three scenarios for each
# tool with /usr/bin/time, RUNS runs each, and prints the medians:
#   scratch  a full build into an empty output folder (caches removed too)
#   noop     a rebuild with nothing changed (same output folder)
#   commit   a rebuild after one new commit that changes one record's body
# and, as the floor under those, how long unpacking the same files with tar
# takes (see "writing alone" below).
# Hugo (Debian's package, installed if missing) reads the same files from the
# corpus's working tree with enableGitInfo, through a minimal layout in
# scripts/hugo-site/. Exit status: 0, or 1 when a tool failed to run.
set -eu

N=${N:-10000}
C=${C:-2000}
SEED=${SEED:-1}
# The corpus's shape (make bench runs each of them in turn):
#   current        the generator's default: indicator blocks in a tenth of the bodies,
#                  repacked with -f (newest versions whole)
#   hooks          hook-heavy: 1.2 indicator blocks per record on average, data files and
#                  annexes in each region's folders (src=, indicators, annexes)
#   import         import-packed: the same files as hooks, fast-import then git gc (no -f):
#                  as an import of years of documents leaves a repository
SHAPE=${SHAPE:-current}
case "$SHAPE" in
current) SHAPE_ARGS="" ;;
hooks) SHAPE_ARGS="--indicator-blocks 1.2 --region-files" ;;
import) SHAPE_ARGS="--indicator-blocks 1.2 --region-files --pack gc" ;;
*) echo "bench: SHAPE must be current, hooks or import (got '$SHAPE')" >&2; exit 2 ;;
esac
RUNS=${RUNS:-3}
BENCH_DIR=${BENCH_DIR:-/tmp/avoin-bench}
AVOIN=${AVOIN:-./avoin}

say() { printf '%s\n' "bench: $*"; }
die() { printf '%s\n' "bench: $*" >&2; exit 2; }

# shellcheck disable=SC2015
[ -f scripts/gen-corpus.py ] && [ -d scripts/hugo-site ] && [ -d themes/default ] ||
	die "run from the project root (expected scripts/gen-corpus.py, scripts/hugo-site/, themes/default/)"
case "$RUNS" in ''|*[!0-9]*|0) die "RUNS must be a positive number (got '$RUNS')";; esac

# --- the tools -------------------------------------------------------------
# As scripts/install-deps.sh: Debian packages, checked with dpkg-query.
missing=""
for p in hugo time; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	say "installing Debian packages:$missing"
	if [ "$(id -u)" != 0 ]; then
		die "these Debian packages are missing:$missing (run as root, or: sudo apt-get install$missing)"
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
W="$BENCH_DIR/work"
rm -rf "$W"
mkdir -p "$W"

# --- the corpus ------------------------------------------------------------
# Reused when it was made for the same N, C and seed by the same generator: the
# stamp holds the generator's checksum and the HEAD it made.
CORPUS="$BENCH_DIR/corpus-n$N-c$C-s$SEED"
[ "$SHAPE" = current ] || CORPUS="$CORPUS-$SHAPE"
STAMP="$CORPUS/.git/avoin-bench-stamp"
GEN_SUM=$(cksum <scripts/gen-corpus.py | cut -d' ' -f1)
GEN_SECS=""
if [ -f "$STAMP" ] && [ "$(cut -d' ' -f1 "$STAMP")" = "$GEN_SUM" ] &&
	git -C "$CORPUS" cat-file -e "$(cut -d' ' -f2 "$STAMP")^{commit}" 2>/dev/null; then
	ORIG=$(cut -d' ' -f2 "$STAMP")
	say "reusing the corpus in $CORPUS"
else
	rm -rf "$CORPUS"
	say "generating the corpus: $N records, $C commits, seed $SEED, shape $SHAPE"
	t0=$(date +%s.%N)
	# shellcheck disable=SC2086 # the shape's arguments are words
	python3 scripts/gen-corpus.py --out "$CORPUS" --records "$N" --commits "$C" --seed "$SEED" \
		$SHAPE_ARGS
	GEN_SECS=$(echo "$t0 $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }')
	ORIG=$(git -C "$CORPUS" rev-parse HEAD)
	echo "$GEN_SUM $ORIG" >"$STAMP"
fi
# A run that was stopped during the 'commit' scenario leaves its commit behind.
git -C "$CORPUS" reset -q --hard "$ORIG"
trap 'git -C "$CORPUS" reset -q --hard "$ORIG" 2>/dev/null || true; rm -rf "$BENCH_DIR/trash" "$W"/*.tar' EXIT
trap 'exit 130' INT TERM

# The one record the 'commit' scenario changes: a published minutes record in the
# middle of the sorted list, so every run (and every machine) changes the same one.
EDIT=""
# shellcheck disable=SC2046 # slugs: no spaces
set -- $(git -C "$CORPUS" ls-files 'content/*/poytakirjat/*.md' | sort)
[ $# -gt 0 ] || die "the corpus has no minutes records"
i=$(( ($# + 1) / 2 ))
shift $((i - 1))
for f in "$@"; do
	if ! grep -q '^draft: true' "$CORPUS/$f"; then EDIT=$f; break; fi
done
[ -n "$EDIT" ] || die "no published minutes record to change"

# Makes the scenario's commit: one paragraph added to one record; fixed identity,
# dates and message, so the commit id is the same on every run.
bench_commit() {
	printf '\nLisätty vertailuajoa varten: yksi muutettu kappale.\n' >>"$CORPUS/$EDIT"
	GIT_AUTHOR_NAME="Bench" GIT_AUTHOR_EMAIL="bench@example.invalid" \
	GIT_COMMITTER_NAME="Bench" GIT_COMMITTER_EMAIL="bench@example.invalid" \
	GIT_AUTHOR_DATE="2025-11-03T10:00:00+0200" GIT_COMMITTER_DATE="2025-11-03T10:00:00+0200" \
		git -C "$CORPUS" -c commit.gpgsign=false commit -q -m "Päivitä ${EDIT#content/}" -- "$EDIT"
}
bench_reset() { git -C "$CORPUS" reset -q --hard "$ORIG"; }

# --- Hugo's project --------------------------------------------------------
# Hugo's git info runs `git log` in the repository that contains its working
# folder and matches the log's paths (relative to the repository's top) against
# each page's file name. So the project lives inside the corpus's working tree,
# in a folder git ignores, and mounts the corpus's content/ as its content: the
# pages' files are the repository's files, and their history is the corpus's.
# Hugo makes list pages only for top-level folders unless a folder has an
# _index.md; the region and record folders get one from a second mount, so that
# the corpus itself (which Avoin validates: '_index' is no slug) stays untouched.
HPROJ="$CORPUS/.hugo-bench"
grep -qx '/.hugo-bench/' "$CORPUS/.git/info/exclude" 2>/dev/null ||
	echo '/.hugo-bench/' >>"$CORPUS/.git/info/exclude"
rm -rf "$HPROJ"
mkdir -p "$HPROJ/sections"
cp -R scripts/hugo-site/. "$HPROJ/"
cat >>"$HPROJ/config.yaml" <<EOF
module:
  mounts:
    - source: $CORPUS/content
      target: content
    - source: sections
      target: content
EOF
(cd "$CORPUS/content" && find . -mindepth 1 -type d | sed 's|^\./||' | sort) |
while read -r d; do
	mkdir -p "$HPROJ/sections/$d"
	case "$d" in
	*/*) title=$(basename "$d") ;;
	*) title=$(sed -n 's/^title: *//p' "$CORPUS/content/$d/region.md" | head -n 1 | tr -d '"') ;;
	esac
	printf -- '---\ntitle: "%s"\n---\n' "${title:-$d}" >"$HPROJ/sections/$d/_index.md"
done

AOUT="$BENCH_DIR/out/avoin"
HOUT="$BENCH_DIR/out/hugo"
HCACHE="$BENCH_DIR/out/hugo-cache"
mkdir -p "$BENCH_DIR/out"

# Old outputs are moved aside, not deleted, between runs and deleted once at
# the end: on ext4, creating files in the minute after tens of thousands were
# deleted is slow for any program (the allocator skips recently freed inodes),
# which would time the previous run's deletion rather than the tool.
TRASH="$BENCH_DIR/trash"
rm -rf "$TRASH"
mkdir -p "$TRASH"
trash() {
	for p in "$@"; do
		if [ -e "$p" ]; then mv "$p" "$TRASH/$(date +%s%N)-$(basename "$p")"; fi
	done
}
clean_avoin() { trash "$AOUT" "$AOUT".* "$BENCH_DIR/out/.avoin-cache"; }
clean_hugo() { trash "$HOUT" "$HOUT".* "$HPROJ/resources" "$HCACHE"; }

# settle [FOLDER...]: every timed run starts from the same state of the page
# cache. Dirty pages go to disk first (they would be written back during the
# run), then the page cache is dropped and the inputs (the corpus: git folder,
# working tree, Hugo's project) and the given folders (the output a rebuild
# starts from) are read back, as a publisher's machine has them in memory.
# Dropping matters on a virtual machine whose memory the host backs on first
# touch: writing 330 MB into page-cache pages nobody has used yet took 0.8-1.0 s
# of system time on this project's machine, into recycled ones 0.08 s. Without
# it each run, whose old output is kept in the trash, writes into fresh memory
# and pays for the machine by the byte. Needs root; otherwise only the sync.
DROP_CACHES=no
if [ -w /proc/sys/vm/drop_caches ]; then DROP_CACHES=yes; fi
settle() {
	sync
	if [ "$DROP_CACHES" = yes ]; then echo 1 >/proc/sys/vm/drop_caches; fi
	for d in "$CORPUS" "$@"; do
		if [ -d "$d" ]; then find "$d" -type f -exec cat {} + >/dev/null 2>&1 || true; fi
	done
}

# keep_time FILE: appends the last /usr/bin/time line of $W/time to FILE as "wall cpu kb".
keep_time() {
	tail -n 1 "$W/time" | awk '{ printf "%s %.3f %s\n", $1, $2 + $3, $4 }' >>"$1"
}

# measure TOOL: one build under /usr/bin/time; appends "wall cpu kb" to
# $W/TOOL.$scenario, keeps the tool's output in $W/TOOL.log, returns its status.
measure() {
	tool=$1
	set -- /usr/bin/time -f '%e %U %S %M' -o "$W/time"
	if [ "$tool" = avoin ]; then
		set -- "$@" "$AVOIN" build --repo "$CORPUS" --out "$AOUT"
	else
		set -- "$@" hugo --quiet --source "$HPROJ" --destination "$HOUT" --cacheDir "$HCACHE"
	fi
	if [ "$tool" = avoin ]; then settle "$AOUT"; else settle "$HOUT"; fi
	if "$@" >"$W/$tool.log" 2>&1; then
		keep_time "$W/$tool.$scenario"
		return 0
	fi
	return 1
}

# --- writing alone ----------------------------------------------------------
# How long the disk and the kernel take to create a tool's output and nothing
# else: the files of its output, packed into JOBS tar archives, unpacked at
# once by JOBS tar processes into an empty folder, timed after settle with the
# archives read back. No build can write the same files faster on this
# machine, so this is the floor under a build's wall time, measured in the
# same run. Two tar processes that both create a folder fail (the one that
# loses the race cannot open its file), so each folder three levels down
# (a record's, with its history) goes whole to one archive, dealt round-robin
# so that each holds about the same bytes, and the few folders above those
# (region, kind of record: under two hundred of Avoin's 21,500) are made
# before the clock starts.
JOBS=$(nproc)
# pack TOOL FOLDER [LIST]: archives $W/TOOL.part<i>.tar of the files in LIST
# (paths relative to FOLDER; default: all of them), the folders to make first
# in $W/TOOL.dirs, and the files' count and bytes in $W/TOOL.packed.
pack() {
	tool=$1 dir=$2 list=${3:-}
	rm -f "$W/$tool".part*.tar "$W/$tool".list* "$W/$tool".dirs*
	if [ -z "$list" ]; then
		list="$W/$tool.list"
		(cd "$dir" && find . -type f | sort) >"$list"
	fi
	# ./a/b/c/...: the group of a file is its folder three levels down, else its own folder
	awk -F/ -v n="$JOBS" -v w="$W/$tool" '{
		if (NF >= 5) g = $2 "/" $3 "/" $4; else { g = $0; sub("/[^/]*$", "", g) }
		if (g != last) { k++; last = g }
		print > (w ".list" (k % n))
		if (NF >= 3) print $1 "/" $2 > (w ".dirs0")
		if (NF >= 4) print $1 "/" $2 "/" $3 > (w ".dirs0")
	}' "$list"
	sort -u "$W/$tool.dirs0" 2>/dev/null >"$W/$tool.dirs" || true
	i=0
	while [ $i -lt "$JOBS" ]; do
		touch "$W/$tool.list$i"
		tar -cf "$W/$tool.part$i.tar" -C "$dir" -T "$W/$tool.list$i"
		i=$((i + 1))
	done
	(cd "$dir" && tr '\n' '\0' <"$list" | xargs -0 stat -c %s) |
		awk '{ n++; b += $1 } END { printf "%d %.0f\n", n, b / 1048576 }' >"$W/$tool.packed"
}
# unpack TOOL SCENARIO: one timed unpacking of TOOL's archives; appends
# "wall cpu kb" to $W/TOOL.SCENARIO as measure() does.
unpack() {
	dest="$BENCH_DIR/out/unpacked-$1"
	trash "$dest"
	mkdir -p "$dest"
	(cd "$dest" && xargs -r mkdir -p <"$W/$1.dirs")
	settle
	cat "$W"/"$1".part*.tar >/dev/null
	set -- "$1" "$2" "$dest"
	# shellcheck disable=SC2016 # expanded by the inner shell
	cmd='pids=""; for a in "$@"; do tar -xf "$a" -C "$DEST" & pids="$pids $!"; done
		st=0; for p in $pids; do wait "$p" || st=1; done; exit $st'
	if DEST=$3 /usr/bin/time -f '%e %U %S %M' -o "$W/time" \
		sh -c "$cmd" sh "$W"/"$1".part*.tar 2>"$W/$1.log"; then
		keep_time "$W/$1.$2"
	fi
	trash "$3"
}

failed=""
fail() {
	say "$1 failed ($2); its output:"
	sed 's/^/  | /' "$W/$1.log" | tail -n 40
	failed="$failed $1"
}

# Each run times both tools back to back, Avoin then Hugo, so that the speed
# of a shared machine, which drifts by a quarter within an hour, moves both
# figures of a run alike; ratios are taken within each run (see paired below).
ok_avoin=yes
ok_hugo=yes
# pair SCENARIO WHAT: one run of each tool that has not failed yet.
pair() {
	for tool in avoin hugo; do
		eval "ok=\$ok_$tool"
		[ "$ok" = yes ] || continue
		scenario=$1
		if [ "$1" = scratch ]; then "clean_$tool"; fi
		measure "$tool" || { fail "$tool" "$2"; eval "ok_$tool=no"; }
	done
}
# runs SCENARIO WHAT: RUNS pairs.
runs() {
	r=0
	while [ $r -lt "$RUNS" ]; do
		pair "$1" "$2"
		r=$((r + 1))
	done
}

say "Hugo: $(hugo version | cut -d' ' -f2)"
if [ -x "$AVOIN" ]; then
	AVOIN_VERSION=$("$AVOIN" --version 2>&1 || true)
	# the allocator it runs on (the Makefile links jemalloc where it finds it)
	if ldd "$AVOIN" 2>/dev/null | grep -q libjemalloc; then
		AVOIN_VERSION="$AVOIN_VERSION (jemalloc)"
	else
		AVOIN_VERSION="$AVOIN_VERSION (glibc malloc)"
	fi
else
	AVOIN_VERSION="not built ($AVOIN missing)"
	echo "$AVOIN is missing (make avoin)" >"$W/avoin.log"
	fail avoin "no binary"
	ok_avoin=no
fi
say "measuring Avoin and Hugo, one after the other ($RUNS runs per scenario)"
bench_reset
runs scratch "full build from scratch"
runs noop "rebuild with nothing changed"
# The outputs now are HEAD's: count what was built.
for tool in avoin hugo; do
	if [ "$tool" = avoin ]; then out=$AOUT; else out=$HOUT; fi
	[ -d "$out" ] || continue
	find "$out" -type f -name '*.html' | wc -l >"$W/$tool.pages"
	find "$out" -type f -path '*/historia/*' -name '*.html' | wc -l >"$W/$tool.history"
	find "$out" -type f | wc -l >"$W/$tool.files"
done
say "timing the writing of each output alone ($JOBS tar processes, $RUNS runs)"
for tool in avoin hugo; do
	eval "ok=\$ok_$tool"
	if [ "$tool" = avoin ]; then out=$AOUT; else out=$HOUT; fi
	if [ "$ok" = yes ] && [ -d "$out" ]; then pack "$tool" "$out"; fi
done
r=0
while [ $r -lt "$RUNS" ]; do
	for tool in avoin hugo; do
		if [ -f "$W/$tool.part0.tar" ]; then unpack "$tool" write; fi
	done
	r=$((r + 1))
done
r=0
while [ $r -lt "$RUNS" ]; do
	# the files the first one-commit rebuild writes: the rebuild's floor
	if [ $r = 0 ] && [ "$ok_avoin" = yes ]; then touch "$W/before-commit"; sleep 1; fi
	bench_commit
	pair commit "rebuild after one commit"
	if [ $r = 0 ] && [ "$ok_avoin" = yes ] && [ -d "$AOUT" ]; then
		(cd "$AOUT" && find . -type f -newer "$W/before-commit" | sort) >"$W/avoin-commit.files"
		if [ -s "$W/avoin-commit.files" ]; then
			pack avoin-commit "$AOUT" "$W/avoin-commit.files"
		fi
	fi
	bench_reset
	# back to HEAD's outputs for the next run (not counted)
	if [ $((r + 1)) -lt "$RUNS" ]; then pair restore "rebuild at HEAD"; fi
	r=$((r + 1))
done
if [ -f "$W/avoin-commit.part0.tar" ]; then
	r=0
	while [ $r -lt "$RUNS" ]; do
		unpack avoin-commit write
		r=$((r + 1))
	done
fi

# --- the report --------------------------------------------------------------
# median FILE COLUMN: the median of a column over the runs ("" when no runs).
median() {
	[ -s "$1" ] || { echo ""; return 0; }
	cut -d' ' -f"$2" "$1" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# cell VALUE KIND: formats one figure; "failed" when missing.
cell() {
	if [ -z "$1" ]; then echo "failed"
	elif [ "${2:-}" = mb ]; then awk -v v="$1" 'BEGIN { printf "%.0f", v / 1024 }'
	else awk -v v="$1" 'BEGIN { printf "%.2f", v }'; fi
}
# paired SCENARIO COLUMN: the median over the runs of Hugo's figure over Avoin's
# in the same run ("-" unless both tools have every run).
paired() {
	a="$W/avoin.$1" h="$W/hugo.$1"
	if [ ! -s "$a" ] || [ ! -s "$h" ] || [ "$(wc -l <"$a")" != "$(wc -l <"$h")" ]; then
		echo "-"
		return 0
	fi
	paste -d' ' "$a" "$h" | awk -v c="$2" '{ a = $c; h = $(c + 3); if (a > 0) print h / a }' |
		sort -g | awk '{ v[NR] = $1 } END {
			if (NR == 0) { print "-"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.1fx", m }'
}

commits=$(git -C "$CORPUS" rev-list --count HEAD)
records=$(git -C "$CORPUS" ls-files 'content/*.md' | wc -l)
drafts=$(git -C "$CORPUS" grep -l '^draft: true' HEAD -- content | wc -l)
echo
echo "Corpus: $CORPUS (shape: $SHAPE${SHAPE_ARGS:+, gen-corpus.py $SHAPE_ARGS})"
echo "  N=$N records at HEAD ($records .md files, $drafts of them drafts), C=$C commits" \
	"($commits in the history), seed $SEED, HEAD $(echo "$ORIG" | cut -c1-12)${GEN_SECS:+," generated in $GEN_SECS s"}"
echo "  'commit' scenario: one paragraph added to ${EDIT#content/}"
echo "Runs: $RUNS per scenario, the median shown; wall and CPU (user+sys) in seconds, peak RSS in MB."
echo "  Each run times Avoin and then Hugo; a ratio is the median of the runs' own ratios."
echo
fmt='%-28s %10s %10s %10s | %10s %10s %7s | %10s %10s %7s\n'
# shellcheck disable=SC2059
printf "$fmt" scenario "Avoin wall" "Hugo wall" "Hugo/Avoin" "Avoin CPU" "Hugo CPU" ratio \
	"Avoin MB" "Hugo MB" ratio
for s in scratch noop commit; do
	case $s in
	scratch) label="full build from scratch" ;;
	noop) label="rebuild, nothing changed" ;;
	commit) label="rebuild after one commit" ;;
	esac
	aw=$(median "$W/avoin.$s" 1); hw=$(median "$W/hugo.$s" 1)
	ac=$(median "$W/avoin.$s" 2); hc=$(median "$W/hugo.$s" 2)
	am=$(median "$W/avoin.$s" 3); hm=$(median "$W/hugo.$s" 3)
	# shellcheck disable=SC2059
	printf "$fmt" "$label" "$(cell "$aw")" "$(cell "$hw")" "$(paired $s 1)" \
		"$(cell "$ac")" "$(cell "$hc")" "$(paired $s 2)" \
		"$(cell "$am" mb)" "$(cell "$hm" mb)" "$(paired $s 3)"
done
fw=$(median "$W/avoin.scratch" 1); cw=$(median "$W/avoin.commit" 1)
if [ -n "$fw" ] && [ -n "$cw" ]; then
	awk -v c="$cw" -v f="$fw" 'BEGIN { if (f > 0) printf "Avoin'"'"'s rebuild after one commit took %.2f of its full build'"'"'s wall time.\n", c / f }'
fi
# the search index (site/search.h): its files, and how many the one-commit rebuild wrote
if [ -d "$AOUT/haku" ]; then
	for l in $(ls "$AOUT/haku" | grep -v '\.html$'); do
		total=$(ls "$AOUT/haku/$l" | wc -l)
		size=$(du -sk "$AOUT/haku/$l" | cut -f1)
		new=$(grep -c "^\./haku/$l/" "$W/avoin-commit.files" 2>/dev/null || true)
		echo "Search index ($l): $total files, $((size / 1024)) MB; the one-commit rebuild wrote ${new:-0} of them."
	done
fi
hw=$(median "$W/hugo.scratch" 1)
if [ -s "$W/avoin.write" ] || [ -s "$W/hugo.write" ] || [ -s "$W/avoin-commit.write" ]; then
	echo
	echo "Writing alone: the same files unpacked from $JOBS tar archives by $JOBS tar processes at once"
	echo "  (wall and CPU, median of $RUNS runs), against the build that wrote them:"
	# floor LABEL TOOL BUILD-WALL BUILD-NAME
	floor() {
		[ -s "$W/$2.write" ] || return 0
		set -- "$1" "$(median "$W/$2.write" 1)" "$(median "$W/$2.write" 2)" \
			"$(cut -d' ' -f1 "$W/$2.packed")" "$(cut -d' ' -f2 "$W/$2.packed")" "$3" "$4"
		awk -v l="$1" -v w="$2" -v c="$3" -v n="$4" -v mb="$5" -v b="$6" -v bn="$7" 'BEGIN {
			printf "  %-26s %6d files %5d MB %6.2f s (CPU %5.2f s)", l, n, mb, w, c
			if (b > 0) printf ": %.2f of %s", w / b, bn
			printf "\n" }'
	}
	floor "Avoin's site" avoin "$fw" "its full build"
	floor "Hugo's site" hugo "$hw" "its full build"
	floor "Avoin's one-commit rebuild" avoin-commit "$fw" "Avoin's full build"
	aw1=$(median "$W/avoin.write" 1)
	if [ -n "$aw1" ] && [ -n "$hw" ]; then
		awk -v a="$aw1" -v h="$hw" 'BEGIN { if (h > 0)
			printf "  A full build 3x faster than Hugo'"'"'s has %.2f s; writing Avoin'"'"'s site alone takes %.2f of that.\n", h / 3, a / (h / 3) }'
	fi
fi
echo
published=$((records - drafts))
echo "Pages built at HEAD: .html files (all files in brackets); $published records are published."
for t in avoin hugo; do
	if [ -s "$W/$t.pages" ]; then
		p=$(tr -d ' ' <"$W/$t.pages")
		printf '  %-6s %6s (%s): %s record pages and %s others\n' "$t" "$p" \
			"$(tr -d ' ' <"$W/$t.files")" "$published" "$((p - published))"
	else
		printf '  %-6s %6s\n' "$t" "-"
	fi
done
hist=$(tr -d ' ' <"$W/avoin.history" 2>/dev/null || echo '-')
echo "  Avoin's others: the rest of what its theme makes: history pages per record and per"
echo "  change ($hist under historia/ folders), the front page, region and municipality"
echo "  lists, theme pages, the list of changes, accessibility statement, 404."
echo "  Hugo's others: a list page per region and per folder (_index.md from a mount), a page"
echo "  per theme and per municipality (taxonomies) and their two indexes, the home page;"
echo "  no RSS, sitemap or robots.txt (Hugo's own kinds, disabled)."
echo "Notes: Hugo has no incremental build outside its server mode: its rebuilds are full"
echo "  builds into the same public folder. 'From scratch' means empty output folders and"
echo "  caches (Avoin: the output, output.* and .avoin-cache beside it; Hugo: public,"
echo "  resources and its cacheDir), not a cold file-system cache. The old folders are"
echo "  moved aside, not deleted, before each run (deleted at the end). Before each run:"
if [ "$DROP_CACHES" = yes ]; then
	echo "  sync, page cache dropped, the corpus and the tool's current output read back in."
else
	echo "  sync only (not root: the page cache was not dropped, so later runs may write into"
	echo "  memory the machine had not used yet, which is slower on a virtual machine)."
fi
echo "  Avoin's rebuilds are incremental (<out>.cache/manifest): unchanged pages are"
echo "  neither rendered nor written, and each rebuild's output equals a clean build's."
echo "  The files a rebuild replaced are deleted after it returns, by a background process"
echo "  of low priority (<out>.cache/trash): the times above do not include that deletion."
echo "Versions: $AVOIN_VERSION; $(hugo version | cut -d' ' -f1-2); $(git --version);" \
	"$(nproc) cores"
if [ -n "$failed" ]; then
	say "failed:$failed"
	exit 1
fi

# --- reading the revision against git ------------------------------------------------
# Avoin's "read revision" phase (from --timings of a full build) against
# `git cat-file --batch` reading the same blobs (every file under content/ at
# HEAD) in the same state of the page cache, RUNS times each, alternately.
echo
echo "Reading the revision: Avoin's 'read revision' phase against git cat-file --batch over the same blobs"
git -C "$CORPUS" ls-tree -r HEAD content | awk '$2 == "blob" { print $3 }' >"$W/blobs"
for i in $(seq "$RUNS"); do
	clean_avoin
	settle
	"$AVOIN" build --timings --repo "$CORPUS" --out "$AOUT" 2>"$W/timings" >/dev/null ||
		die "Avoin's build with --timings failed"
	awk '/^avoin: read revision/ { print $4 }' "$W/timings" >>"$W/read.avoin"
	settle
	/usr/bin/time -f '%e %U %S %M' -o "$W/time" git -C "$CORPUS" cat-file --batch <"$W/blobs" >/dev/null
	tail -n 1 "$W/time" | awk '{ print $1 }' >>"$W/read.git"
done
a=$(median "$W/read.avoin" 1)
g=$(median "$W/read.git" 1)
awk -v a="$a" -v g="$g" -v n="$(wc -l <"$W/blobs")" 'BEGIN {
	printf "  %d blobs: Avoin %.3f s, git cat-file --batch %.3f s: %.2fx of git'"'"'s time (target: at most 1.5x)\n",
		n, a, g, (g > 0 ? a / g : 0) }'

# --- languages: the same corpus with a site in Finnish only ---------------------------
# The corpus's site.yaml says languages: [fi, sv], so every page above exists in both.
# gen-corpus.py --languages fi makes the same records, commits and texts without
# Swedish (no lang: sv, no bilingual municipality): a full build of each, RUNS times,
# alternately, gives what the second language costs. Only for the default shape.
if [ "$SHAPE" = current ]; then
	CORPUS_FI="$CORPUS-fi"
	STAMP_FI="$CORPUS_FI/.git/avoin-bench-stamp"
	if ! { [ -f "$STAMP_FI" ] && [ "$(cut -d' ' -f1 "$STAMP_FI")" = "$GEN_SUM" ]; }; then
		rm -rf "$CORPUS_FI"
		say "generating the corpus again with languages: [fi]"
		python3 scripts/gen-corpus.py --out "$CORPUS_FI" --records "$N" --commits "$C" \
			--seed "$SEED" --languages fi -q
		echo "$GEN_SUM $(git -C "$CORPUS_FI" rev-parse HEAD)" >"$STAMP_FI"
	fi
	echo
	echo "Languages: full builds of the corpus with languages [fi, sv] and the same corpus with [fi]"
	for i in $(seq "$RUNS"); do
		for v in fisv fi; do
			if [ $v = fi ]; then c=$CORPUS_FI; else c=$CORPUS; fi
			clean_avoin
			settle
			/usr/bin/time -f '%e %U %S %M' -o "$W/time" \
				"$AVOIN" build -q --repo "$c" --out "$AOUT" >"$W/avoin.log" 2>&1 ||
				die "Avoin's build of $c failed"
			keep_time "$W/lang.$v"
			find "$AOUT" -type f -name '*.html' | wc -l >"$W/lang.$v.pages"
		done
	done
	paste -d' ' "$W/lang.fisv" "$W/lang.fi" | awk '{ if ($4 > 0) print $1 / $4 }' | sort -g |
		awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.2f\n", m }' >"$W/lang.ratio"
	for v in fisv fi; do
		printf '  %-10s %6s pages  wall %s s  CPU %s s  peak %s MB\n' \
			"$(if [ $v = fi ]; then echo '[fi]'; else echo '[fi, sv]'; fi)" \
			"$(tr -d ' ' <"$W/lang.$v.pages")" "$(cell "$(median "$W/lang.$v" 1)")" \
			"$(cell "$(median "$W/lang.$v" 2)")" "$(cell "$(median "$W/lang.$v" 3)" mb)"
	done
	echo "  [fi, sv] / [fi] wall time: $(cat "$W/lang.ratio")x (median of the runs' own ratios; target: at most 1.3x)"
fi

# --- search: Avoin's own index beside Pagefind over the same site -------------------
# Current shape only (Pagefind takes minutes on the bench site). Needs Node and
# Chromium (scripts/install-deps.sh test); Pagefind comes from npm, pinned by
# scripts/pagefind/package-lock.json, into scripts/pagefind/node_modules.
if [ "$SHAPE" = current ] && [ "${BENCH_SEARCH:-yes}" = yes ]; then
	echo
	echo "Search: Avoin's index (built with the site) against Pagefind run over Avoin's site"
	if ! command -v node >/dev/null || ! command -v npm >/dev/null || [ ! -x /usr/bin/chromium ] ||
		[ ! -d tests/browser/node_modules/playwright-core ]; then
		echo "  skipped: Node, npm, Chromium and tests/browser/node_modules are needed (make test installs them)"
	else
		clean_avoin
		settle
		"$AVOIN" build --timings --repo "$CORPUS" --out "$AOUT" >/dev/null 2>"$W/search.timings" ||
			die "Avoin's build of $CORPUS failed"
		line=$(grep 'search index:' "$W/search.timings")
		echo "  Avoin (--timings):${line#*search index:}"
		(cd scripts/pagefind && npm ci --no-audit --no-fund >/dev/null 2>&1) ||
			die "npm ci in scripts/pagefind failed"
		rm -rf "$W/pagefind"
		settle
		/usr/bin/time -f '%e %U %S %M' -o "$W/time" scripts/pagefind/node_modules/.bin/pagefind \
			--site "$AOUT" --output-path "$W/pagefind" >"$W/pagefind.log" 2>&1 ||
			die "Pagefind failed (see $W/pagefind.log)"
		read -r pw pu ps pm <"$W/time"
		pfiles=$(find "$W/pagefind" -type f | wc -l)
		psize=$(du -sm "$W/pagefind" | cut -f1)
		afiles=$(find "$AOUT/haku" -type f -name '*.json' | wc -l)
		asize=$(du -sm "$AOUT/haku" | cut -f1)
		awk -v w="$pw" -v u="$pu" -v s="$ps" -v m="$pm" -v f="$pfiles" -v z="$psize" 'BEGIN {
			printf "  Pagefind: %.1f s wall, %.1f s CPU, peak %d MB; %d files, %d MB\n", w, u + s, m / 1024, f, z }'
		echo "  Avoin's index: $afiles files, $asize MB (every language of the site)"
		node scripts/search-bytes.mjs "$AOUT" "$W/pagefind" "nuorten osallisuus" \
			"ikääntyneiden palvelut" 2>&1 | sed 's/^search-bytes: /  bytes fetched: /'
	fi
fi

# Scoped sites (#25), on every shape: --all-scopes against the whole site.
echo
AVOIN="$AVOIN" sh scripts/bench-scopes.sh "$CORPUS" "$RUNS" || say "the scoped sites' benchmark failed"

# The live preview (#24), on the current shape only: one server's edits take a minute.
if [ "$SHAPE" = current ]; then
	echo
	AVOIN="$AVOIN" sh scripts/bench-serve.sh "$CORPUS" "$HPROJ" "$RUNS" ||
		say "the preview's benchmark failed"
fi
