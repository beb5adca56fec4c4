#!/bin/sh
# Two builds of Avoin on the same corpus, alternately, for what a change costs:
#   sh scripts/bench-pair.sh OLD_AVOIN OLD_THEME NEW_AVOIN NEW_THEME REPO [N]
# (e.g. a worktree of the commit before the change, built with `make B=build-old avoin`,
# against this tree; REPO a corpus of `make bench`, such as /tmp/avoin-bench/corpus).
# N pairs (default 5): each build into a fresh folder on the same filesystem as REPO's
# parent, after sync and (as root) dropping the page cache and reading the repository's
# packs back in. Prints each pair and the medians: wall and CPU (user+sys) seconds, peak
# RSS in MB, and the new/old ratio of each pair's wall and CPU (the median of the
# ratios, so that the machine's drift moves both alike).
set -eu
[ $# -ge 5 ] || { echo "usage: $0 OLD_AVOIN OLD_THEME NEW_AVOIN NEW_THEME REPO [N]" >&2; exit 2; }
old=$1 old_theme=$2 new=$3 new_theme=$4 repo=$5 n=${6:-5}
out=$(dirname "$repo")/bench-pair.$$
log=$(mktemp "${TMPDIR:-/tmp}/bench-pair.XXXXXX")
trap 'rm -rf "$out.old" "$out.old.cache" "$out.new" "$out.new.cache" "$log"' EXIT
i=0
while [ "$i" -lt "$n" ]; do
	i=$((i + 1))
	for which in old new; do
		if [ "$which" = old ]; then bin=$old theme=$old_theme; else bin=$new theme=$new_theme; fi
		rm -rf "$out.$which" "$out.$which.cache"
		sync
		[ "$(id -u)" = 0 ] && echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
		cat "$repo"/.git/objects/pack/* >/dev/null 2>&1 || true
		/usr/bin/time -f "$i $which %e %U %S %M" "$bin" build -q --repo "$repo" \
			--out "$out.$which" --theme "$theme" 2>>"$log" >/dev/null
		tail -n 1 "$log"
	done
done
python3 - "$log" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) == 6 and f[1] in ("old", "new"):
        runs.setdefault(f[0], {})[f[1]] = (float(f[2]), float(f[3]) + float(f[4]), int(f[5]) / 1024)
pairs = [r for r in runs.values() if len(r) == 2]
med = statistics.median
for w in ("old", "new"):
    print(f"{w}: wall {med(p[w][0] for p in pairs):.2f} s, CPU {med(p[w][1] for p in pairs):.2f} s, "
          f"peak {med(p[w][2] for p in pairs):.0f} MB (medians of {len(pairs)})")
print(f"new/old: wall {med(p['new'][0] / p['old'][0] for p in pairs):.3f}, "
      f"CPU {med(p['new'][1] / p['old'][1] for p in pairs):.3f} (medians of the pairs' ratios)")
PY
