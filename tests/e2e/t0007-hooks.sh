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

test_done
