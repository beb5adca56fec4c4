#!/bin/sh
# Content from many authors is published to the public: raw HTML is not
# passed through, unsafe links are dropped, template values are escaped.
. "$(dirname "$0")/lib.sh"

new_site repo
cat >repo/content/testi/vaarallinen.md <<'MD'
---
type: page
title: "Otsikko <script>alert('t')</script>"
summary: "Tiivistelmä <img src=x onerror=alert(1)>"
---
Kappale <script>alert("raw")</script> ja <b onclick="x()">lihava</b>.

<iframe src="https://example.com/"></iframe>

[klikkaa](javascript:alert(1)) ja [toinen](JAVASCRIPT:alert(2)) ja [data](data:text/html;base64,PHNjcmlwdD4=)
MD
commit_all repo "vaarallinen"

test_expect_success 'the site builds' '
	"$AVOIN" build -q --repo repo --out site && assert_file site/testi/vaarallinen/index.html
'

test_expect_success 'raw HTML in the body does not reach the output' '
	p=site/testi/vaarallinen/index.html &&
	assert_not_contains $p "<script>alert(\"raw\")" &&
	assert_not_contains $p "<iframe" &&
	assert_not_contains $p "onclick" &&
	assert_not_contains $p "<b "
'

test_expect_success 'javascript: and data: links do not reach the output' '
	! grep -ri "javascript:" site &&
	! grep -ri "href=\"data:" site
'

test_expect_success 'a template value containing <script> is escaped' '
	p=site/testi/vaarallinen/index.html &&
	assert_not_contains $p "<script>alert(" &&
	assert_contains $p "&lt;script&gt;alert(" &&
	! grep -r "<img src=x" site
'

test_done
