#!/bin/sh
# Scoped sites (#25): every region's and municipality's site against the whole site.
#
#   sh scripts/bench-scopes.sh CORPUS [RUNS] [OUT_PARENT]
#
# Full builds from scratch of CORPUS (a corpus of scripts/gen-corpus.py), RUNS
# times each, alternately: the whole site, every scope (--all-scopes, one
# output) and one municipality's site alone (--scope), a build per scope costing
# about the number of scopes times that. Then what writing alone costs: each
# output, packed into two tar archives, unpacked by two tar processes at once
# into an empty folder (no build can write the same files faster). Outputs go
# under OUT_PARENT (default: /dev/shm when it exists, as a publisher's tmpfs).
# Prints figures only: nothing here is a test.
set -eu
CORPUS=$1
RUNS=${2:-3}
PARENT=${3:-}
[ -n "$PARENT" ] || { [ -d /dev/shm ] && PARENT=/dev/shm || PARENT=${TMPDIR:-/tmp}; }
AVOIN=${AVOIN:-./avoin}
case "$AVOIN" in /*) ;; *) AVOIN="$(pwd)/$AVOIN" ;; esac
W=$(mktemp -d "${TMPDIR:-/tmp}/avoin-bench-scopes.XXXXXX")
O=$(mktemp -d "$PARENT/avoin-bench-scopes.XXXXXX")
trap 'rm -rf "$W" "$O"' EXIT INT TERM

median() { # median FILE COLUMN
	sort -g -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END {
		if (NR == 0) exit; print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
one=$(git -C "$CORPUS" ls-files 'content/*/kunnat/*.md' | head -n 1 |
	sed -E 's#^content/([^/]+)/kunnat/([^/.]+)\.md$#\1/\2#')
[ -n "$one" ] || { echo "bench-scopes: no municipality under content/*/kunnat/ in $CORPUS" >&2; exit 1; }
for i in $(seq "$RUNS"); do
	for v in whole all one; do
		rm -rf "$O/site" "$O"/site.*
		sync
		case $v in
		whole) set -- ;;
		all) set -- --all-scopes ;;
		one) set -- --scope "$one" ;;
		esac
		/usr/bin/time -f '%e %U %S %M' -o "$W/time" \
			"$AVOIN" build -q --repo "$CORPUS" --out "$O/site" "$@" >"$W/log" 2>&1 ||
			{ echo "bench-scopes: avoin build $* failed:" >&2; tail -n 20 "$W/log" >&2; exit 1; }
		awk '{ printf "%s %.3f %s\n", $1, $2 + $3, $4 }' "$W/time" >>"$W/$v"
		if [ "$i" = 1 ] && [ $v != one ]; then
			(cd "$O/site" && ls) >"$W/$v.top"
			find "$O/site" -type f | wc -l >"$W/$v.files"
			du -sm "$O/site" | cut -f1 >"$W/$v.mb"
			# the floor: two archives of the top folders, dealt in turn
			awk -v w="$W/$v" 'NR % 2 { print > (w ".l0"); next } { print > (w ".l1") }' "$W/$v.top"
			touch "$W/$v.l0" "$W/$v.l1"
			tar -cf "$W/$v.0.tar" -C "$O/site" -T "$W/$v.l0"
			tar -cf "$W/$v.1.tar" -C "$O/site" -T "$W/$v.l1"
		fi
	done
done
rm -rf "$O/site" "$O"/site.*
for v in whole all; do
	mkdir -p "$O/unpacked"
	sync
	cat "$W/$v".*.tar >/dev/null
	/usr/bin/time -f '%e' -o "$W/time" sh -c 'tar -xf "$1" -C "$3" & tar -xf "$2" -C "$3" & wait' \
		sh "$W/$v.0.tar" "$W/$v.1.tar" "$O/unpacked"
	cat "$W/time" >"$W/$v.write"
	rm -rf "$O/unpacked" "$W/$v".*.tar
done
paste -d' ' "$W/whole" "$W/all" | awk '{ print $4 / $1 }' >"$W/ratio"
echo "Scoped sites of $CORPUS: full builds from scratch, median of $RUNS runs (wall s, CPU s, peak MB)"
awk -v w="$(median "$W/whole" 1)" -v wc="$(median "$W/whole" 2)" -v wm="$(median "$W/whole" 3)" \
	-v a="$(median "$W/all" 1)" -v ac="$(median "$W/all" 2)" -v am="$(median "$W/all" 3)" \
	-v o="$(median "$W/one" 1)" -v r="$(median "$W/ratio" 1)" -v m="$one" \
	-v n="$(wc -l <"$W/all.top")" -v wf="$(cat "$W/whole.files")" -v af="$(cat "$W/all.files")" \
	-v wmb="$(cat "$W/whole.mb")" -v amb="$(cat "$W/all.mb")" \
	-v ww="$(cat "$W/whole.write")" -v aw="$(cat "$W/all.write")" 'BEGIN {
	printf "  whole site      %6.2f s  CPU %6.2f s  peak %4d MB  %7d files %6d MB\n", w, wc, wm / 1024, wf, wmb
	printf "  --all-scopes    %6.2f s  CPU %6.2f s  peak %4d MB  %7d files %6d MB  (%d scopes)\n", a, ac, am / 1024, af, amb, n
	printf "  --all-scopes took %.2fx the whole site'"'"'s wall time (median of the runs'"'"' ratios; target: at most 2x)\n", r
	printf "  writing alone (two tar processes): the whole site'"'"'s files %.2f s, every scope'"'"'s %.2f s: %.2fx the whole build\n", ww, aw, (w > 0 ? aw / w : 0)
	printf "  one municipality'"'"'s site (%s) alone %.2f s: a build per scope would take about %.0f s, %.0fx the whole site\n", m, o, n * o, (w > 0 ? n * o / w : 0) }'
