#!/bin/sh
# Lua hooks end to end: indicator blocks, a content hook overriding the
# theme's, and hook failures that stop the build with file and line while
# the previous site stays as it was.
. "$(dirname "$0")/lib.sh"

new_site repo
cat >repo/content/testi/luvut.md <<'MD'
---
type: page
title: Luvut
---
Ensimmäinen kappale kertoo luvuista.

```indicator title="Asiakkaat" unit="asiakasta"
Alue;2022;2023
Keskinen;1 200;1 350,5
Läntinen;;80
```

```summary
tämä on koodia, ei koukku
```
MD
commit_all repo "luvut"

test_expect_success 'an indicator block becomes a table with totals and a chart' '
	"$AVOIN" build -q --repo repo --out site &&
	p=site/testi/luvut/index.html &&
	assert_contains $p "<caption>Asiakkaat" &&
	assert_contains $p "scope=\"col\"" &&
	assert_contains $p "Yhteensä" &&
	assert_contains $p "<svg" && assert_contains $p "<title" && assert_contains $p "<desc"
'

test_expect_success 'a fenced block named after a non-block hook stays code' '
	assert_contains site/testi/luvut/index.html "language-summary"
'

test_expect_success 'the summary hook derives the list summary from the first paragraph' '
	assert_contains site/testi/index.html "Ensimmäinen kappale kertoo luvuista."
'

test_expect_success 'a content hook overrides the theme hook of the same name' '
	mkdir -p repo/content/hooks &&
	cat >repo/content/hooks/indicator.lua <<-LUA &&
	return function(block, record, site)
		return avoin.el("p", {class = "oma"}, "oma koukku: " .. (block.attrs.title or ""))
	end
	LUA
	commit_all repo "oma koukku" &&
	"$AVOIN" build -q --repo repo --out site &&
	assert_contains site/testi/luvut/index.html "oma koukku: Asiakkaat" &&
	assert_not_contains site/testi/luvut/index.html "<svg"
'

(cd site && find . -type f | sort | xargs md5sum) >before.sum

test_expect_success 'a content hook with a syntax error fails with file and line' '
	printf "return function(b)\n  return (\nend\n" >repo/content/hooks/indicator.lua &&
	commit_all repo "rikki" &&
	"$AVOIN" build --repo repo --out site 2>err; test $? = 1 &&
	grep -q "content/hooks/indicator.lua:3" err &&
	(cd site && find . -type f | sort | xargs md5sum) >after.sum && diff before.sum after.sum &&
	git -C repo reset -q --hard HEAD~1
'

test_expect_success 'a hook that escapes the sandbox fails the build naming the record' '
	printf "return function(b)\n  return io.open(\"/etc/passwd\"):read(\"a\")\nend\n" >repo/content/hooks/indicator.lua &&
	commit_all repo "karkuri" &&
	"$AVOIN" build --repo repo --out site 2>err; test $? = 1 &&
	grep -q "content/testi/luvut.md" err && grep -q "indicator.lua:2" err &&
	(cd site && find . -type f | sort | xargs md5sum) >after.sum && diff before.sum after.sum &&
	git -C repo reset -q --hard HEAD~1
'

test_expect_success 'an endless loop is stopped by the instruction budget' '
	printf "return function(b)\n  while true do end\nend\n" >repo/content/hooks/indicator.lua &&
	commit_all repo "silmukka" &&
	"$AVOIN" build --repo repo --out site 2>err; test $? = 1 &&
	grep -q "budget" err &&
	git -C repo reset -q --hard HEAD~1
'

test_expect_success 'malformed indicator data names the record, the block line and the row' '
	git -C repo rm -q content/hooks/indicator.lua && commit_all repo "pois" &&
	printf -- "---\ntype: page\ntitle: Rikki\n---\nTeksti.\n\n\`\`\`indicator title=\"X\"\nAlue\t2022\t2023\nA\t1\t2\nB\tkolme\t4\n\`\`\`\n" >repo/content/testi/rikki.md &&
	commit_all repo "rikki data" &&
	"$AVOIN" build --repo repo --out site 2>err; test $? = 1 &&
	grep -q "content/testi/rikki.md:7" err && grep -qi "row\|rivi" err
'

# A record with many versions and one indicator block: each distinct block is rendered once
# per build (the record's page and its version pages share it), a rebuild takes it from the
# cache, and the site is byte for byte the one a build without the memo writes.
new_site memo
mkdir -p memo/content/testi/raportit
cat >memo/content/testi/raportit/luvut.md <<'MD'
---
type: page
title: Luvut
---
Ensimmäinen kappale.

```indicator title="Asiakkaat" unit="asiakasta"
Alue	2022	2023
Keskinen	10	12
```

Viimeinen kappale.
MD
commit_all memo "luvut" "2024-01-01T10:00:00Z"
for i in 1 2 3 4 5; do
	sed -i "s/^Viimeinen kappale.*/Viimeinen kappale, versio $i./" memo/content/testi/raportit/luvut.md
	commit_all memo "versio $i" "2024-01-0$((i + 1))T10:00:00Z"
done
sed -i "s/^Keskinen	10	12/Keskinen	10	13/" memo/content/testi/raportit/luvut.md
commit_all memo "korjattu luku" "2024-01-08T10:00:00Z"

test_expect_success 'each distinct indicator block is rendered once, whatever shows it' '
	"$AVOIN" build --timings --repo memo --out memosite 2>timings.txt >/dev/null &&
	grep "block-hook calls" timings.txt &&
	assert_contains timings.txt "block-hook calls: 2 ran," &&
	ls memosite/testi/raportit/luvut/historia/*.html | wc -l | grep -qx 8
'

test_expect_success 'the memo changes nothing in the site' '
	AVOIN_TEST_NO_BLOCK_MEMO=1 "$AVOIN" build -q --repo memo --out memoplain &&
	diff -r memosite memoplain
'

test_expect_success 'a rebuild after a commit takes the blocks it has seen from the cache' '
	sed -i "s/^Ensimmäinen kappale./Ensimmäinen kappale, muutettu./" memo/content/testi/raportit/luvut.md &&
	commit_all memo "alku" "2024-01-09T10:00:00Z" &&
	"$AVOIN" build --timings --repo memo --out memosite 2>timings.txt >/dev/null &&
	assert_contains timings.txt "block-hook calls: 0 ran," &&
	rm -rf memoplain memoplain.cache && AVOIN_TEST_NO_BLOCK_MEMO=1 "$AVOIN" build -q --repo memo --out memoplain &&
	diff -r memosite memoplain
'

test_done
