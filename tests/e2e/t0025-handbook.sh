#!/bin/sh
# The publisher's handbook in Finnish and in English (doc/kasikirja.md,
# doc/handbook.md): every example that names a file is taken from the
# Markdown into a repository of its own, which builds with --strict without
# an error, a warning or a broken link, so the handbook cannot drift from the
# program. Nothing a publisher reads points outside the project.
. "$(dirname "$0")/lib.sh"

for hb in kasikirja handbook; do
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

test_expect_success 'both handbooks hold the same examples' '
	diff -r kasikirja/content handbook/content
'

test_expect_success 'the README, the handbooks, the man page and --help point inside the project' '
	"$AVOIN" --help >help.txt &&
	for f in "$AVOIN_TOP/README.md" "$AVOIN_TOP/doc/kasikirja.md" "$AVOIN_TOP/doc/handbook.md" \
		"$AVOIN_TOP/doc/avoin.1" help.txt; do
		! grep -n "\.\./shared\|CONTENT-MODEL" "$f" || return 1
	done &&
	assert_contains "$AVOIN_TOP/README.md" "(doc/kasikirja.md)" &&
	assert_contains help.txt "doc/kasikirja.md"
'

test_done
