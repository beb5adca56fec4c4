#!/bin/sh
# The publisher's handbook in Finnish, Swedish and English (doc/kasikirja.md,
# doc/handbok.md, doc/handbook.md): every example that names a file is taken
# from the Markdown into a repository of its own, which builds with --strict
# without an error, a warning or a broken link, so the handbook cannot drift
# from the program; its list of every error message is the one
# scripts/error-lists.py writes from the code's messages. Nothing a publisher
# reads points outside the project.
. "$(dirname "$0")/lib.sh"

for hb in kasikirja handbok handbook; do
	test_expect_success "the examples of doc/$hb.md build with --strict, without a warning" '
		mkdir -p '$hb' &&
		python3 "$AVOIN_TOP/tests/e2e/handbook_examples.py" "$AVOIN_TOP/doc/'$hb'.md" '$hb' >files.txt &&
		grep -q "^content/site.yaml$" files.txt &&
		for t in region municipality agreement minutes negotiation report partnership page; do
			grep -rlq "^type: $t$" '$hb'/content || { echo "no example of $t"; return 1; }
		done &&
		git init -q '$hb' && commit_all '$hb' "Käsikirjan esimerkit" &&
		(cd '$hb' && "$AVOIN" build --strict >../out.txt 2>&1) &&
		cat out.txt && ! grep -q "warning" out.txt &&
		python3 "$AVOIN_TOP/tests/e2e/linkcheck.py" '$hb'/public
	'
done

test_expect_success 'the three handbooks hold the same examples' '
	diff -r kasikirja/content handbook/content && diff -r kasikirja/content handbok/content
'

test_expect_success 'each handbook lists every message the code can print, in its language' '
	python3 "$AVOIN_TOP/scripts/error-lists.py" --check &&
	assert_contains "$AVOIN_TOP/doc/kasikirja.md" "- \`'"'"'…'"'"' pitää olla …; nyt …\`" &&
	assert_contains "$AVOIN_TOP/doc/handbok.md" "- \`'"'"'…'"'"' ska vara …; nu …\`" &&
	assert_contains "$AVOIN_TOP/doc/handbook.md" "- \`'"'"'…'"'"' must be … (got …)\`"
'

test_expect_success 'the README, the handbooks, the man page and --help point inside the project' '
	"$AVOIN" --help >help.txt &&
	for f in "$AVOIN_TOP/README.md" "$AVOIN_TOP/doc/kasikirja.md" "$AVOIN_TOP/doc/handbook.md" \
		"$AVOIN_TOP/doc/handbok.md" \
		"$AVOIN_TOP/doc/avoin.1" help.txt; do
		! grep -n "\.\./shared\|CONTENT-MODEL" "$f" || return 1
	done &&
	assert_contains "$AVOIN_TOP/README.md" "(doc/kasikirja.md)" &&
	assert_contains help.txt "doc/kasikirja.md"
'

test_done
