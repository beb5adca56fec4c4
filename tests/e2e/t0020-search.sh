#!/bin/sh
# The search index the generator writes (generator/site/search.h): read with a real
# JSON parser, it has every published record once per language, shards whose terms
# start with their key and postings that point at documents; the search page's own
# ranking (themes/default/static/search.js, run by Node) puts the expected record in
# the first three for the queries in search-queries.tsv; the index is the same
# whatever --jobs, a rebuild's equals a clean build's, and a one-record commit
# rewrites only a few of its files. Every page has the search form.
. "$(dirname "$0")/lib.sh"

if ! git -C "$AVOIN_TOP" rev-parse -q --verify HEAD >/dev/null 2>&1; then
	test_skip "search" "the source tree is not a git checkout"
	test_done
	exit 0
fi

# check_index SITE LANG: the index of LANG in SITE, parsed and checked whole
check_index() {
	python3 - "$1/haku/$2" <<'PY'
import json, os, sys
d = sys.argv[1]
meta = json.load(open(os.path.join(d, 'meta.json'), encoding='utf-8'))
n = meta['n']
assert n > 0, 'no documents'
rows = []
for name in meta['docs']:
    part = json.load(open(os.path.join(d, name), encoding='utf-8'))
    assert all(len(r) == 8 and all(isinstance(x, str) for x in r) for r in part), name
    assert len(part) <= meta['chunk'], name
    rows += part
assert len(rows) == n, (len(rows), n)
hrefs = [r[1] for r in rows]
assert len(set(hrefs)) == n, 'a document twice'
filters = json.load(open(os.path.join(d, meta['filters']), encoding='utf-8'))
assert len(filters) == n
lengths = json.load(open(os.path.join(d, meta['lengths']), encoding='utf-8'))
B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
assert isinstance(lengths, str) and len(lengths) == 2 * n and all(c in B64 for c in lengths)
for f in filters:
    assert 0 <= f[0] < len(meta['labels']['type'])
    assert -1 <= f[1] < len(meta['labels']['region'])
terms = 0
for key, name in meta['shards'].items():
    shard = json.load(open(os.path.join(d, name), encoding='utf-8'))
    assert name.startswith('t-' + key.encode().hex() + '-'), name
    split = len(key) == 2 and any(len(k) == 3 and k.startswith(key) for k in meta['shards'])
    for t, p in shard.items():
        terms += 1
        assert t.startswith(key), (t, key)
        # a split shard of two letters keeps only the terms of two letters
        assert not split or len(t) == 2, (t, key)
        assert len(p) % 2 == 0 and p, t
        gaps = p[0::2]
        assert gaps[0] >= 0 and all(g > 0 for g in gaps[1:]), t
        docs = [sum(gaps[:i + 1]) for i in range(len(gaps))]
        assert all(0 <= x < n for x in docs), t
        assert all(isinstance(w, int) and 1 <= w <= 255 for w in p[1::2]), t
files = set(os.listdir(d))
named = {'meta.json', meta['filters'], meta['lengths']} | set(meta['docs']) | set(meta['shards'].values())
assert files == named, files ^ named
print(n, 'documents,', terms, 'terms,', len(meta['shards']), 'shards')
PY
}

test_expect_success 'the example site builds with an index in each language' '
	(cd "$AVOIN_TOP" && "$AVOIN" build -q --out "$TMP/site") &&
	for l in fi sv en; do assert_file site/haku/$l/meta.json || return 1; done
'

test_expect_success 'each index parses, has every published record once, and points only at them' '
	for l in fi sv en; do check_index site $l || return 1; done &&
	n=$(git -C "$AVOIN_TOP" ls-tree -r --name-only HEAD content | grep "\.md$" |
		grep -v "\.[a-z][a-z]\.md$" | while read f; do
			git -C "$AVOIN_TOP" show "HEAD:$f" | sed -n "2,/^---/p" | grep -q "^draft: *true" || echo "$f"
		done | wc -l) &&
	python3 -c "import json,sys; m=json.load(open(\"site/haku/fi/meta.json\")); sys.exit(m[\"n\"] != $n)"
'

test_expect_success 'a Swedish index has the Swedish title of a translated record and the Finnish one of another' '
	python3 - site/haku/sv <<-PY
	import json, os, sys
	d = sys.argv[1]
	m = json.load(open(os.path.join(d, "meta.json")))
	rows = [r for n in m["docs"] for r in json.load(open(os.path.join(d, n)))]
	by = {r[1]: r for r in rows}
	assert by["keski-pohjanmaa/kunnat/kokkola/"][0] == "Karleby", by["keski-pohjanmaa/kunnat/kokkola/"]
	k = by["keski-suomi/lakitausta/"]
	assert k[6] == "fi", k
	PY
'

if command -v node >/dev/null 2>&1; then
	test_expect_success 'the expected record is in the first three for every query (Finnish and Swedish)' '
		node "$AVOIN_TOP/tests/e2e/search-rank.cjs" "$AVOIN_TOP/themes/default/static/search.js" \
			site "$AVOIN_TOP/tests/e2e/search-queries.tsv" >rank.txt; rc=$?; cat rank.txt; test $rc = 0 &&
		test "$(grep -c "^ok" rank.txt)" -ge 20
	'
	test_expect_success 'filters: a type, a region, a municipality (with what is for its whole region), a theme, a year' '
		cat >filters.cjs <<-"JS"
		const fs = require("fs"), path = require("path");
		const s = require(process.argv[2]), dir = process.argv[3];
		const load = (n) => Promise.resolve(JSON.parse(fs.readFileSync(path.join(dir, n), "utf8")));
		const rows = async (ids) => { const m = await load("meta.json"); const out = [];
			for (const id of ids) out.push((await load(m.docs[Math.floor(id / m.chunk)]))[id % m.chunk]);
			return out; };
		(async () => {
			const all = await s.rank("hyte", load, null);
			const by = async (f) => (await s.rank("hyte", load, f)).ids;
			const agreements = await rows(await by({ type: "agreement" }));
			const kp = await rows(await by({ region: "keski-pohjanmaa" }));
			const kokkola = await rows(await by({ municipality: "/keski-pohjanmaa/kunnat/kokkola/" }));
			const y2024 = await rows(await by({ year: "2024" }));
			const fail = (w) => { console.log("not ok: " + w); process.exitCode = 1; };
			if (!agreements.length || agreements.some((r) => r[2] !== "Sopimus")) fail("type");
			if (!kp.length || kp.some((r) => !r[1].startsWith("keski-pohjanmaa/"))) fail("region");
			if (!kokkola.length || kokkola.length > kp.length || kokkola.some((r) => !r[1].startsWith("keski-pohjanmaa/"))) fail("municipality");
			const own = await rows((await s.rank("Kokkola", load, { municipality: "/keski-pohjanmaa/kunnat/kokkola/" })).ids);
			if (!own.some((r) => r[1] === "keski-pohjanmaa/kunnat/kokkola/")) fail("the municipality itself");
			if (!y2024.length || y2024.some((r) => !r[4].endsWith("2024"))) fail("year");
			const m = await load("meta.json");
			const themed = await by({ theme: m.labels.theme.length ? m.labels.theme[0][0] : "none" });
			if (!themed.length || themed.length >= all.total) fail("theme");
			if (all.total <= kp.length) fail("the filters filter");
			console.log(all.total, agreements.length, kp.length, kokkola.length, y2024.length);
		})();
		JS
		node filters.cjs "$AVOIN_TOP/themes/default/static/search.js" site/haku/fi
	'
else
	test_skip "ranking" "node is not installed (scripts/install-deps.sh test installs it)"
fi

test_expect_success 'the search page is in every language, with a form that works without the script' '
	for p in haku/index.html sv/haku/index.html en/haku/index.html; do
		assert_contains site/$p "<form class=\"search-form\" role=\"search\" method=\"get\" action=\"./\"" &&
		assert_contains site/$p "<noscript>" &&
		assert_contains site/$p "static/search.js" || return 1
	done &&
	assert_contains site/sv/haku/index.html "data-index=\"../../haku/sv/\"" &&
	assert_contains site/haku/index.html "data-index=\"../haku/fi/\""
'

test_expect_success 'every other page has the search box leading to the search page of its language' '
	assert_contains site/index.html "<form class=\"site-search\" role=\"search\" action=\"./haku/\" method=\"get\">" &&
	assert_contains site/sv/keski-pohjanmaa/index.html "action=\"../haku/\"" &&
	assert_not_contains site/haku/index.html "class=\"site-search\""
'

test_expect_success 'the index is the same whatever --jobs' '
	(cd "$AVOIN_TOP" && "$AVOIN" build -q --jobs 1 --out "$TMP/j1" && "$AVOIN" build -q --jobs 4 --out "$TMP/j4") &&
	diff -r j1/haku j4/haku
'

test_expect_success 'a repository of our own: a commit to one record rewrites a few index files, and equals a clean build' '
	new_site repo &&
	mkdir -p repo/content/testi/poytakirjat &&
	for i in 1 2 3 4 5 6 7 8; do
		printf -- "---\ntype: minutes\ntitle: Lautakunnan kokous $i\ndate: 2024-01-0$i\n---\nKäsiteltiin talousarviota ja palveluverkkoa kohdassa $i.\n" \
			>repo/content/testi/poytakirjat/k$i.md || return 1
	done &&
	commit_all repo "Pöytäkirjat" "2024-02-01T10:00:00+02:00" &&
	(cd repo && "$AVOIN" build -q) &&
	ls repo/public/haku/fi >before.txt &&
	printf "\nLisäksi päätettiin kirjastoauton reitistä.\n" >>repo/content/testi/poytakirjat/k3.md &&
	commit_all repo "Kirjastoauto" "2024-02-02T10:00:00+02:00" &&
	(cd repo && "$AVOIN" build -q) &&
	ls repo/public/haku/fi >after.txt &&
	changed=$(comm -13 before.txt after.txt | wc -l) &&
	echo "$changed files of $(wc -l <after.txt) are new" &&
	test "$changed" -ge 2 && test "$changed" -le 6 &&
	git clone -q repo clean && (cd clean && "$AVOIN" build -q) &&
	diff -r repo/public/haku clean/public/haku
'

if command -v node >/dev/null 2>&1; then
	test_expect_success 'the new word is found in the rebuilt index' '
		printf "fi\tkirjastoauton reitti\ttesti/poytakirjat/k3/\n" >q.tsv &&
		node "$AVOIN_TOP/tests/e2e/search-rank.cjs" "$AVOIN_TOP/themes/default/static/search.js" \
			repo/public q.tsv
	'
fi

test_expect_success 'records may not take the search page'"'"'s URL' '
	printf -- "---\ntype: page\ntitle: H\n---\n" >repo/content/haku.md &&
	commit_all repo "haku" &&
	(cd repo && "$AVOIN" check -q) 2>err.txt; test $? = 1 &&
	assert_contains err.txt "content/haku.md:1: the URL '"'"'/haku/'"'"' is kept for the search page"
'

test_done
