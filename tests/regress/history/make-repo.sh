#!/bin/sh
# A history of every kind of change, with fixed authors and dates: records
# added, changed (text and fields), renamed (with a redirect from the old URL),
# deleted (a removal page), deleted and brought back, a draft never published, and more
# commits than one page of changes holds (an archive page of the site's, the
# region's and the municipality's changes, and their feeds).
set -eu
repo=$1
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Testi Tekijä" GIT_AUTHOR_EMAIL="tekija@example.invalid"
export GIT_COMMITTER_NAME="Testi Tekijä" GIT_COMMITTER_EMAIL="tekija@example.invalid"
n=0
commit() { # commit MESSAGE: one commit a day from 1 February 2024
	n=$((n + 1))
	d=$(printf '2024-02-%02dT10:00:00+02:00' $(( (n - 1) % 28 + 1 )))
	[ $n -gt 28 ] && d=$(printf '2024-03-%02dT10:00:00+02:00' $((n - 28)))
	git -C "$repo" add -A
	GIT_AUTHOR_DATE="$d" GIT_COMMITTER_DATE="$d" git -C "$repo" commit -q -m "$1"
}
rm -rf "$repo"
git init -q -b main "$repo"
c=$repo/content
mkdir -p "$c/lappi/kunnat" "$c/lappi/sopimukset" "$c/lappi/poytakirjat"
cat >"$c/site.yaml" <<'YAML'
title: Muutosten sivusto
base_url: https://muutokset.example/
languages: [fi]
themes:
  - slug: osallisuus
    name: {fi: Osallisuus, sv: Delaktighet}
accessibility:
  contact: saavutettavuus@muutokset.example
YAML
cat >"$c/lappi/region.md" <<'MD'
---
type: region
title: Lapin hyvinvointialue
name: Lappi
areas:
  - slug: pohjoinen
    name: Pohjoinen
    municipalities: [inari, utsjoki]
---
Lapin hyvinvointialueen ja kuntien yhteistyö.
MD
for m in inari utsjoki; do
	printf -- '---\ntype: municipality\ntitle: %s\nname: %s\n---\nKunnan sivu.\n' "$m" "$m" \
		>"$c/lappi/kunnat/$m.md"
done
cat >"$c/lappi/sopimukset/puitesopimus.md" <<'MD'
---
type: agreement
title: Yhteistyösopimus
status: draft
parties: [lappi, inari]
municipalities: [inari]
themes: [osallisuus]
---
Sopimusluonnos hyvinvoinnin edistämisestä.
MD
commit "Alue, kunnat ja sopimusluonnos"
sed -i 's/status: draft/status: signed\nsigned: 2024-02-02/' "$c/lappi/sopimukset/puitesopimus.md"
printf '\nSopimus allekirjoitettiin.\n' >>"$c/lappi/sopimukset/puitesopimus.md"
commit "Sopimus allekirjoitettu"
git -C "$repo" mv content/lappi/sopimukset/puitesopimus.md content/lappi/sopimukset/yhteistyosopimus.md
commit "Sopimus nimettiin uudelleen"
printf -- '---\ntype: minutes\ntitle: Lautakunta 5.2.2024\ndate: 2024-02-05\nmunicipalities: [utsjoki]\n---\nPöytäkirja.\n' \
	>"$c/lappi/poytakirjat/2024-02-05-lautakunta.md"
printf -- '---\ntype: page\ntitle: Luonnos\ndraft: true\n---\nEi julkaistu.\n' >"$c/lappi/luonnos.md"
printf -- '---\ntype: page\ntitle: Tiedote\ndate: 2024-02-04\n---\nTiedote, joka poistetaan.\n' >"$c/lappi/tiedote.md"
commit "Pöytäkirja ja luonnos"
git -C "$repo" rm -q content/lappi/poytakirjat/2024-02-05-lautakunta.md content/lappi/tiedote.md
commit "Pöytäkirja ja tiedote poistettiin"
i=0
while [ $i -lt 32 ]; do
	i=$((i + 1))
	printf '\nLisäys %d.\n' $i >>"$c/lappi/kunnat/inari.md"
	commit "Inarin sivu, lisäys $i"
done
mkdir -p "$c/lappi/poytakirjat"
printf -- '---\ntype: minutes\ntitle: Lautakunta 5.2.2024\ndate: 2024-02-05\nmunicipalities: [utsjoki]\n---\nPöytäkirja palautettiin.\n' \
	>"$c/lappi/poytakirjat/2024-02-05-lautakunta.md"
commit "Pöytäkirja palautettiin"
