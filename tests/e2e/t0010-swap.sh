#!/bin/sh
# A rebuild puts its changed files in place one by one. Whatever can make a
# rename fail is found before the first one, and a rebuild stopped anywhere
# in the swap (kill -9) is finished by the next build from its journal: a
# reader sees the old site or the new one, never a mix that lasts.
. "$(dirname "$0")/lib.sh"

new_site repo
for i in 1 2 3 4 5 6 7 8; do
	cat >repo/content/testi/sivu-$i.md <<MD
---
type: page
title: Sivu $i
municipalities: [alfa]
---
Sivun $i teksti.
MD
done
commit_all repo "sivut" "2024-01-01T10:00:00Z"
"$AVOIN" build -q --repo repo --out site || exit 1

# the next commit changes every page (the region's name shows on all of them) and removes one
sed -i "s/^name: Testi$/name: Testi uusi/" repo/content/testi/region.md
git -C repo rm -q content/testi/sivu-8.md
commit_all repo "uusi nimi" "2024-01-02T10:00:00Z"
"$AVOIN" build -q --repo repo --out clean || exit 1
tree_sum() { (cd "$1" && find . -type f | sort | xargs md5sum); }
tree_sum clean >new.sum

test_expect_success 'a rebuild killed at any rename is finished by the next build' '
	for n in 0 1 2 5 17 40 10000; do
		rm -rf s s.cache s.staging && cp -a site s && cp -a site.cache s.cache &&
		(cd repo && git checkout -q HEAD~1) &&
		"$AVOIN" build -q --repo repo --out s &&
		(cd repo && git checkout -q main) &&
		{ AVOIN_TEST_KILL_SWAP=$n "$AVOIN" build -q --repo repo --out s 2>/dev/null; true; } &&
		"$AVOIN" build --repo repo --out s 2>err.txt >/dev/null &&
		tree_sum s | cmp - new.sum || { echo "after a kill at rename $n:"; tree_sum s | diff - new.sum | head; cat err.txt; return 1; }
	done
'

test_expect_success 'the build after a kill says it finished the swap' '
	rm -rf s s.cache && cp -a site s && cp -a site.cache s.cache &&
	(cd repo && git checkout -q HEAD~1) && "$AVOIN" build -q --repo repo --out s &&
	(cd repo && git checkout -q main) &&
	{ AVOIN_TEST_KILL_SWAP=3 "$AVOIN" build -q --repo repo --out s 2>/dev/null; test $? -ne 0; } &&
	assert_file s.cache/journal &&
	"$AVOIN" build --repo repo --out s 2>err.txt >/dev/null &&
	assert_contains err.txt "finished the swap of a build that was stopped" &&
	assert_no_file s.cache/journal && tree_sum s | cmp - new.sum
'

test_expect_success 'a journal whose staging folder is gone makes the next build a full one' '
	rm -rf s s.cache && cp -a site s && cp -a site.cache s.cache &&
	(cd repo && git checkout -q HEAD~1) && "$AVOIN" build -q --repo repo --out s &&
	(cd repo && git checkout -q main) &&
	{ AVOIN_TEST_KILL_SWAP=3 "$AVOIN" build -q --repo repo --out s 2>/dev/null; true; } &&
	rm -rf s.staging &&
	"$AVOIN" build --repo repo --out s 2>err.txt >/dev/null &&
	assert_contains err.txt "could not be finished: this build writes the whole site" &&
	tree_sum s | cmp - new.sum
'

test_expect_success 'a name too long for the filesystem stops a rebuild before any rename' '
	rm -rf s s.cache && cp -a site s && cp -a site.cache s.cache &&
	(cd repo && git checkout -q HEAD~1) && "$AVOIN" build -q --repo repo --out s &&
	(cd repo && git checkout -q main) && tree_sum s >old.sum &&
	long=$(printf "%0300d" 0 | tr 0 a) &&
	blob=$(printf -- "---\ntype: page\ntitle: Pitkä\n---\nx\n" | git -C repo hash-object -w --stdin) &&
	(cd repo && export GIT_INDEX_FILE=$TMP/pitka.index && git read-tree HEAD~1 &&
	 git update-index --add --cacheinfo 100644,$blob,content/testi/$long.md &&
	 git update-ref refs/heads/pitka $(git commit-tree $(git write-tree) -p HEAD~1 -m pitkä)) &&
	"$AVOIN" build -q --repo repo --rev pitka --out s 2>err.txt; rc=$?;
	[ $rc -ne 0 ] && assert_contains err.txt "is longer than the 255 this filesystem takes" &&
	tree_sum s | cmp - old.sum && assert_no_file s.cache/journal
'

if chattr +i site 2>/dev/null && chattr -i site; then
test_expect_success 'a folder that cannot be written stops a rebuild before any rename' '
	rm -rf s s.cache && cp -a site s && cp -a site.cache s.cache &&
	(cd repo && git checkout -q HEAD~1) && "$AVOIN" build -q --repo repo --out s &&
	(cd repo && git checkout -q main) && tree_sum s >old.sum &&
	chattr +i s/testi/sivu-3 &&
	"$AVOIN" build -q --repo repo --out s 2>err.txt; rc=$?;
	chattr -i s/testi/sivu-3 &&
	[ $rc -ne 0 ] && assert_contains err.txt "s/testi/sivu-3: cannot be written" &&
	tree_sum s | cmp - old.sum && assert_no_file s.cache/journal
'
else
	test_skip 'immutable folder' 'chattr +i is not supported here'
fi

test_done
