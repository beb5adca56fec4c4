#!/bin/sh
# fixture.sh DIR: a content repository with every page kind that the example
# site lacks or has only once: each record type, an outcome table and an
# indicator table with a chart, long titles, a record renamed (a redirect page)
# and one deleted (its removal page), over three commits.
set -eu
d=$1
mkdir -p "$d/content/testi/kunnat" "$d/content/testi/neuvottelut" "$d/content/testi/poytakirjat" \
	"$d/content/testi/sopimukset" "$d/content/testi/raportit" "$d/content/testi/ryhmat"
cd "$d"
git init -q .
git config user.name "Testi Tekijä"
git config user.email "tekija@example.invalid"
printf '/public/\n' >.gitignore
cat >content/site.yaml <<'Y'
title: "Kokeilu – hyvinvointialueen ja kuntien yhteistyö"
base_url: https://kokeilu.example/
languages: [fi, sv, en]
themes:
  - slug: osallisuus
    name: {fi: Osallisuus, sv: Delaktighet, en: Participation}
Y
cat >content/testi/region.md <<'M'
---
type: region
title: Kokeilun hyvinvointialue
name: Kokeilun hyvinvointialue
name_sv: Försökets välfärdsområde
organisation: Kokeilun sote
areas:
  - {slug: keskinen, name: Keskinen, municipalities: [alfala, betala]}
---
Alueen kuvaus.
M
for m in alfala betala; do
	printf -- '---\ntype: municipality\ntitle: %s\nname: %s\nwebsite: https://%s.example/\n---\nKunnan kuvaus.\n' \
		"$m" "$m" "$m" >"content/testi/kunnat/$m.md"
done
# alfala is bilingual: its page and the agreement in Swedish, the rest of its records not
# (the parity report has rows, untranslated pages carry the notice)
sed -i 's/^name: alfala$/name: alfala\nname_sv: Alfaby\nlanguages: [fi, sv]/' content/testi/kunnat/alfala.md
printf -- '---\ntitle: Alfaby\n---\nKommunens beskrivning.\n' >content/testi/kunnat/alfala.sv.md
cat >content/testi/neuvottelut/2026-hyte.md <<'M'
---
type: negotiation
title: Hyvinvoinnin ja terveyden edistämisen vuosittainen neuvottelu kuntien kanssa vuonna 2026
kind: hyte
date: 2026-03-02
themes: [osallisuus]
participants: [Kokeilun sote, Alfala, Betala]
outcomes:
  - {action: Yhteinen hyvinvointikertomuksen tietopohja kaikille alueen kunnille, owner: Kokeilun sote, due: 2026-12-31, status: in-progress}
  - {action: Järjestöjen kumppanuuspöydän kokoonpano, owner: Alfala, due: 2026-06-30, status: done}
next: 2027-03-01
---
## Mitä sovittiin

Neuvottelussa sovittiin [yhteistyösopimuksen](../sopimukset/sopimus.md) seurannasta.

```indicator title="Osallistujat vuosittain" unit="henkilöä"
Kunta	2024	2025	2026
Alfala	12	15	19
Betala	8	9	11
```
M
cat >content/testi/poytakirjat/2026-03-10-kh-12.md <<'M'
---
type: minutes
title: Edustajien nimeäminen hyvinvointialueen alueellisiin kumppanuusryhmiin vuosiksi 2026–2029
date: 2026-03-10
body: Alfalan kunnanhallitus
section: 12
diary: 12/00.04.01/2026
municipalities: [alfala]
---
## Päätösesitys

Kunnanhallitus nimeää edustajat.

## Päätös

Hyväksyttiin.
M
cat >content/testi/sopimukset/sopimus.md <<'M'
---
type: agreement
title: Hyvinvointialueen ja kuntien yhteistyösopimus
parties: [testi, alfala, betala]
status: signed
signed: 2026-01-15
valid_from: 2026-01-15
legal_basis: 611/2021 14 §
---
Sopimuksen teksti.
M
printf -- '---\ntitle: Samarbetsavtal mellan välfärdsområdet och kommunerna\n---\nAvtalets text.\n' \
	>content/testi/sopimukset/sopimus.sv.md
cat >content/testi/raportit/kertomus.md <<'M'
---
type: report
title: Alfalan hyvinvointisuunnitelma 2025–2028
kind: wellbeing-plan
period: 2025-2028
municipalities: [alfala]
priorities: [Mielen hyvinvointi, Liikkuminen]
approved: {by: Kunnanvaltuusto, date: 2026-02-01}
---
Suunnitelma.
M
cat >content/testi/ryhmat/keskinen.md <<'M'
---
type: partnership
title: Keskisen alueen kumppanuusryhmä
area: keskinen
themes: [osallisuus]
members:
  - {organisation: Alfalan kunta, sector: kunta, role: hyvinvointikoordinaattori}
  - {organisation: Kokeilun sote, sector: hyvinvointialue, role: kumppanuuspäällikkö}
  - {organisation: Alfalan urheiluseura, sector: järjestö, role: jäsen}
meets: 2–4 kertaa vuodessa
next_meetings: [2026-09-15, 2026-11-20]
contact: {name: Kumppanuuspäällikkö, email: kumppanuus@kokeilu.example}
join: Ota yhteyttä kumppanuuspäällikköön.
---
Ryhmän kuvaus.
M
printf -- '---\ntype: page\ntitle: Tietoa yhteistyöstä\n---\nSivun teksti.\n' >content/testi/tietoa.md
printf -- '---\ntype: page\ntitle: Poistuva sivu\n---\nTämä poistetaan.\n' >content/testi/poistuva.md
git add -A && GIT_AUTHOR_DATE=2026-03-01T10:00:00+02:00 GIT_COMMITTER_DATE=2026-03-01T10:00:00+02:00 git commit -q -m "Ensimmäiset asiakirjat"
sed -i 's/status: in-progress/status: done/' content/testi/neuvottelut/2026-hyte.md
printf '\n- Seuraava neuvottelu keväällä 2027.\n' >>content/testi/neuvottelut/2026-hyte.md
git mv content/testi/tietoa.md content/testi/yhteistyosta.md
git add -A && GIT_AUTHOR_DATE=2026-04-01T10:00:00+03:00 GIT_COMMITTER_DATE=2026-04-01T10:00:00+03:00 git commit -q -m "Neuvottelun tulokset päivitetty, sivu siirretty"
git rm -q content/testi/poistuva.md
GIT_AUTHOR_DATE=2026-05-01T10:00:00+03:00 GIT_COMMITTER_DATE=2026-05-01T10:00:00+03:00 git commit -q -m "Vanhentunut sivu poistettu"
