#!/bin/sh
# Every validation error names file and line, every error of a build is
# reported, the exit status is 1 and the previous output is left untouched,
# with no staging folder left beside it.
. "$(dirname "$0")/lib.sh"

new_site repo
commit_all repo "perus"
(cd repo && "$AVOIN" build -q) || echo "initial build failed"
(cd repo && find public -type f | sort | xargs md5sum) >before.sum


write_and_fail() {
	# $1 description, $2 path, $3 expected substring; content on stdin
	cat >"$TMP/content.in"
	test_expect_success "$1" "
		mkdir -p \"repo/\$(dirname '$2')\" &&
		cp '$TMP/content.in' 'repo/$2' &&
		commit_all repo 'rikki' &&
		(cd repo && \"\$AVOIN\" build >../out 2>../err); test \$? = 1 &&
		grep -F -- \"$3\" err &&
		grep -q 'previous output was left untouched' err &&
		(cd repo && find public -type f | sort | xargs md5sum) >after.sum &&
		diff before.sum after.sum &&
		test ! -e repo/public.staging &&
		git -C repo reset -q --hard HEAD~1
	"
}

write_and_fail "bad status names file, line and the choices" content/testi/sopimus.md \
	"content/testi/sopimus.md:4: 'status' must be one of draft, approved, signed, expired (got 'valmis')" <<'MD'
---
type: agreement
title: Sopimus
status: valmis
---
Teksti.
MD

write_and_fail "missing title" content/testi/sivu.md "content/testi/sivu.md:" <<'MD'
---
type: page
---
Teksti.
MD

write_and_fail "date that is not ISO" content/testi/pk.md "content/testi/pk.md:4: 'date'" <<'MD'
---
type: minutes
title: Pöytäkirja
date: 20.11.2023
---
Teksti.
MD

write_and_fail "unknown municipality" content/testi/neuv.md "'gamma'" <<'MD'
---
type: negotiation
title: Neuvottelu
date: 2023-11-20
kind: hyte
municipalities: [alfa, gamma]
---
Teksti.
MD

write_and_fail "unknown theme" content/testi/neuv2.md "'liikunta'" <<'MD'
---
type: negotiation
title: Neuvottelu
date: 2023-11-20
kind: hyte
themes: [liikunta]
---
Teksti.
MD

write_and_fail "bad enumeration in an outcome" content/testi/neuv3.md "content/testi/neuv3.md:8:" <<'MD'
---
type: negotiation
title: Neuvottelu
date: 2023-11-20
kind: hyte
outcomes:
  - action: Kysely
    status: valmis
---
Teksti.
MD

write_and_fail "path that is not a slug" content/testi/Iso_Kirjain.md "'Iso_Kirjain'" <<'MD'
---
type: page
title: Sivu
---
Teksti.
MD

write_and_fail "link to a record that does not exist" content/testi/linkki.md "content/testi/linkki.md:7:" <<'MD'
---
type: page
title: Linkki
---
Ensimmäinen kappale.

Katso [puuttuva](puuttuva.md).
MD

write_and_fail "invalid YAML" content/testi/yaml.md "content/testi/yaml.md:4: invalid YAML" <<'MD'
---
type: page
title: [auki
---
Teksti.
MD

write_and_fail "missing front matter" content/testi/ilman.md "content/testi/ilman.md:1:" <<'MD'
Pelkkää tekstiä ilman otsaketta.
MD

write_and_fail "duplicate municipality slug across regions" content/toinen/kunnat/alfa.md "alfa" <<'MD'
---
type: municipality
title: alfa
name: alfa
---
Kunta.
MD

test_expect_success 'all errors of a build are reported, not only the first' '
	cat >repo/content/testi/a.md <<-MD &&
	---
	type: agreement
	title: A
	status: valmis
	---
	MD
	cat >repo/content/testi/b.md <<-MD &&
	---
	type: minutes
	title: B
	date: eilen
	---
	MD
	commit_all repo "kaksi virhettä" &&
	(cd repo && "$AVOIN" build 2>../err); test $? = 1 &&
	grep -q "content/testi/a.md:4:" err && grep -q "content/testi/b.md:4:" err &&
	grep -q "errors in HEAD" err &&
	git -C repo reset -q --hard HEAD~1
'

test_expect_success 'check reports the same errors and exits 1' '
	cat >repo/content/testi/a.md <<-MD &&
	---
	type: agreement
	title: A
	status: valmis
	---
	MD
	(cd repo && "$AVOIN" check --worktree 2>../err); test $? = 1 &&
	grep -q "errors in the working tree (the files as saved" err &&
	grep -q "content/testi/a.md:4:" err &&
	rm repo/content/testi/a.md
'

test_expect_success 'the site still builds after the failed attempts' '
	(cd repo && "$AVOIN" build -q) && assert_file repo/public/testi/index.html
'

test_done
