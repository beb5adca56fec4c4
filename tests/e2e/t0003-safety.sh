#!/bin/sh
# Content from many authors is published to the public: raw HTML is not
# passed through, every URL from content passes one check, no control
# character reaches a page, and a refused input is an error with file and
# line that leaves the previous site exactly as it was. Pages are parsed with
# a real HTML parser (htmlcheck.py), not searched with grep.
. "$(dirname "$0")/lib.sh"
CHECK_HTML="python3 $AVOIN_TOP/tests/e2e/htmlcheck.py"

new_site repo
cat >repo/content/testi/vaarallinen.md <<'MD'
---
type: page
title: "Otsikko <script>alert('t')</script>"
summary: "Tiivistelmä <img src=x onerror=alert(1)>"
---
Kappale <script>alert("raw")</script> ja <b onclick="x()">lihava</b>.

<iframe src="https://example.com/"></iframe>

[turvallinen](https://example.com/) ja [posti](mailto:kirjaamo@testi.fi) ja [puhelin](tel:+35812345)
MD
commit_all repo "vaarallinen"

test_expect_success 'the site builds' '
	"$AVOIN" build -q --repo repo --out site && assert_file site/testi/vaarallinen/index.html
'

test_expect_success 'raw HTML in the body does not reach the output (parsed)' '
	$CHECK_HTML site &&
	p=site/testi/vaarallinen/index.html &&
	assert_not_contains $p "<iframe" &&
	assert_not_contains $p "<b "
'

test_expect_success 'a template value containing <script> is escaped' '
	p=site/testi/vaarallinen/index.html &&
	assert_contains $p "&lt;script&gt;alert(" &&
	! grep -r --include="*.html" --include="*.xml" "<img src=x" site &&
	# the data files hold the text as written (data, not markup), the JSON with < escaped
	grep -q "Otsikko <script>" site/avoindata/pages.csv
'

(cd site && find . -type f | sort | xargs md5sum) >before.sum
site_unchanged() { (cd site && find . -type f | sort | xargs md5sum) | cmp -s - before.sum; }

# refused REPO-EDIT 'expected message': the edit is committed, the build fails
# with exit 1 and the message, the previous site is untouched; then reverted.
refused() {
	"$AVOIN" build -q --repo repo --out site 2>err.txt; rc=$?
	(cd repo && git reset -q --hard HEAD~1)
	[ -z "${SHOW:-}" ] || cat err.txt
	[ $rc = 1 ] || { echo "exit status $rc, expected 1"; cat err.txt; return 1; }
	assert_contains err.txt "$1" && site_unchanged
}

test_expect_success 'unsafe links in the body are errors with file and line' '
	cat >>repo/content/testi/vaarallinen.md <<-MD &&

	[a](javascript:alert(1)) [b]( JaVaScRiPt:x) ![c](data:text/html;base64,PHNjcmlwdD4=)
	[d](//evil.example/) <vbscript:msgbox>
	MD
	commit_all repo "linkit" &&
	refused "content/testi/vaarallinen.md:12: a link to '"'"'javascript:alert(1)'"'"' is not allowed (expected an http, https or mailto address)" &&
	assert_contains err.txt "content/testi/vaarallinen.md:12: an image to '"'"'data:text/html" &&
	assert_contains err.txt "content/testi/vaarallinen.md:13: a link to '"'"'//evil.example/'"'"'" &&
	assert_contains err.txt "content/testi/vaarallinen.md:13: a link to '"'"'vbscript:msgbox'"'"'"
'

test_expect_success 'a municipality website with a script scheme is an error' '
	sed -i "s/^name: alfa/name: alfa\nwebsite: \" JaVaScRiPt:alert(1)\"/" repo/content/testi/kunnat/alfa.md &&
	commit_all repo "website" &&
	refused "content/testi/kunnat/alfa.md:5: '"'"'website'"'"' must be an address without blanks (got '"'"' JaVaScRiPt:alert(1)'"'"')"
'

test_expect_success 'base_url with a script scheme is an error' '
	sed -i "s|^base_url:.*|base_url: \"javascript:alert(1)//\"|" repo/content/site.yaml &&
	commit_all repo "base" &&
	refused "content/site.yaml:2: '"'"'base_url'"'"' must be an http or https address (got '"'"'javascript:alert(1)//'"'"')"
'

test_expect_success 'contact fields are checked: an e-mail address, a web address' '
	cat >>repo/content/site.yaml <<-YAML &&
	accessibility:
	  contact: "javascript:alert(1)"
	YAML
	cat >repo/content/testi/ryhma.md <<-MD &&
	---
	type: partnership
	title: Ryhmä
	contact: {name: Maija, email: "x\" onmouseover=\"alert(1)"}
	---
	MD
	commit_all repo "yhteys" &&
	refused "content/site.yaml:8: '"'"'accessibility.contact'"'"' must be an e-mail address or an http or https address" &&
	assert_contains err.txt "content/testi/ryhma.md:4: '"'"'contact.email'"'"' must be one e-mail address"
'

test_expect_success 'a NUL escaped in a YAML value is an error, not a cut title' '
	sed -i "s/^title: alfa/title: \"Sivu\\\\0<script>\"/" repo/content/testi/kunnat/alfa.md &&
	grep -q "Sivu.0<script>" repo/content/testi/kunnat/alfa.md &&
	commit_all repo "nul" &&
	refused "content/testi/kunnat/alfa.md:3: a value holds the control character U+0000"
'

test_expect_success 'a control character in a body is an error with its line' '
	printf "\nRivi\033[31m punainen\n" >>repo/content/testi/kunnat/beta.md &&
	commit_all repo "esc" &&
	refused "content/testi/kunnat/beta.md:8: the text holds the control character U+001B"
'

test_expect_success 'a hook whose attribute holds a NUL fails; it cannot open an attribute' '
	mkdir -p repo/content/hooks &&
	cat >repo/content/hooks/kortti.lua <<-LUA &&
	return function(block)
	  return { avoin.el("p", {title = "a\0"}, "x"),
	           avoin.el("a", {href = "/x/"}, " onfocus=alert(1) autofocus ") }
	end
	LUA
	printf "\n\`\`\`kortti\nx\n\`\`\`\n" >>repo/content/testi/vaarallinen.md &&
	commit_all repo "nul-koukku" &&
	refused "content/testi/vaarallinen.md:12: hook '"'"'kortti'"'"' failed: content/hooks/kortti.lua:1: the returned element tree holds the control character U+0000"
'

test_expect_success 'a data file whose label holds a NUL fails with the data file and line' '
	mkdir -p repo/content/testi/data &&
	printf "Alue\t2023\nKeski\000<script>\t5\n" >repo/content/testi/data/d.tsv &&
	printf "\n\`\`\`indicator src=\"data/d.tsv\"\n\`\`\`\n" >>repo/content/testi/vaarallinen.md &&
	commit_all repo "nul-data" &&
	refused "data file '"'"'testi/data/d.tsv'"'"' holds the control character U+0000 on its line 2"
'

test_expect_success 'a body of 80,000 [ is summarised at once by the default hook' '
	cp repo/content/testi/kunnat/beta.md beta.orig &&
	python3 -c "print(\"[\" * 80000)" >>repo/content/testi/kunnat/beta.md &&
	commit_all repo "hakasulkeet" &&
	timeout 60 "$AVOIN" build -q --repo repo --out site &&
	cp beta.orig repo/content/testi/kunnat/beta.md && commit_all repo "takaisin" &&
	"$AVOIN" build -q --repo repo --out site &&
	(cd site && find . -type f | sort | xargs md5sum) >before.sum
'

test_expect_success 'a hook stuck in one pattern call stops the build with file and line' '
	printf "hooks:\n  seconds: 1\n" >>repo/content/site.yaml &&
	mkdir -p repo/content/hooks &&
	cat >repo/content/hooks/hidas.lua <<-LUA &&
	return function(block)
	  return tostring((string.rep("a", 5000)):find(".-.-.-.-.-.-b"))
	end
	LUA
	printf "\n\`\`\`hidas\nx\n\`\`\`\n" >>repo/content/testi/kunnat/alfa.md &&
	commit_all repo "hidas" &&
	refused "content/testi/kunnat/alfa.md:8: hook '"'"'hidas'"'"' failed: time limit of 1 s exceeded inside a library function"
'

test_expect_success 'a hook looping in Lua runs out of time with file and line' '
	printf "hooks:\n  seconds: 1\n  instructions: 1000000000000\n" >>repo/content/site.yaml &&
	mkdir -p repo/content/hooks &&
	printf "return function() while true do end end\n" >repo/content/hooks/hidas.lua &&
	printf "\n\`\`\`hidas\nx\n\`\`\`\n" >>repo/content/testi/kunnat/alfa.md &&
	commit_all repo "silmukka" &&
	refused "content/testi/kunnat/alfa.md:8: hook '"'"'hidas'"'"' failed: content/hooks/hidas.lua:1: time limit of 1 s exceeded"
'

test_expect_success 'out-of-range hook limits are errors, not ignored' '
	printf "hooks:\n  memory_mb: 100000\n  instructions: 5\n  seconds: 0.5\n" >>repo/content/site.yaml &&
	commit_all repo "rajat" &&
	refused "content/site.yaml:8: '"'"'hooks.memory_mb'"'"' must be a whole number of MiB from 1 to 4096 (got a number)" &&
	assert_contains err.txt "content/site.yaml:9: '"'"'hooks.instructions'"'"' must be a whole number from 1000" &&
	assert_contains err.txt "content/site.yaml:10: '"'"'hooks.seconds'"'"' must be a whole number of seconds from 1 to 600"
'

test_expect_success 'records at the generator'"'"'s own URLs are errors, in check as in build' '
	mkdir -p repo/content/teemat repo/content/testi/x &&
	cp repo/content/testi/kunnat/beta.md repo/content/teemat/region.md &&
	printf -- "---\ntype: page\ntitle: A\n---\n" >repo/content/testi/asiakirjat.md &&
	printf -- "---\ntype: page\ntitle: H\n---\n" >repo/content/testi/x/historia.md &&
	printf -- "---\ntype: page\ntitle: S\n---\n" >repo/content/sv.md &&
	commit_all repo "varatut" &&
	"$AVOIN" check -q --repo repo 2>check.txt; test $? = 1 &&
	assert_contains check.txt "content/testi/asiakirjat.md:1: the URL '"'"'/testi/asiakirjat/'"'"' is kept for a region'"'"'s or municipality'"'"'s list of all records" &&
	assert_contains check.txt "content/testi/x/historia.md:1: the URL '"'"'/testi/x/historia/'"'"' is kept for a record'"'"'s history" &&
	assert_contains check.txt "content/sv.md:1: the URL '"'"'/sv/'"'"' is kept for the site in another language" &&
	assert_contains check.txt "content/teemat/region.md:1: the URL '"'"'/teemat/'"'"' is kept for the themes pages" &&
	refused "the URL '"'"'/testi/asiakirjat/'"'"' is kept for a region'"'"'s or municipality'"'"'s list of all records"
'

test_expect_success 'templates from the content may not carry script; the theme'"'"'s may' '
	mkdir -p repo/content/templates &&
	printf "<p>{{{record.title}}}</p>\n<script>alert(1)</script>\n<a href=\"{{x}}\" onclick=\"y()\">x</a>\n" >repo/content/templates/record-footer.mustache &&
	commit_all repo "sisältöpohja" &&
	refused "content/templates/record-footer.mustache:1: a template from the content writes a value unescaped" &&
	assert_contains err.txt "content/templates/record-footer.mustache:2: a template from the content holds '"'"'<script'"'"'" &&
	assert_contains err.txt "content/templates/record-footer.mustache:3: a template from the content has an event-handler attribute" &&
	cp -r "$AVOIN_TOP/themes/default" oma-teema &&
	printf "<script>/* teeman oma */</script>\n" >>oma-teema/templates/record-footer.mustache &&
	"$AVOIN" build -q --repo repo --out site-teema --theme oma-teema &&
	grep -q "teeman oma" site-teema/testi/vaarallinen/index.html && rm -rf site-teema site-teema.cache
'

test_expect_success 'control characters in file names and values reach the terminal escaped' '
	printf -- "---\ntype: page\ntitle: \"a\\\\e[31mpunainen\\\\rb\"\n---\n" >"repo/content/testi/$(printf "x\033[2Jy").md" &&
	commit_all repo "ohjausmerkit" &&
	refused "content/testi/x\\x1B[2Jy.md:3: a value holds the control character U+001B" &&
	! grep -q "$(printf "\033")" err.txt
'

test_expect_success 'a version whose blob is missing is named in a warning and on its history page' '
	rm -rf lost && new_site lost &&
	commit_all lost "eka" "2023-01-01T10:00:00Z" &&
	echo "Toinen versio." >>lost/content/testi/kunnat/alfa.md &&
	commit_all lost "toka" "2023-02-01T10:00:00Z" &&
	echo "Kolmas versio." >>lost/content/testi/kunnat/alfa.md &&
	commit_all lost "kolmas" "2023-03-01T10:00:00Z" &&
	blob=$(git -C lost rev-parse HEAD~1:content/testi/kunnat/alfa.md) &&
	rm lost/.git/objects/$(echo $blob | cut -c1-2)/$(echo $blob | cut -c3-) &&
	"$AVOIN" build --repo lost --out lostsite 2>err.txt >/dev/null &&
	assert_contains err.txt "content/testi/kunnat/alfa.md: warning: the version of" &&
	assert_contains err.txt "is missing from the repository" &&
	grep -rl "$(grep "^hist_unavailable:" "$AVOIN_TOP/themes/default/i18n/fi.yaml" | sed "s/^hist_unavailable: *//; s/\"//g" | cut -c1-20)" lostsite/testi/kunnat/alfa/historia >/dev/null
'

# usage_refused OUT 'expected message': exit 2 with one line; the repository and site untouched
usage_refused() {
	(cd repo && git status --porcelain --ignored && find . -path ./.git -prune -o -type f -print | sort | xargs md5sum) >repo.before
	"$AVOIN" build -q --repo repo --out "$1" 2>err.txt; rc=$?
	(cd repo && git status --porcelain --ignored && find . -path ./.git -prune -o -type f -print | sort | xargs md5sum) >repo.after
	[ $rc = 2 ] || { echo "exit status $rc, expected 2"; cat err.txt; return 1; }
	[ "$(wc -l <err.txt)" = 1 ] || { echo "expected one line:"; cat err.txt; return 1; }
	assert_contains err.txt "$2" && cmp repo.before repo.after && site_unchanged &&
	(cd repo && git fsck --no-progress 2>&1 | { ! grep -q . ; })
}

test_expect_success '--out at the repository, its content or .git is refused' '
	echo "keskeneräinen" >repo/content/testi/luonnos.txt &&
	usage_refused repo "refusing to write the site into '"'"'repo'"'"': it is the repository" &&
	usage_refused repo/content "it is the content folder" &&
	usage_refused repo/content/testi "it is inside the content folder" &&
	usage_refused repo/.git "it is the repository'"'"'s .git" &&
	usage_refused . "it contains the repository" &&
	usage_refused / "it is the root folder" &&
	usage_refused "$AVOIN_TOP/themes/default/x" "it is inside a folder of themes" &&
	assert_no_file "$AVOIN_TOP/themes/default/x.cache" &&
	cp -r "$AVOIN_TOP/themes/default" omateema &&
	"$AVOIN" build -q --repo repo --theme omateema --out omateema/x 2>err.txt; test $? = 2 &&
	assert_contains err.txt "it is inside the theme" && assert_no_file omateema/x.cache &&
	rm -rf omateema &&
	rm repo/content/testi/luonnos.txt
'

test_expect_success '--out at a file or a folder Avoin did not write is refused' '
	echo tärkeä >tiedosto && usage_refused tiedosto "it is a file, not a folder" &&
	mkdir -p omat && echo tärkeä >omat/muistio.txt &&
	usage_refused omat "it is a folder that is not empty and that Avoin did not write" &&
	assert_file omat/muistio.txt && assert_no_file omat.cache && assert_no_file tiedosto.cache
'

test_expect_success 'a site whose cache was deleted is still known as Avoin'"'"'s' '
	cp -r site site2 && "$AVOIN" build -q --repo repo --out site2 && rm -rf site2.cache &&
	"$AVOIN" build -q --repo repo --out site2 && rm -rf site2 site2.cache
'

test_expect_success 'two builds into one output: the second one waits or stops' '
	exec 9>site.cache/lock && flock -x 9 &&
	{ "$AVOIN" build -q --repo repo --out site 2>err.txt; rc=$?; true; } &&
	[ $rc = 2 ] && assert_contains err.txt "another build is writing to '"'"'site'"'"'" &&
	{ (sleep 1; flock -u 9) & } &&
	"$AVOIN" build -q --wait --repo repo --out site &&
	exec 9>&- && site_unchanged
'

test_expect_success 'the lock is held for the whole build, not only its start' '
	mkdir -p repo/content/hooks &&
	printf "return function() local n = 0 for i = 1, 200000000 do n = n + i end return tostring(n) end\n" >repo/content/hooks/hidas.lua &&
	printf "\n\`\`\`hidas\nx\n\`\`\`\n" >>repo/content/testi/kunnat/alfa.md &&
	printf "hooks:\n  instructions: 100000000000\n  seconds: 60\n" >>repo/content/site.yaml &&
	commit_all repo "hidas mutta valmis" &&
	{ "$AVOIN" build -q --repo repo --out site 2>first.txt & } && pid=$! &&
	sleep 0.5 &&
	{ "$AVOIN" build -q --repo repo --out site 2>err.txt; rc=$?; true; } &&
	wait $pid && [ $rc = 2 ] && assert_contains err.txt "another build is writing to" &&
	(cd repo && git reset -q --hard HEAD~1) && "$AVOIN" build -q --repo repo --out site &&
	site_unchanged
'

test_expect_success 'no e-mail address from commits reaches any page or feed' '
	echo "Uusi kappale." >>repo/content/testi/kunnat/beta.md &&
	(cd repo && git add -A &&
	 GIT_AUTHOR_NAME="maija.author@example.fi" git commit -q \
		-m "Päivitys, kysy maija.bare@example.fi" \
		-m "Katso mailto:kirjaamo@testi.fi ja https://user:salasana@intra.testi.fi/x" \
		-m "Reviewed-by: Rev Iewer <rev@example.fi>
Signed-off-by: root@localhost") &&
	printf "Mailmap Nimi <mm@example.fi> <tekija@example.invalid>\n" >repo/.mailmap &&
	echo "Toinen kappale." >>repo/content/testi/kunnat/alfa.md &&
	printf "nimi@example.fi <tekija@example.invalid>\n" >repo/content/.mailmap &&
	commit_all repo "Toinen, Cc: cc@example.fi" &&
	"$AVOIN" build -q --repo repo --out site &&
	! grep -rIl "example\.fi\|testi\.fi/x\|salasana\|localhost\|example\.invalid" site &&
	grep -rq "osoite poistettu" site/testi/kunnat/beta/historia
'

test_done
