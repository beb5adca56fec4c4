#!/bin/sh
# Writes the hostile-content fixture repository into $1: every payload of the
# safety issue that a build must accept and make harmless, committed with
# fixed authors and dates so that the commit ids, and so the site, never change.
# Payloads a build must refuse are in refused.sh (their errors in errors.txt).
set -eu
repo=$1
here=$(cd "$(dirname "$0")" && pwd)
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Testi Tekijä" GIT_AUTHOR_EMAIL="tekija@example.invalid"
export GIT_COMMITTER_NAME="Testi Tekijä" GIT_COMMITTER_EMAIL="tekija@example.invalid"
commit() { # commit DATE MESSAGE...
	d=$1; shift
	git -C "$repo" add -A
	GIT_AUTHOR_DATE="$d" GIT_COMMITTER_DATE="$d" git -C "$repo" commit -q "$@"
}
rm -rf "$repo"
git init -q -b main "$repo"
cp -R "$here/content" "$repo/content"
# files no record names, of every kind: none may be published
mkdir -p "$repo/content/vaara/kunnat/alfa"
printf '<script>alert(1)</script>\n' >"$repo/content/vaara/hyokkays.html"
printf 'alert(document.cookie)\n' >"$repo/content/vaara/skripti.js"
printf '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n' >"$repo/content/vaara/kuva.svg"
printf '<p>korvaa kunnan sivun</p>\n' >"$repo/content/vaara/kunnat/alfa/index.html"
# a body of thousands of '[' and '<' without closers: the summary hook stays linear
python3 -c "print('[' * 5000 + '<' * 5000)" >>"$repo/content/vaara/sulkeet.md"
commit "2024-01-10T10:00:00+02:00" -m "Vaaralliset sivut, kysy maija.bare@example.fi" \
	-m "Katso mailto:kirjaamo@example.fi ja https://kayttaja:salasana@intra.example.fi/x" \
	-m "Reviewed-by: Rev Iewer <rev@example.fi>
Signed-off-by: root@localhost"
# an author whose name is an address, and a .mailmap that maps to an address
printf 'Uusi kappale.\n' >>"$repo/content/vaara/kunnat/beta.md"
GIT_AUTHOR_NAME="maija.author@example.fi" commit "2024-01-11T10:00:00+02:00" -m "Päivitys"
printf 'nimi@example.fi <tekija@example.invalid>\n' >"$repo/content/.mailmap"
printf 'Toinen kappale.\n' >>"$repo/content/vaara/kunnat/alfa.md"
commit "2024-01-12T10:00:00+02:00" -m "Toinen, Cc: cc@example.fi"
