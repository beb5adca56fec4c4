#!/bin/sh
# Adds to the fixture repository in $1 (made by make-repo.sh) one commit with
# every payload of the safety issue that a build must refuse. The build's
# errors, all reported at once with file and line, are kept in errors.txt.
set -eu
repo=$1
c=$repo/content
printf 'hooks:\n  memory_mb: 100000\n  instructions: 5\n  seconds: 0.5\n' >>"$c/site.yaml"
sed -i 's|^website: https://www.alfa.example/|website: " JaVaScRiPt:alert(1)"|' "$c/vaara/kunnat/alfa.md"
cat >"$c/vaara/linkit.md" <<'MD'
---
type: page
title: Linkit
---
[a](javascript:alert(1)) [b](VBScript:msgbox) ![c](data:text/html;base64,PHNjcmlwdD4=)
[d](//evil.example/) [e](https://user:pass@host.example/) <vbscript:x>

[f](../../../etc/passwd) [g](/hooks/html-koukku.lua) [h](data/puuttuu.tsv) ![i](kuva.svg)
MD
printf -- '---\ntype: page\ntitle: "Sivu\\0<script>"\n---\n' >"$c/vaara/nul.md"
printf -- '---\ntype: page\ntitle: Esc\n---\nRivi\033[31m punainen\n' >"$c/vaara/esc.md"
printf 'return function() return { avoin.el("p", {title = "a\\0"}, "x"), avoin.el("a", {href = "/x/"}, " onfocus=alert(1) ") } end\n' >"$c/hooks/nul-koukku.lua"
printf 'Alue\t2023\nKeski\000<script>\t5\n' >"$c/vaara/data/nul.tsv"
cat >"$c/vaara/koukut.md" <<'MD'
---
type: page
title: Koukut
---
```nul-koukku
x
```

```indicator src="data/nul.tsv"
```
MD
printf -- '---\ntype: page\ntitle: H\n---\n' >"$c/vaara/historia.md"
printf -- '---\ntype: page\ntitle: A\n---\n' >"$c/vaara/asiakirjat.md"
cat >"$c/vaara/ryhma.md" <<'MD'
---
type: partnership
title: Ryhmä
contact: {name: Maija, email: "x\" onmouseover=\"alert(1)"}
---
MD
mkdir -p "$c/templates"
printf '<p>{{{record.title}}}</p>\n<script>alert(1)</script>\n<a href="{{x}}" onclick="y()">x</a>\n' >"$c/templates/record-footer.mustache"
git -C "$repo" add -A
GIT_AUTHOR_DATE="2024-02-01T10:00:00+02:00" GIT_COMMITTER_DATE="2024-02-01T10:00:00+02:00" \
	git -C "$repo" commit -q -m "Kaikki hylättävät"
