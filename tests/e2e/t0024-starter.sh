#!/bin/sh
# A publisher's start: `avoin init DIR` makes a content repository that builds
# at once, without an error, a warning or a broken link; `avoin new TYPE PATH`
# writes a record of every type, named in English, in Finnish or with a typo,
# with every key of the content model present, which validates as it is.
. "$(dirname "$0")/lib.sh"

LINKS="python3 $AVOIN_TOP/tests/e2e/linkcheck.py"

test_expect_success 'avoin init makes a repository with one commit, which builds at once' '
	"$AVOIN" init uusi >init.txt &&
	assert_contains init.txt "a new content repository in uusi" &&
	[ "$(git -C uusi rev-list --count HEAD)" = 1 ] &&
	[ -z "$(git -C uusi status --porcelain)" ] &&
	(cd uusi && "$AVOIN" build --strict >../build.txt 2>&1) &&
	cat build.txt &&
	assert_contains build.txt "8 records" &&
	assert_not_contains build.txt "warning"
'

test_expect_success 'its site has a page of every record type and no broken link' '
	for p in esimerkkialue esimerkkialue/kunnat/esimerkkikunta esimerkkialue/sopimukset/yhteistyosopimus \
		esimerkkialue/poytakirjat/hyvinvointikertomus-kunnanhallitus esimerkkialue/neuvottelut/hyte-neuvottelu \
		esimerkkialue/raportit/hyvinvointikertomus esimerkkialue/kumppanuusryhmat/keskinen \
		esimerkkialue/yhteistyorakenne; do
		assert_file uusi/public/$p/index.html || return 1
	done &&
	$LINKS uusi/public &&
	assert_contains uusi/public/esimerkkialue/raportit/hyvinvointikertomus/index.html "indikaattorit.tsv"
'

test_expect_success 'avoin new writes a draft of every type, by its name, its Finnish word or a typo' '
	cd uusi &&
	"$AVOIN" new region toinen/region.md -q &&
	"$AVOIN" new kunta toinen/kunnat/toinen-kunta -q &&
	"$AVOIN" new agreement esimerkkialue/sopimukset/uusi-sopimus -q &&
	"$AVOIN" new pöytäkirja esimerkkialue/poytakirjat/uusi-poytakirja -q &&
	"$AVOIN" new negotation esimerkkialue/neuvottelut/uusi-neuvottelu -q &&
	"$AVOIN" new raportti esimerkkialue/raportit/uusi-raportti -q &&
	"$AVOIN" new partnership esimerkkialue/kumppanuusryhmat/uusi-ryhma -q &&
	"$AVOIN" new sivu esimerkkialue/sivut/uusi-sivu -q &&
	grep -q "^type: minutes$" content/esimerkkialue/poytakirjat/uusi-poytakirja.md &&
	grep -q "^type: negotiation$" content/esimerkkialue/neuvottelut/uusi-neuvottelu.md &&
	grep -q "^draft: true$" content/esimerkkialue/sopimukset/uusi-sopimus.md &&
	"$AVOIN" check --worktree --strict >../check.txt 2>&1 &&
	cat ../check.txt && assert_contains ../check.txt ", 0 warnings"
'

# every key the content model gives each type, present as a value or as a commented line
test_expect_success 'a new record has every key of its type, with a Finnish comment' '
	check_keys() { # FILE KEY...
		f=$1; shift
		for k in "$@"; do
			grep -Eq "^(# )?[ -]*$k:" "$f" || { echo "$f: no $k"; return 1; }
		done
	}
	c=uusi/content &&
	check_keys $c/esimerkkialue/sopimukset/uusi-sopimus.md type title status parties signed \
		valid_from valid_until legal_basis annexes municipalities themes summary draft &&
	check_keys $c/esimerkkialue/poytakirjat/uusi-poytakirja.md type title date body section diary \
		preparers municipalities themes summary draft &&
	check_keys $c/esimerkkialue/neuvottelut/uusi-neuvottelu.md type title date kind participants \
		outcomes action owner due status next &&
	check_keys $c/esimerkkialue/raportit/uusi-raportti.md type title kind period priorities approved \
		indicators &&
	check_keys $c/esimerkkialue/kumppanuusryhmat/uusi-ryhma.md type title area themes members \
		organisation sector role meets next_meetings contact join &&
	check_keys $c/toinen/region.md type title name name_sv organisation areas base_url &&
	check_keys $c/toinen/kunnat/toinen-kunta.md type title name name_sv languages website base_url &&
	grep -q "^# Tila: draft (luonnos), approved (hyväksytty), signed (allekirjoitettu)" \
		$c/esimerkkialue/sopimukset/uusi-sopimus.md
'

test_expect_success 'errors: a folder in use, an unknown type, a path that is no slug, a file that exists, no repository' '
	"$AVOIN" init uusi >e1.txt 2>&1; [ $? = 2 ] && assert_contains e1.txt "exists and is not an empty folder" &&
	(cd uusi && "$AVOIN" new kokous esimerkkialue/x >../e2.txt 2>&1; [ $? = 2 ]) &&
	assert_contains e2.txt "'"'"'kokous'"'"' is no record type" &&
	(cd uusi && "$AVOIN" new minutes Esimerkkialue/x >../e3.txt 2>&1; [ $? = 2 ]) &&
	assert_contains e3.txt "is no record'"'"'s path" &&
	(cd uusi && "$AVOIN" new minutes esimerkkialue/poytakirjat/uusi-poytakirja >../e4.txt 2>&1; [ $? = 2 ]) &&
	assert_contains e4.txt "already exists" &&
	mkdir -p tyhja && (cd tyhja && "$AVOIN" new minutes a/b >../e5.txt 2>&1; [ $? = 2 ]) &&
	assert_contains e5.txt "no git repository" &&
	(cd uusi && "$AVOIN" new minutes >../e6.txt 2>&1; [ $? = 2 ]) &&
	assert_contains e6.txt "takes a record type and a path"
'

test_done
