/*
 * The catalog of messages: each English text of the code with its Finnish
 * and Swedish text (msg.h). A translation takes the English text's arguments
 * in the same order. The suite's lint (tests/lint/messages.py) checks that
 * every text of the code is here, once, translated, with the same
 * conversions; scripts/msgcat-format.py writes the entries again in their
 * layout (grouped by the file that says them) and adds the ones the code has
 * gained, untranslated, for a person to write.
 *
 * Finnish in the style of the public administration's own guidance: the
 * subject first, then what was expected ("odotettiin ..."), and the value
 * that was written last ("nyt ..."); Swedish likewise ("väntat ...", "nu
 * ...").
 */
#include "msg.h"

#define M(en, fi, sv) { { en, fi, sv } }

const msg_entry msg_catalog[] = {
	/* main.c */
	M("usage: avoin <command> [options]\n"
	    "\n"
	    "Publishes the cooperation records of wellbeing services counties and their\n"
	    "municipalities as a static site, read from one git revision.\n"
	    "\n"
	    "commands:\n"
	    "  build           validate and write the site (into a staging folder, swapped "
	    "in at the end)\n"
	    "  check           validate only; write nothing\n"
	    "  init DIR        make a new content repository in DIR, with an example of "
	    "every record type\n"
	    "  new TYPE PATH   write a new record of TYPE (minutes, agreement, ...) at "
	    "PATH under the\n"
	    "                  content folder, every key present and commented in Finnish\n"
	    "  serve           build into memory, serve the site over HTTP and build again "
	    "on every\n"
	    "                  change (with --worktree: a saved file; else: a new commit "
	    "on --rev)\n"
	    "\n"
	    "options:\n"
	    "  --repo PATH     the git repository (default: the one containing the current "
	    "folder)\n"
	    "  --rev REV       the revision to build (default: HEAD)\n"
	    "  --content PATH  the content folder inside the repository (default: "
	    "content)\n"
	    "  --worktree      read the working files instead of the revision (preview "
	    "uncommitted edits)\n"
	    "  --out DIR       the output folder (default: public)\n"
	    "  --theme DIR     the theme folder (default: site.yaml's theme, else "
	    "themes/default)\n"
	    "  --scope REGION[/MUNICIPALITY]\n"
	    "                  write the site of one region or municipality only, its page "
	    "as the\n"
	    "                  front page, for its own address (region.md's or the "
	    "municipality's base_url)\n"
	    "  --all-scopes    write the site of every region and municipality, each into "
	    "its own\n"
	    "                  folder of the output (default: public-sites): <region>/, "
	    "<municipality>/\n"
	    "  --jobs N        worker threads (default: the number of cores)\n"
	    "  --strict        name unknown keys (warnings); links to drafts are errors\n"
	    "  --wait          when another build is writing the same output, wait for it "
	    "(else: exit 2)\n"
	    "  -q, --quiet     print errors only\n"
	    "  --lang fi|sv|en the language of errors and warnings (default: LC_ALL, "
	    "LC_MESSAGES\n"
	    "                  or LANG, else the site's first language)\n"
	    "  --port N        serve: the port (default: 8110; 0: any free one)\n"
	    "  --bind ADDR     serve: the address to listen on (default: 127.0.0.1, this "
	    "machine only)\n"
	    "                  serve writes the site to --out only when it is given\n"
	    "  --timings       print each build phase's wall time, CPU time and memory "
	    "(and the\n"
	    "                  workers' busy time) to stderr\n"
	    "  -h, --help      this help\n"
	    "  --version       the version\n"
	    "\n"
	    "exit status: 0 success, 1 content errors, 2 usage or repository errors\n"
	    "content format and every error message: the publisher's handbook, "
	    "doc/kasikirja.md\n"
	    "(suomeksi), doc/handbok.md (på svenska) and doc/handbook.md (in English); "
	    "manual: man avoin\n",
	  "käyttö: avoin <komento> [valitsimet]\n"
	    "\n"
	    "Julkaisee hyvinvointialueiden ja niiden kuntien yhteistyön asiakirjat\n"
	    "staattisena sivustona yhdestä git-versiosta.\n"
	    "\n"
	    "komennot:\n"
	    "  build           tarkista ja kirjoita sivusto (väliaikaiskansioon, "
	    "vaihdetaan paikalleen lopuksi)\n"
	    "  check           vain tarkistus; mitään ei kirjoiteta\n"
	    "  init KANSIO     tee uusi sisältövarasto KANSIOon, esimerkki jokaisesta "
	    "asiakirjatyypistä\n"
	    "  new TYYPPI POLKU\n"
	    "                  kirjoita uusi TYYPIN asiakirja (pöytäkirja, sopimus, ...) "
	    "POLKUun\n"
	    "                  sisältökansion alle, kaikki kentät valmiina ja "
	    "kommentoituina suomeksi\n"
	    "  serve           rakenna muistiin, näytä sivusto HTTP:llä ja rakenna "
	    "uudelleen jokaisesta\n"
	    "                  muutoksesta (--worktree: tallennettu tiedosto; muuten: uusi "
	    "versio haarassa --rev)\n"
	    "\n"
	    "valitsimet:\n"
	    "  --repo POLKU    git-varasto (oletus: se, jossa nykyinen kansio on)\n"
	    "  --rev VERSIO    rakennettava versio (oletus: HEAD)\n"
	    "  --content POLKU sisältökansio varaston sisällä (oletus: content)\n"
	    "  --worktree      lue tallennetut tiedostot version sijaan (esikatsele ennen "
	    "versiota)\n"
	    "  --out KANSIO    tuloskansio (oletus: public)\n"
	    "  --theme KANSIO  ulkoasukansio (oletus: site.yaml:n ulkoasu, muuten "
	    "themes/default)\n"
	    "  --scope ALUE[/KUNTA]\n"
	    "                  kirjoita vain yhden alueen tai kunnan sivusto, sen sivu "
	    "etusivuna, sen omaan\n"
	    "                  osoitteeseen (region.md:n tai kunnan base_url)\n"
	    "  --all-scopes    kirjoita jokaisen alueen ja kunnan sivusto, kukin omaan "
	    "kansioonsa\n"
	    "                  tuloskansiossa (oletus: public-sites): <alue>/, <kunta>/\n"
	    "  --jobs N        työsäikeet (oletus: ytimien määrä)\n"
	    "  --strict        nimeä tuntemattomat kentät (varoitus); linkit luonnoksiin "
	    "ovat virheitä\n"
	    "  --wait          jos toinen koonti kirjoittaa samaan tuloskansioon, odota "
	    "sitä (muuten: poistumiskoodi 2)\n"
	    "  -q, --quiet     tulosta vain virheet\n"
	    "  --lang fi|sv|en virheiden ja varoitusten kieli (oletus: LC_ALL, "
	    "LC_MESSAGES\n"
	    "                  tai LANG, muuten sivuston ensimmäinen kieli)\n"
	    "  --port N        serve: portti (oletus: 8110; 0: mikä tahansa vapaa)\n"
	    "  --bind OSOITE   serve: kuunneltava osoite (oletus: 127.0.0.1, vain tämä "
	    "kone)\n"
	    "                  serve kirjoittaa sivuston kansioon --out vain, kun se "
	    "annetaan\n"
	    "  --timings       tulosta kunkin vaiheen kesto, suoritinaika ja muisti (ja\n"
	    "                  työsäikeiden kuormitus) virhetulosteeseen\n"
	    "  -h, --help      tämä ohje\n"
	    "  --version       versio\n"
	    "\n"
	    "poistumiskoodi: 0 onnistui, 1 sisällössä virheitä, 2 komentorivin tai "
	    "varaston virhe\n"
	    "sisällön muoto ja jokainen virheilmoitus: julkaisijan käsikirja, "
	    "doc/kasikirja.md\n"
	    "(suomeksi), doc/handbok.md (på svenska) ja doc/handbook.md (in English); "
	    "ohje: man avoin\n",
	  "användning: avoin <kommando> [alternativ]\n"
	    "\n"
	    "Publicerar handlingarna om samarbetet mellan välfärdsområden och deras\n"
	    "kommuner som en statisk webbplats, läst ur en git-version.\n"
	    "\n"
	    "kommandon:\n"
	    "  build           kontrollera och skriv webbplatsen (i en tillfällig mapp, "
	    "som byts in i slutet)\n"
	    "  check           bara kontroll; inget skrivs\n"
	    "  init MAPP       skapa ett nytt innehållsförråd i MAPP, med ett exempel på "
	    "varje typ av handling\n"
	    "  new TYP SÖKVÄG  skriv en ny handling av TYP (protokoll, avtal, ...) på "
	    "SÖKVÄG under\n"
	    "                  innehållsmappen, alla fält färdiga och kommenterade på "
	    "finska\n"
	    "  serve           bygg i minnet, visa webbplatsen över HTTP och bygg på nytt "
	    "vid varje\n"
	    "                  ändring (med --worktree: en sparad fil; annars: en ny "
	    "version på --rev)\n"
	    "\n"
	    "alternativ:\n"
	    "  --repo SÖKVÄG   git-förrådet (standard: det som den aktuella mappen ligger "
	    "i)\n"
	    "  --rev VERSION   versionen som byggs (standard: HEAD)\n"
	    "  --content SÖKVÄG\n"
	    "                  innehållsmappen inne i förrådet (standard: content)\n"
	    "  --worktree      läs de sparade filerna i stället för versionen "
	    "(förhandsvisa före en version)\n"
	    "  --out MAPP      utmappen (standard: public)\n"
	    "  --theme MAPP    temamappen (standard: temat i site.yaml, annars "
	    "themes/default)\n"
	    "  --scope OMRÅDE[/KOMMUN]\n"
	    "                  skriv bara ett områdes eller en kommuns webbplats, med dess "
	    "sida som\n"
	    "                  startsida, för dess egen adress (base_url i region.md eller "
	    "kommunens fil)\n"
	    "  --all-scopes    skriv varje områdes och kommuns webbplats, var och en i sin "
	    "egen\n"
	    "                  mapp i utmappen (standard: public-sites): <område>/, "
	    "<kommun>/\n"
	    "  --jobs N        arbetstrådar (standard: antalet kärnor)\n"
	    "  --strict        nämn okända fält (varning); länkar till utkast är fel\n"
	    "  --wait          om ett annat bygge skriver till samma utmapp, vänta på det "
	    "(annars: slutstatus 2)\n"
	    "  -q, --quiet     skriv bara ut fel\n"
	    "  --lang fi|sv|en språket i fel och varningar (standard: LC_ALL, LC_MESSAGES\n"
	    "                  eller LANG, annars webbplatsens första språk)\n"
	    "  --port N        serve: porten (standard: 8110; 0: vilken ledig som helst)\n"
	    "  --bind ADRESS   serve: adressen som lyssnas på (standard: 127.0.0.1, bara "
	    "den här datorn)\n"
	    "                  serve skriver webbplatsen till --out bara när den anges\n"
	    "  --timings       skriv ut varje fas väggtid, processortid och minne (och\n"
	    "                  arbetstrådarnas belastning) till standardfel\n"
	    "  -h, --help      den här hjälpen\n"
	    "  --version       versionen\n"
	    "\n"
	    "slutstatus: 0 lyckades, 1 fel i innehållet, 2 fel på kommandoraden eller i "
	    "förrådet\n"
	    "innehållets format och varje felmeddelande: handboken för publicerare, "
	    "doc/kasikirja.md\n"
	    "(suomeksi), doc/handbok.md (på svenska) och doc/handbook.md (in English); "
	    "manual: man avoin\n"),
	M("\n"
	    "(see 'avoin --help')\n",
	  "\n"
	    "(katso 'avoin --help')\n",
	  "\n"
	    "(se 'avoin --help')\n"),
	M("'--lang' must be fi, sv or en (got '%s')",
	  "'--lang' pitää olla fi, sv tai en; nyt '%s'",
	  "'--lang' ska vara fi, sv eller en; nu '%s'"),
	M(" (and %zu translation%s)",
	  " (ja käännöksiä %zu%.0s)",
	  " (och översättningar: %zu%.0s)"),
	M("'init' takes one folder (got %s)",
	  "'init' ottaa yhden kansion (annettiin: %s)",
	  "'init' tar en mapp (gavs: %s)"),
	M("'new' takes a record type and a path (got %s)",
	  "'new' ottaa asiakirjatyypin ja polun (annettiin: %s)",
	  "'new' tar en handlingstyp och en sökväg (gavs: %s)"),
	M("more or fewer",
	  "enemmän tai vähemmän",
	  "fler eller färre"),
	M("none",
	  "ei mitään",
	  "inget"),
	M("no git repository with a working folder here (expected to be run in a content "
	    "repository, or --repo PATH; 'avoin init DIR' makes one)",
	  "tässä ei ole git-varastoa työkopioineen (odotettiin, että komento ajetaan "
	    "sisältövarastossa, tai --repo POLKU; 'avoin init KANSIO' tekee uuden)",
	  "här finns inget git-förråd med arbetskopia (väntat att kommandot körs i ett "
	    "innehållsförråd, eller --repo SÖKVÄG; 'avoin init MAPP' skapar ett)"),
	M("avoin: a new content repository in %s; see it with: cd %s && avoin build\n",
	  "avoin: uusi sisältövarasto kansiossa %s; katso se komennoilla: cd %s && avoin "
	    "build\n",
	  "avoin: ett nytt innehållsförråd i %s; se det med: cd %s && avoin build\n"),
	M("avoin: wrote %s%s (a draft until 'draft: true' is removed)\n",
	  "avoin: kirjoitettiin %s%s (luonnos, kunnes 'draft: true' poistetaan)\n",
	  "avoin: skrev %s%s (ett utkast tills 'draft: true' tas bort)\n"),
	M("'%s' needs a value",
	  "'%s' tarvitsee arvon",
	  "'%s' behöver ett värde"),
	M("'--port' must be a number from 0 to 65535 (got '%s')",
	  "'--port' pitää olla luku 0–65535; nyt '%s'",
	  "'--port' ska vara ett tal 0–65535; nu '%s'"),
	M("'--jobs' must be a number from 1 to 256 (got '%s')",
	  "'--jobs' pitää olla luku 1–256; nyt '%s'",
	  "'--jobs' ska vara ett tal 1–256; nu '%s'"),
	M("unknown option '%s'",
	  "tuntematon valitsin '%s'",
	  "okänt alternativ '%s'"),
	M("unexpected argument '%s'",
	  "odottamaton argumentti '%s'",
	  "oväntat argument '%s'"),
	M("'--scope' and '--all-scopes' exclude each other (got '%s' and both)",
	  "'--scope' ja '--all-scopes' sulkevat toisensa pois (annettiin '%s' ja "
	    "molemmat)",
	  "'--scope' och '--all-scopes' utesluter varandra (gavs '%s' och båda)"),
	M("'%s' is an option of 'build' and 'check' (serve shows the whole site)",
	  "'%s' on komentojen 'build' ja 'check' valitsin (serve näyttää koko sivuston)",
	  "'%s' är ett alternativ till 'build' och 'check' (serve visar hela webbplatsen)"),
	M("'--port' and '--bind' are options of 'serve' (the command is '%s')",
	  "'--port' ja '--bind' ovat komennon 'serve' valitsimia (komento on '%s')",
	  "'--port' och '--bind' är alternativ till 'serve' (kommandot är '%s')"),
	M("unknown command '%s'",
	  "tuntematon komento '%s'",
	  "okänt kommando '%s'"),
	M("avoin: errors in the working tree (the files as saved; %s is %.7s):\n",
	  "avoin: virheitä työkopiossa (tiedostot tallennettuina; %s on %.7s):\n",
	  "avoin: fel i arbetskopian (filerna som de sparats; %s är %.7s):\n"),
	M("avoin: errors in %s (%.7s):\n",
	  "avoin: virheitä versiossa %s (%.7s):\n",
	  "avoin: fel i %s (%.7s):\n"),
	M("avoin: %zu error%s, %zu warning%s%s\n",
	  "avoin: virheitä %zu%.0s, varoituksia %zu%.0s%s\n",
	  "avoin: fel: %zu%.0s, varningar: %zu%.0s%s\n"),
	M("; the previous output was left untouched",
	  "; edellinen sivusto jäi ennalleen",
	  "; den tidigare webbplatsen lämnades orörd"),
	M("avoin: %zu records valid%s at %.7s%s, %zu warning%s\n",
	  "avoin: asiakirjoja %zu kunnossa%s versiossa %.7s%s, varoituksia %zu%.0s\n",
	  "avoin: %zu handlingar giltiga%s i %.7s%s, varningar: %zu%.0s\n"),
	M(" (working tree)",
	  " (työkopio)",
	  " (arbetskopian)"),
	M("avoin: %s is up to date with %.7s (%zu records); nothing to write\n",
	  "avoin: %s on ajan tasalla versiosta %.7s (asiakirjoja %zu); ei "
	    "kirjoitettavaa\n",
	  "avoin: %s är uppdaterad med %.7s (%zu handlingar); inget att skriva\n"),
	M("avoin: %zu files written (%zu new or changed; %zu records) to %s from %.7s%s "
	    "in %.2f s\n",
	  "avoin: %zu tiedostoa kirjoitettu (%zu uutta tai muuttunutta; asiakirjoja %zu) "
	    "kansioon %s versiosta %.7s%s %.2f sekunnissa\n",
	  "avoin: %zu filer skrivna (%zu nya eller ändrade; %zu handlingar) till %s från "
	    "%.7s%s på %.2f s\n"),
	/* serve.c */
	M("avoin: errors in the working tree (the files as saved); the last good site "
	    "stays served:\n",
	  "avoin: virheitä työkopiossa (tiedostot tallennettuina); viimeisin virheetön "
	    "sivusto näytetään edelleen:\n",
	  "avoin: fel i arbetskopian (filerna som de sparats); den senaste felfria "
	    "webbplatsen visas fortfarande:\n"),
	M("avoin: errors in %s (%.7s); the last good site stays served:\n",
	  "avoin: virheitä versiossa %s (%.7s); viimeisin virheetön sivusto näytetään "
	    "edelleen:\n",
	  "avoin: fel i %s (%.7s); den senaste felfria webbplatsen visas fortfarande:\n"),
	M("avoin: brought the saved text of %.7s%s in without a build in %.3f s: %zu "
	    "files, %zu new or changed\n",
	  "avoin: tallennettu teksti päivitettiin versioon %.7s%s ilman koko rakennusta "
	    "%.3f sekunnissa: %zu tiedostoa, %zu uutta tai muuttunutta\n",
	  "avoin: den sparade texten fördes in i %.7s%s utan hela bygget på %.3f s: %zu "
	    "filer, %zu nya eller ändrade\n"),
	M("avoin: built %.7s%s in %.2f s: %zu files, %zu new or changed\n",
	  "avoin: rakennettiin %.7s%s %.2f sekunnissa: %zu tiedostoa, %zu uutta tai "
	    "muuttunutta\n",
	  "avoin: byggde %.7s%s på %.2f s: %zu filer, %zu nya eller ändrade\n"),
	M("avoin: cannot watch %s for changes: %s\n",
	  "avoin: kohteen %s muutoksia ei voi seurata: %s\n",
	  "avoin: kan inte bevaka ändringar i %s: %s\n"),
	M("no inotify",
	  "inotify ei ole käytettävissä",
	  "inotify finns inte"),
	M("avoin: %s (try another --port)\n",
	  "avoin: %s (kokeile toista porttia: --port)\n",
	  "avoin: %s (prova en annan --port)\n"),
	M("avoin: serving http://%s%s%s:%u/ %s; Ctrl-C stops\n",
	  "avoin: sivusto osoitteessa http://%s%s%s:%u/ %s; Ctrl-C lopettaa\n",
	  "avoin: webbplatsen på http://%s%s%s:%u/ %s; Ctrl-C avslutar\n"),
	M("(only this machine can reach it; --bind ADDR to change that)",
	  "(vain tämä kone tavoittaa sen; --bind OSOITE muuttaa sen)",
	  "(bara den här datorn når den; --bind ADRESS ändrar det)"),
	M("(anyone who can reach this address can read the preview, drafts and errors "
	    "included)",
	  "(kuka tahansa, joka tavoittaa tämän osoitteen, voi lukea esikatselun "
	    "luonnoksineen ja virheineen)",
	  "(vem som helst som når den här adressen kan läsa förhandsvisningen, med "
	    "utkast och fel)"),
	M("avoin: cannot make a folder in %s: %s\n",
	  "avoin: kansiota ei voi luoda kansioon %s: %s\n",
	  "avoin: kan inte skapa en mapp i %s: %s\n"),
	M("avoin: stopped\n",
	  "avoin: lopetettiin\n",
	  "avoin: avslutad\n"),
	/* build.c */
	M("%s%s is named by no published record, so it is not published (unused)",
	  "%s%s: mikään julkaistu asiakirja ei mainitse tiedostoa, joten sitä ei "
	    "julkaista (käyttämätön)",
	  "%s%s: ingen publicerad handling nämner filen, så den publiceras inte (oanvänd)"),
	M("the repository",
	  "varasto",
	  "förrådet"),
	M("the repository's .git",
	  "varaston .git-kansio",
	  "förrådets .git"),
	M("the content folder",
	  "sisältökansio",
	  "innehållsmappen"),
	M("the current folder",
	  "nykyinen kansio",
	  "den aktuella mappen"),
	M("the theme",
	  "ulkoasu",
	  "temat"),
	M("a folder of themes",
	  "ulkoasukansio",
	  "en mapp med teman"),
	/* starter.c */
	M("already exists (expected a new file: avoin does not write over one)",
	  "on jo olemassa (odotettiin uutta tiedostoa: avoin ei kirjoita olemassa olevan "
	    "päälle)",
	  "finns redan (väntat en ny fil: avoin skriver inte över en befintlig)"),
	M("cannot make its folder: %s",
	  "sen kansiota ei voi luoda: %s",
	  "kan inte skapa dess mapp: %s"),
	M("cannot write: %s",
	  "ei voi kirjoittaa: %s",
	  "kan inte skrivas: %s"),
	M("exists and is not an empty folder (expected a new folder for the content "
	    "repository)",
	  "on jo olemassa eikä ole tyhjä kansio (odotettiin uutta kansiota "
	    "sisältövarastolle)",
	  "finns redan och är ingen tom mapp (väntat en ny mapp för innehållsförrådet)"),
	M("'%s' is no record type (expected region, municipality, agreement, minutes, "
	    "negotiation, report, partnership or page)",
	  "'%s' ei ole asiakirjatyyppi (odotettiin: region (hyvinvointialue), "
	    "municipality (kunta), agreement (sopimus), minutes (pöytäkirja), negotiation "
	    "(neuvottelu), report (raportti), partnership (kumppanuusryhmä) tai page "
	    "(sivu))",
	  "'%s' är ingen handlingstyp (väntat: region (välfärdsområde), municipality "
	    "(kommun), agreement (avtal), minutes (protokoll), negotiation (förhandling), "
	    "report (rapport), partnership (partnerskapsgrupp) eller page (sida))"),
	M("'%s' is no record's path (expected folders and a file name of lower-case "
	    "letters a-z, digits and '-', under the content folder, e.g. "
	    "pohjois-karjala/poytakirjat/2025-01-15-kunnanhallitus)",
	  "'%s' ei käy asiakirjan poluksi (odotettiin kansioita ja tiedostonimeä, joissa "
	    "on pieniä kirjaimia a-z, numeroita ja '-', sisältökansion alla, esim. "
	    "pohjois-karjala/poytakirjat/2025-01-15-kunnanhallitus)",
	  "'%s' duger inte som sökväg för en handling (väntat mappar och ett filnamn av "
	    "små bokstäver a-z, siffror och '-', under innehållsmappen, t.ex. "
	    "pohjois-karjala/poytakirjat/2025-01-15-kunnanhallitus)"),
	M("'%s' is at the top of the content folder (expected it in its region's folder, "
	    "e.g. kainuu/%s)",
	  "'%s' on sisältökansion juuressa (odotettiin sitä hyvinvointialueensa "
	    "kansioon, esim. kainuu/%s)",
	  "'%s' ligger överst i innehållsmappen (väntat i välfärdsområdets mapp, t.ex. "
	    "kainuu/%s)"),
	M("a region's record is its folder's region.md (expected '%s/region.md')",
	  "hyvinvointialueen asiakirja on sen kansion region.md (odotettiin: "
	    "'%s/region.md')",
	  "ett välfärdsområdes handling är mappens region.md (väntat '%s/region.md')"),
	/* base/cache.c */
	M("cannot write the cache: %s",
	  "välimuistia ei voi kirjoittaa: %s",
	  "kan inte skriva cachen: %s"),
	/* base/urlcheck.c */
	M("a mailto address",
	  "mailto-osoite",
	  "en mailto-adress"),
	M("an http or https address",
	  "http- tai https-osoite",
	  "en http- eller https-adress"),
	M("nothing",
	  "ei mitään",
	  "ingenting"),
	M("a relative link",
	  "suhteellinen linkki",
	  "en relativ länk"),
	M("an http, https or mailto address",
	  "http-, https- tai mailto-osoite",
	  "en http-, https- eller mailto-adress"),
	M("a relative link or an http or https address",
	  "suhteellinen linkki tai http- tai https-osoite",
	  "en relativ länk eller en http- eller https-adress"),
	M("a relative link or a mailto address",
	  "suhteellinen linkki tai mailto-osoite",
	  "en relativ länk eller en mailto-adress"),
	M("a relative link or an http, https or mailto address",
	  "suhteellinen linkki tai http-, https- tai mailto-osoite",
	  "en relativ länk eller en http-, https- eller mailto-adress"),
	M("an address without blanks",
	  "osoite ilman välilyöntejä",
	  "en adress utan mellanslag"),
	M("an address without control characters",
	  "osoite ilman ohjausmerkkejä",
	  "en adress utan styrtecken"),
	M("an address without quotes, angle brackets or backslashes",
	  "osoite ilman lainausmerkkejä, kulmasulkeita ja kenoviivoja",
	  "en adress utan citattecken, vinkelparenteser och omvända snedstreck"),
	M("an address that starts with https:// (not //)",
	  "osoite, joka alkaa https:// (ei //)",
	  "en adress som börjar med https:// (inte //)"),
	M("an http or https address with a host name and no user name or password",
	  "http- tai https-osoite, jossa on palvelimen nimi mutta ei käyttäjätunnusta "
	    "eikä salasanaa",
	  "en http- eller https-adress med värdnamn och utan användarnamn eller lösenord"),
	M("mailto: followed by one e-mail address",
	  "mailto: ja sen perässä yksi sähköpostiosoite",
	  "mailto: följt av en e-postadress"),
	M("tel: followed by a phone number",
	  "tel: ja sen perässä puhelinnumero",
	  "tel: följt av ett telefonnummer"),
	/* base/value.c */
	M("an empty value",
	  "tyhjä arvo",
	  "ett tomt värde"),
	M("a boolean",
	  "totuusarvo (true tai false)",
	  "ett sanningsvärde (true eller false)"),
	M("a number",
	  "luku",
	  "ett tal"),
	M("a string",
	  "teksti",
	  "en text"),
	M("a list",
	  "lista",
	  "en lista"),
	M("a map",
	  "avain–arvo-rakenne",
	  "en struktur av nycklar och värden"),
	M("a value",
	  "arvo",
	  "ett värde"),
	/* source/history.c */
	M("shallow clone: history before %s (%s) is missing; record dates may be wrong "
	    "(run 'git fetch --unshallow')",
	  "matala klooni: historia ennen muutosta %s (%s) puuttuu; asiakirjojen "
	    "päivämäärät voivat olla väärin (aja 'git fetch --unshallow')",
	  "grund klon: historiken före %s (%s) saknas; handlingarnas datum kan vara fel "
	    "(kör 'git fetch --unshallow')"),
	M("cannot read commit %s: %s",
	  "muutosta %s ei voi lukea: %s",
	  "kan inte läsa ändringen %s: %s"),
	M("cannot read the parent of commit %s: %s",
	  "muutoksen %s edeltäjää ei voi lukea: %s",
	  "kan inte läsa föregångaren till ändringen %s: %s"),
	M("cannot diff commit %s: %s",
	  "muutoksen %s eroja ei voi laskea: %s",
	  "kan inte jämföra ändringen %s: %s"),
	M("%s",
	  "%s",
	  "%s"),
	/* source/repo.c */
	M("skipping a submodule (only regular files are read)",
	  "alimoduuli ohitetaan (vain tavalliset tiedostot luetaan)",
	  "hoppar över en undermodul (bara vanliga filer läses)"),
	M("skipping a symbolic link (only regular files are read)",
	  "symbolinen linkki ohitetaan (vain tavalliset tiedostot luetaan)",
	  "hoppar över en symbolisk länk (bara vanliga filer läses)"),
	M("cannot read '%s' at revision %s: %s",
	  "kohdetta '%s' ei voi lukea versiosta %s: %s",
	  "kan inte läsa '%s' i versionen %s: %s"),
	M("cannot read '%s%s' at revision %s: %s",
	  "kohdetta '%s%s' ei voi lukea versiosta %s: %s",
	  "kan inte läsa '%s%s' i versionen %s: %s"),
	M("file is too large (%zu bytes; the limit is 16 MiB)",
	  "tiedosto on liian suuri (%zu tavua; raja on 16 MiB)",
	  "filen är för stor (%zu byte; gränsen är 16 MiB)"),
	M("revision '%s' does not resolve to a commit",
	  "versio '%s' ei osoita mihinkään muutokseen",
	  "versionen '%s' pekar inte på någon ändring"),
	M("cannot read the tree of revision %s: %s",
	  "version %s kansiopuuta ei voi lukea: %s",
	  "kan inte läsa trädet i versionen %s: %s"),
	M("'%s' is not a folder at revision %s (%.7s)",
	  "'%s' ei ole kansio versiossa %s (%.7s)",
	  "'%s' är ingen mapp i versionen %s (%.7s)"),
	M("content folder '%s' must be a path inside the repository",
	  "sisältökansion '%s' pitää olla polku varaston sisällä",
	  "innehållsmappen '%s' ska vara en sökväg inne i förrådet"),
	M("cannot open repository '%s': %s",
	  "varastoa '%s' ei voi avata: %s",
	  "kan inte öppna förrådet '%s': %s"),
	M("cannot make a git repository with its first commit: %s",
	  "git-varastoa ja sen ensimmäistä muutosta ei voi tehdä: %s",
	  "kan inte skapa ett git-förråd med dess första ändring: %s"),
	/* source/worktree.c */
	M("file is too large (%lld bytes; the limit is 16 MiB)",
	  "tiedosto on liian suuri (%lld tavua; raja on 16 MiB)",
	  "filen är för stor (%lld byte; gränsen är 16 MiB)"),
	M("cannot read the file: %s",
	  "tiedostoa ei voi lukea: %s",
	  "kan inte läsa filen: %s"),
	M("cannot read the folder: %s",
	  "kansiota ei voi lukea: %s",
	  "kan inte läsa mappen: %s"),
	M("cannot read the working tree: '%s' is a bare repository",
	  "työkopiota ei voi lukea: '%s' on varasto ilman työkopiota",
	  "kan inte läsa arbetskopian: '%s' är ett förråd utan arbetskopia"),
	M("'%s' is not a folder in the working tree",
	  "'%s' ei ole kansio työkopiossa",
	  "'%s' är ingen mapp i arbetskopian"),
	/* model/frontmatter.c */
	M("invalid YAML: %s",
	  "virheellinen YAML: %s",
	  "ogiltig YAML: %s"),
	M("invalid YAML: anchors are not allowed (got '&%s'; write the value out)",
	  "virheellinen YAML: ankkurit eivät ole sallittuja (nyt '&%s'; kirjoita arvo "
	    "auki)",
	  "ogiltig YAML: ankare är inte tillåtna (nu '&%s'; skriv ut värdet)"),
	M("a value holds the control character U+%04X (expected text; remove the "
	    "character or its escape)",
	  "arvossa on ohjausmerkki U+%04X (odotettiin tekstiä; poista merkki tai sen "
	    "koodi)",
	  "ett värde innehåller styrtecknet U+%04X (väntat text; ta bort tecknet eller "
	    "dess kod)"),
	M("invalid YAML: a key must be plain text (got %s)",
	  "virheellinen YAML: avaimen pitää olla pelkkää tekstiä; nyt %s",
	  "ogiltig YAML: en nyckel ska vara enkel text; nu %s"),
	M("duplicate key '%s' (first given on line %d)",
	  "avain '%s' on kahdesti (ensin rivillä %d)",
	  "nyckeln '%s' förekommer två gånger (först på rad %d)"),
	M("invalid YAML: aliases are not allowed (got '*%s'; write the value out)",
	  "virheellinen YAML: viittaukset eivät ole sallittuja (nyt '*%s'; kirjoita arvo "
	    "auki)",
	  "ogiltig YAML: alias är inte tillåtna (nu '*%s'; skriv ut värdet)"),
	M("invalid YAML: nesting deeper than %d levels (expected a flatter structure)",
	  "virheellinen YAML: sisäkkäisyys on syvempi kuin %d tasoa (odotettiin "
	    "matalampaa rakennetta)",
	  "ogiltig YAML: kapslat djupare än %d nivåer (väntat en plattare struktur)"),
	M("invalid YAML: unexpected event",
	  "virheellinen YAML: odottamaton rakenne",
	  "ogiltig YAML: oväntad struktur"),
	M("invalid YAML: cannot initialise the parser",
	  "virheellinen YAML: jäsennintä ei voi alustaa",
	  "ogiltig YAML: kan inte initiera tolken"),
	M("invalid YAML: more than one document (expected a single map of keys)",
	  "virheellinen YAML: useampi kuin yksi dokumentti (odotettiin yhtä "
	    "avain–arvo-rakennetta)",
	  "ogiltig YAML: mer än ett dokument (väntat en enda struktur av nycklar och "
	    "värden)"),
	M("missing front matter (expected '---' on the first line)",
	  "alkutiedot puuttuvat (odotettiin '---' ensimmäiselle riville)",
	  "metadata saknas (väntat '---' på första raden)"),
	M("front matter is not closed (expected a line '---')",
	  "alkutiedot eivät pääty (odotettiin riviä '---')",
	  "metadata avslutas inte (väntat en rad '---')"),
	M("front matter must be a map of keys (got %s)",
	  "alkutietojen pitää olla avain–arvo-rakenne; nyt %s",
	  "metadata ska vara en struktur av nycklar och värden; nu %s"),
	/* model/model.c */
	M("missing site settings (expected a file 'site.yaml' at the content root)",
	  "sivuston asetukset puuttuvat (odotettiin tiedostoa 'site.yaml' sisältökansion "
	    "juureen)",
	  "webbplatsens inställningar saknas (väntat en fil 'site.yaml' överst i "
	    "innehållsmappen)"),
	M("site settings must be a map of keys (got %s)",
	  "sivuston asetusten pitää olla avain–arvo-rakenne; nyt %s",
	  "webbplatsens inställningar ska vara en struktur av nycklar och värden; nu %s"),
	M("the site's title",
	  "sivuston nimi",
	  "webbplatsens namn"),
	M("a non-empty string",
	  "teksti, joka ei ole tyhjä",
	  "en text som inte är tom"),
	M("the site's address without '?' or '#' (e.g. https://avoin.example.fi/)",
	  "sivuston osoite ilman merkkejä '?' ja '#' (esim. https://avoin.example.fi/)",
	  "webbplatsens adress utan '?' eller '#' (t.ex. https://avoin.example.fi/)"),
	M("a list of two-letter language codes (fi, sv, en)",
	  "lista kaksikirjaimisia kielikoodeja (fi, sv, en)",
	  "en lista med språkkoder på två bokstäver (fi, sv, en)"),
	M("'languages' names '%s' twice",
	  "'languages' mainitsee kielen '%s' kahdesti",
	  "'languages' nämner '%s' två gånger"),
	M("a map of names by language",
	  "nimet kielittäin (avain–arvo-rakenne)",
	  "namn per språk (en struktur av nycklar och värden)"),
	M("'%s' is not a valid slug (expected lower-case letters a-z, digits and '-')",
	  "'%s' ei kelpaa tunnukseksi (odotettiin pieniä kirjaimia a-z, numeroita ja '-')",
	  "'%s' duger inte som kortnamn (väntat små bokstäver a-z, siffror och '-')"),
	M("theme '%s' is defined twice",
	  "teema '%s' on määritelty kahdesti",
	  "temat '%s' är definierat två gånger"),
	M("a whole number of MiB from 1 to 4096",
	  "kokonaisluku mebitavuina 1–4096",
	  "ett heltal i MiB 1–4096"),
	M("a whole number from 1000 to 1000000000000",
	  "kokonaisluku 1000–1000000000000",
	  "ett heltal 1000–1000000000000"),
	M("a whole number of seconds from 1 to 600",
	  "kokonaisluku sekunteina 1–600",
	  "ett heltal i sekunder 1–600"),
	M("an SPDX licence identifier (e.g. CC-BY-4.0), or a map of name, url and title",
	  "SPDX-lisenssitunnus (esim. CC-BY-4.0) tai rakenne, jossa on name, url ja title",
	  "en SPDX-licensbeteckning (t.ex. CC-BY-4.0), eller en struktur med name, url "
	    "och title"),
	M("an SPDX licence identifier: letters, digits, '.', '-' and '+' (e.g. CC-BY-4.0)",
	  "SPDX-lisenssitunnus: kirjaimia, numeroita, '.', '-' ja '+' (esim. CC-BY-4.0)",
	  "en SPDX-licensbeteckning: bokstäver, siffror, '.', '-' och '+' (t.ex. "
	    "CC-BY-4.0)"),
	M("'%s' names '%s', which is not a municipality of region '%s'",
	  "'%s' mainitsee '%s', joka ei ole hyvinvointialueen '%s' kunta",
	  "'%s' nämner '%s', som inte är en kommun i välfärdsområdet '%s'"),
	M("'%s' names '%s', which is not a municipality of this site",
	  "'%s' mainitsee '%s', joka ei ole tämän sivuston kunta",
	  "'%s' nämner '%s', som inte är en kommun på den här webbplatsen"),
	M("'index.md' is not allowed at the content root (the front page is generated; "
	    "expected another file name)",
	  "'index.md' ei ole sallittu sisältökansion juuressa (etusivu tehdään "
	    "automaattisesti; odotettiin muuta tiedostonimeä)",
	  "'index.md' är inte tillåten överst i innehållsmappen (startsidan skapas "
	    "automatiskt; väntat ett annat filnamn)"),
	M("the text holds the control character U+%04X (expected text; remove the "
	    "character)",
	  "tekstissä on ohjausmerkki U+%04X (odotettiin tekstiä; poista merkki)",
	  "texten innehåller styrtecknet U+%04X (väntat text; ta bort tecknet)"),
	M("the URL '%s' is kept for %s (expected another file or folder name)",
	  "osoite '%s' on varattu: %s (odotettiin muuta tiedoston tai kansion nimeä)",
	  "adressen '%s' är reserverad för %s (väntat ett annat fil- eller mappnamn)"),
	M("a record at the content root must be of type 'page' (got '%s')",
	  "sisältökansion juuressa olevan asiakirjan tyypin pitää olla 'page' (sivu); "
	    "nyt '%s'",
	  "en handling överst i innehållsmappen ska vara av typen 'page' (sida); nu '%s'"),
	M("'type' must be 'region' in a region's region.md (got '%s')",
	  "'type' pitää olla 'region' hyvinvointialueen region.md-tiedostossa; nyt '%s'",
	  "'type' ska vara 'region' i välfärdsområdets region.md; nu '%s'"),
	M("type 'region' is only allowed in a region folder's region.md (expected "
	    "%s/region.md)",
	  "tyyppi 'region' on sallittu vain hyvinvointialueen kansion "
	    "region.md-tiedostossa (odotettiin: %s/region.md)",
	  "typen 'region' är tillåten bara i ett välfärdsområdes region.md (väntat "
	    "%s/region.md)"),
	M("'%s' is not in a region folder (expected %s/region.md)",
	  "'%s' ei ole hyvinvointialueen kansiossa (odotettiin tiedostoa %s/region.md)",
	  "'%s' ligger inte i ett välfärdsområdes mapp (väntat %s/region.md)"),
	M("municipality '%s' is defined twice: in %s and in %s (expected one file per "
	    "municipality)",
	  "kunta '%s' on määritelty kahdesti: tiedostoissa %s ja %s (odotettiin yhtä "
	    "tiedostoa kuntaa kohden)",
	  "kommunen '%s' är definierad två gånger: i %s och i %s (väntat en fil per "
	    "kommun)"),
	M("url '%s' is also the url of %s (expected one record per url)",
	  "osoite '%s' on myös asiakirjan %s osoite (odotettiin yhtä asiakirjaa "
	    "osoitetta kohden)",
	  "adressen '%s' är också adressen till %s (väntat en handling per adress)"),
	/* model/resolve.c */
	M("an empty file name",
	  "tyhjä tiedostonimi",
	  "ett tomt filnamn"),
	M("'%s' is of a type that is not published (expected PDF, office documents, "
	    "images other than SVG, CSV, TSV or text; SVG, HTML and scripts can run code "
	    "in a reader's browser: see raw_files in site.yaml)",
	  "'%s' on tyyppiä, jota ei julkaista (odotettiin PDF:ää, toimisto-asiakirjaa, "
	    "muuta kuvaa kuin SVG:tä, CSV:tä, TSV:tä tai tekstiä; SVG, HTML ja skriptit "
	    "voivat ajaa koodia lukijan selaimessa: katso raw_files site.yaml-tiedostossa)",
	  "'%s' är av en typ som inte publiceras (väntat PDF, kontorsdokument, andra "
	    "bilder än SVG, CSV, TSV eller text; SVG, HTML och skript kan köra kod i "
	    "läsarens webbläsare: se raw_files i site.yaml)"),
	M("'%s' leaves the content folder",
	  "'%s' osoittaa sisältökansion ulkopuolelle",
	  "'%s' pekar ut ur innehållsmappen"),
	M("'%s' is one of the site's own files (site.yaml, hooks, templates, hidden "
	    "files), which are not published",
	  "'%s' on sivuston omia tiedostoja (site.yaml, koukut, mallit, piilotiedostot), "
	    "joita ei julkaista",
	  "'%s' hör till webbplatsens egna filer (site.yaml, krokar, mallar, dolda "
	    "filer), som inte publiceras"),
	M("'%s' does not exist in the working tree (looked for '%s' and '%s')",
	  "tiedostoa '%s' ei ole työkopiossa (etsittiin: '%s' ja '%s')",
	  "filen '%s' finns inte i arbetskopian (sökte '%s' och '%s')"),
	M("'%s' does not exist at this revision (looked for '%s' and '%s')",
	  "tiedostoa '%s' ei ole tässä versiossa (etsittiin: '%s' ja '%s')",
	  "filen '%s' finns inte i den här versionen (sökte '%s' och '%s')"),
	M("'%s' does not exist in the working tree (looked for '%s')",
	  "tiedostoa '%s' ei ole työkopiossa (etsittiin: '%s')",
	  "filen '%s' finns inte i arbetskopian (sökte '%s')"),
	M("'%s' does not exist at this revision (looked for '%s')",
	  "tiedostoa '%s' ei ole tässä versiossa (etsittiin: '%s')",
	  "filen '%s' finns inte i den här versionen (sökte '%s')"),
	/* model/translations.c */
	M("the original's type '%s' (or no 'type': a translation takes it from %s)",
	  "alkuperäisen tyyppi '%s' (tai ei 'type'-avainta: käännös saa sen tiedostosta "
	    "%s)",
	  "originalets typ '%s' (eller ingen 'type': en översättning får den från %s)"),
	M("'%s', the language its file name gives (or no 'lang')",
	  "'%s' eli tiedoston nimen kieli (tai ei 'lang'-avainta)",
	  "'%s', språket som filnamnet anger (eller ingen 'lang')"),
	M("a translation without an original: no '%s' beside it (expected "
	    "<slug>.<lang>.md next to <slug>.md)",
	  "käännös ilman alkuperäistä: sen vieressä ei ole tiedostoa '%s' (odotettiin "
	    "<nimi>.<kieli>.md tiedoston <nimi>.md viereen)",
	  "en översättning utan original: ingen '%s' bredvid den (väntat "
	    "<namn>.<språk>.md bredvid <namn>.md)"),
	M("'%s' is not a language of this site (site.yaml lists %s; expected one of them "
	    "in the file name, or the language added to site.yaml)",
	  "'%s' ei ole tämän sivuston kieli (site.yaml luettelee: %s; odotettiin jotakin "
	    "niistä tiedoston nimeen tai kieltä lisätyksi site.yaml-tiedostoon)",
	  "'%s' är inget språk på den här webbplatsen (site.yaml anger %s; väntat ett av "
	    "dem i filnamnet, eller språket tillagt i site.yaml)"),
	M("a translation into '%s', the language of its original %s (expected another of "
	    "the site's languages)",
	  "käännös kielelle '%s', joka on jo alkuperäisen asiakirjan %s kieli "
	    "(odotettiin sivuston toista kieltä)",
	  "en översättning till '%s', som redan är originalets %s språk (väntat ett "
	    "annat av webbplatsens språk)"),
	/* model/urls.c */
	M("a record's history",
	  "asiakirjan historia",
	  "en handlings historik"),
	M("a list of changes",
	  "muutosluettelo",
	  "en förteckning över ändringar"),
	M("a region's or municipality's list of all records",
	  "hyvinvointialueen tai kunnan kaikkien asiakirjojen luettelo",
	  "ett välfärdsområdes eller en kommuns förteckning över alla handlingar"),
	/* model/validate.c */
	M("'%s' must be %s (got %s)",
	  "'%s' pitää olla %s; nyt %s",
	  "'%s' ska vara %s; nu %s"),
	M("'%s' must be %s (got %s; did you mean '%s'?)",
	  "'%s' pitää olla %s; nyt %s – tarkoititko '%s'?",
	  "'%s' ska vara %s; nu %s – menade du '%s'?"),
	M("'%s' is required (expected %s)",
	  "'%s' puuttuu (odotettiin: %s)",
	  "'%s' saknas (väntat: %s)"),
	M("an e-mail address or ",
	  "sähköpostiosoite tai ",
	  "en e-postadress eller "),
	M("an ISO date YYYY-MM-DD",
	  "ISO-päivämäärä VVVV-KK-PP",
	  "ett ISO-datum ÅÅÅÅ-MM-DD"),
	M("a list of strings",
	  "lista tekstejä",
	  "en lista med texter"),
	M("a list of maps",
	  "lista avain–arvo-rakenteita",
	  "en lista med strukturer av nycklar och värden"),
	M("unknown key '%s' for type '%s' (kept for templates and hooks)",
	  "tuntematon avain '%s' tyypille '%s' (säilytetään malleja ja koukkuja varten)",
	  "okänd nyckel '%s' för typen '%s' (behålls för mallar och krokar)"),
	M("'%s' names '%s', but site.yaml defines no themes (expected the theme under "
	    "'themes' in site.yaml)",
	  "'%s' mainitsee teeman '%s', mutta site.yaml ei määrittele teemoja (odotettiin "
	    "teemaa kohtaan 'themes' site.yaml-tiedostossa)",
	  "'%s' nämner temat '%s', men site.yaml definierar inga teman (väntat temat "
	    "under 'themes' i site.yaml)"),
	M("'%s' names '%s', which is not a theme of site.yaml (expected one of %s; did "
	    "you mean '%s'?)",
	  "'%s' mainitsee '%s', joka ei ole site.yaml-tiedoston teema (odotettiin "
	    "jotakin näistä: %s) – tarkoititko '%s'?",
	  "'%s' nämner '%s', som inte är ett tema i site.yaml (väntat ett av %s) – "
	    "menade du '%s'?"),
	M("'%s' names '%s', which is not a theme of site.yaml (expected one of %s)",
	  "'%s' mainitsee '%s', joka ei ole site.yaml-tiedoston teema (odotettiin "
	    "jotakin näistä: %s)",
	  "'%s' nämner '%s', som inte är ett tema i site.yaml (väntat ett av %s)"),
	M("'valid_until' (%s) is before 'valid_from' (%s)",
	  "'valid_until' (%s) on ennen kuin 'valid_from' (%s)",
	  "'valid_until' (%s) är före 'valid_from' (%s)"),
	M("'parties' names '%s', which is neither a region nor a municipality (expected "
	    "a region or municipality slug, or an organisation's name)",
	  "'parties' mainitsee '%s', joka ei ole hyvinvointialue eikä kunta (odotettiin "
	    "hyvinvointialueen tai kunnan tunnusta tai organisaation nimeä)",
	  "'parties' nämner '%s', som varken är ett välfärdsområde eller en kommun "
	    "(väntat ett välfärdsområdes eller en kommuns kortnamn, eller en organisations "
	    "namn)"),
	M("annex %s",
	  "liite: %s",
	  "bilaga: %s"),
	M("a number or a string",
	  "luku tai teksti",
	  "ett tal eller en text"),
	M("a year YYYY or a span YYYY-YYYY",
	  "vuosi VVVV tai jakso VVVV-VVVV",
	  "ett år ÅÅÅÅ eller en period ÅÅÅÅ-ÅÅÅÅ"),
	M("indicator %s",
	  "indikaattoritiedosto: %s",
	  "indikatorfil: %s"),
	M("'area' names '%s', which is not an area of region '%s' (expected one of %s)",
	  "'area' mainitsee '%s', joka ei ole hyvinvointialueen '%s' alue (odotettiin "
	    "jotakin näistä: %s)",
	  "'area' nämner '%s', som inte är ett område i välfärdsområdet '%s' (väntat ett "
	    "av %s)"),
	M("a list of dates YYYY-MM-DD, each with its time where known: YYYY-MM-DD HH:MM "
	    "or YYYY-MM-DD HH:MM-HH:MM (Finnish time)",
	  "lista päivämääriä VVVV-KK-PP, kellonaikoineen kun ne tiedetään: VVVV-KK-PP "
	    "TT:MM tai VVVV-KK-PP TT:MM-TT:MM (Suomen aikaa)",
	  "en lista med datum ÅÅÅÅ-MM-DD, med klockslag när de är kända: ÅÅÅÅ-MM-DD "
	    "TT:MM eller ÅÅÅÅ-MM-DD TT:MM-TT:MM (finsk tid)"),
	M("one e-mail address (e.g. etunimi.sukunimi@kunta.fi)",
	  "yksi sähköpostiosoite (esim. etunimi.sukunimi@kunta.fi)",
	  "en e-postadress (t.ex. fornamn.efternamn@kommun.fi)"),
	M("the address of its own site without '?' or '#' (e.g. https://hyte.kokkola.fi/)",
	  "oman sivuston osoite ilman merkkejä '?' ja '#' (esim. "
	    "https://hyte.kokkola.fi/)",
	  "den egna webbplatsens adress utan '?' eller '#' (t.ex. "
	    "https://hyte.kokkola.fi/)"),
	M("a text, or texts by language ({fi: ..., sv: ...})",
	  "teksti tai tekstit kielittäin ({fi: ..., sv: ...})",
	  "en text, eller texter per språk ({fi: ..., sv: ...})"),
	M("a text",
	  "teksti",
	  "en text"),
	M("area '%s' is defined twice in region '%s'",
	  "alue '%s' on määritelty kahdesti hyvinvointialueella '%s'",
	  "området '%s' är definierat två gånger i välfärdsområdet '%s'"),
	M("municipality '%s' is in two areas, '%s' and '%s' (expected at most one area)",
	  "kunta '%s' on kahdella alueella, '%s' ja '%s' (odotettiin enintään yhtä "
	    "aluetta)",
	  "kommunen '%s' hör till två områden, '%s' och '%s' (väntat högst ett område)"),
	M("the record's title",
	  "asiakirjan otsikko",
	  "handlingens rubrik"),
	M("one of the site's languages %s",
	  "jokin sivuston kielistä %s",
	  "ett av webbplatsens språk %s"),
	M("true or false",
	  "true (kyllä) tai false (ei)",
	  "true (ja) eller false (nej)"),
	/* hooks/hooks.c */
	M("hook '%s': %s",
	  "koukku '%s': %s",
	  "kroken '%s': %s"),
	M("hook '%s' failed: %s",
	  "koukku '%s' epäonnistui: %s",
	  "kroken '%s' misslyckades: %s"),
	M("no hook named '%s'",
	  "koukkua nimeltä '%s' ei ole",
	  "det finns ingen krok som heter '%s'"),
	M("hook '%s' failed: %s: the returned table: %s",
	  "koukku '%s' epäonnistui: %s: palautettu taulu: %s",
	  "kroken '%s' misslyckades: %s: den returnerade tabellen: %s"),
	M("hook '%s' failed: %s: the hook returned a list, expected a table with named "
	    "keys",
	  "koukku '%s' epäonnistui: %s: koukku palautti listan, odotettiin taulua, jossa "
	    "on nimetyt avaimet",
	  "kroken '%s' misslyckades: %s: kroken returnerade en lista, väntat en tabell "
	    "med namngivna nycklar"),
	M("hook name '%s' must be lower-case letters, digits, '-' and '_'",
	  "koukun nimessä '%s' saa olla vain pieniä kirjaimia, numeroita, '-' ja '_'",
	  "krokens namn '%s' får bara ha små bokstäver, siffror, '-' och '_'"),
	M("hook '%s' is precompiled Lua bytecode; hooks are loaded as source text only",
	  "koukku '%s' on käännettyä Lua-tavukoodia; koukut ladataan vain lähdekoodina",
	  "kroken '%s' är förkompilerad Lua-bytekod; krokar läses bara in som källtext"),
	M("syntax error in hook '%s': %s",
	  "syntaksivirhe koukussa '%s': %s",
	  "syntaxfel i kroken '%s': %s"),
	/* render/markdown.c */
	M("%s to '%s%s' is not allowed (expected %s)",
	  "%s osoitteeseen '%s%s' ei ole sallittu (odotettiin: %s)",
	  "%s till '%s%s' är inte tillåten (väntat: %s)"),
	M("a link",
	  "linkki",
	  "en länk"),
	M("an image",
	  "kuva",
	  "en bild"),
	M("link to '%s' does not resolve to a record or file in the working tree",
	  "linkki '%s' ei vie mihinkään asiakirjaan tai tiedostoon työkopiossa",
	  "länken '%s' leder inte till någon handling eller fil i arbetskopian"),
	M("link to '%s' does not resolve to a record or file at this revision",
	  "linkki '%s' ei vie mihinkään asiakirjaan tai tiedostoon tässä versiossa",
	  "länken '%s' leder inte till någon handling eller fil i den här versionen"),
	M("link to draft record '%s' published as plain text",
	  "linkki luonnokseen '%s' julkaistaan pelkkänä tekstinä",
	  "länken till utkastet '%s' publiceras som vanlig text"),
	M("link to %s",
	  "linkki: %s",
	  "länk: %s"),
	M("unterminated value of attribute '%s' of block '%s': expected a closing '\"'",
	  "määreen '%s' arvo lohkossa '%s' ei pääty: odotettiin loppumerkkiä '\"'",
	  "värdet för attributet '%s' i blocket '%s' avslutas inte: väntat ett "
	    "avslutande '\"'"),
	M("attribute '%s' of block '%s' is given twice",
	  "määre '%s' on annettu lohkolle '%s' kahdesti",
	  "attributet '%s' i blocket '%s' är angivet två gånger"),
	M("attribute '%s' of block '%s' is not valid UTF-8",
	  "määre '%s' lohkossa '%s' ei ole kelvollista UTF-8:aa",
	  "attributet '%s' i blocket '%s' är inte giltig UTF-8"),
	M("cannot parse the attributes of block '%s' at '%.40s': expected key=\"value\" "
	    "or key=value",
	  "lohkon '%s' määreitä ei voi lukea kohdasta '%.40s': odotettiin avain=\"arvo\" "
	    "tai avain=arvo",
	  "kan inte tolka attributen i blocket '%s' vid '%.40s': väntat nyckel=\"värde\" "
	    "eller nyckel=värde"),
	M("internal error: rendered headings or hook blocks do not match the document",
	  "sisäinen virhe: muotoillut otsikot tai koukkulohkot eivät vastaa asiakirjaa",
	  "internt fel: formaterade rubriker eller krokblock motsvarar inte handlingen"),
	/* render/mustache.c */
	M("parent",
	  "yläpohja",
	  "överordnade mallen"),
	M("block",
	  "lohko",
	  "blocket"),
	M("section",
	  "osio",
	  "sektionen"),
	M("unclosed tag '%.*s%s' (expected '%s%.*s')",
	  "sulkematon tagi '%.*s%s' (odotettiin '%s%.*s')",
	  "taggen '%.*s%s' stängs inte (väntat '%s%.*s')"),
	M("bad delimiters in '%.*s' (expected two delimiters separated by a space, like "
	    "'{{=<%% %%>=}}')",
	  "virheelliset erottimet kohdassa '%.*s' (odotettiin kahta välilyönnillä "
	    "erotettua erotinta, kuten '{{=<%% %%>=}}')",
	  "felaktiga avgränsare i '%.*s' (väntat två avgränsare åtskilda av ett "
	    "mellanslag, som '{{=<%% %%>=}}')"),
	M("tag '%.*s' has no name (expected a name or '.')",
	  "tagilla '%.*s' ei ole nimeä (odotettiin nimeä tai '.')",
	  "taggen '%.*s' har inget namn (väntat ett namn eller '.')"),
	M("closing tag '%.*s' does not match %s '%.*s' opened on line %d (expected "
	    "'%.*s/%s%.*s%.*s')",
	  "lopputagi '%.*s' ei vastaa kohdetta %s '%.*s', joka avattiin rivillä %d "
	    "(odotettiin '%.*s/%s%.*s%.*s')",
	  "sluttaggen '%.*s' motsvarar inte %s '%.*s' som öppnades på rad %d (väntat "
	    "'%.*s/%s%.*s%.*s')"),
	M("%s '%.*s' nested too deeply (expected at most %d levels)",
	  "%s '%.*s' on sisäkkäin liian syvällä (odotettiin enintään %d tasoa)",
	  "%s '%.*s' är för djupt kapslad (väntat högst %d nivåer)"),
	M("closing tag '%.*s' without an open section",
	  "lopputagi '%.*s' ilman avointa osiota",
	  "sluttaggen '%.*s' utan en öppen sektion"),
	M("unclosed %s '%.*s' (expected '%.*s/%s%.*s%.*s' before the end)",
	  "sulkematon %s '%.*s' (odotettiin '%.*s/%s%.*s%.*s' ennen loppua)",
	  "%s '%.*s' stängs inte (väntat '%.*s/%s%.*s%.*s' före slutet)"),
	M("a template from the content %s (content templates may not write script, event "
	    "handlers or unescaped values; the theme's may)",
	  "sisällön malli %s (sisällön mallit eivät saa kirjoittaa skriptejä, "
	    "tapahtumankäsittelijöitä eikä suojaamattomia arvoja; ulkoasun mallit saavat)",
	  "en mall från innehållet %s (innehållets mallar får inte skriva skript, "
	    "händelsehanterare eller oskyddade värden; temats mallar får)"),
	M("'%s' nested more than %d levels deep while rendering '%s' (expected a "
	    "recursion that ends)",
	  "'%s' on sisäkkäin yli %d tason syvyydessä, kun '%s' muotoillaan (odotettiin "
	    "rekursiota, joka päättyy)",
	  "'%s' är kapslad djupare än %d nivåer när '%s' återges (väntat en rekursion "
	    "som tar slut)"),
	M("%s '%s' nested more than %d levels deep while rendering '%s' (expected a "
	    "recursion that ends)",
	  "%s '%s' on sisäkkäin yli %d tason syvyydessä, kun '%s' muotoillaan "
	    "(odotettiin rekursiota, joka päättyy)",
	  "%s '%s' är kapslad djupare än %d nivåer när '%s' återges (väntat en rekursion "
	    "som tar slut)"),
	M("'%s' gives '%s' where '%s' writes a link (expected %s)",
	  "'%s' antaa arvon '%s' kohtaan, johon '%s' kirjoittaa linkin (odotettiin: %s)",
	  "'%s' ger '%s' där '%s' skriver en länk (väntat: %s)"),
	M("rendering '%s' takes more than %lu steps (expected a template that does less "
	    "work; is a partial recursive?)",
	  "mallin '%s' muotoilu vie yli %lu askelta (odotettiin vähemmän työtä tekevää "
	    "mallia; kutsuuko osamalli itseään?)",
	  "att återge '%s' tar mer än %lu steg (väntat en mall som gör mindre arbete; "
	    "anropar en delmall sig själv?)"),
	M("rendering '%s' writes more than %zu MiB (expected a smaller page; is a "
	    "partial recursive?)",
	  "mallin '%s' muotoilu kirjoittaa yli %zu MiB (odotettiin pienempää sivua; "
	    "kutsuuko osamalli itseään?)",
	  "att återge '%s' skriver mer än %zu MiB (väntat en mindre sida; anropar en "
	    "delmall sig själv?)"),
	M("no template named '%s' (expected one of the theme's templates)",
	  "mallia nimeltä '%s' ei ole (odotettiin jotakin ulkoasun malleista)",
	  "det finns ingen mall som heter '%s' (väntat en av temats mallar)"),
	/* render/theme.c */
	M("cannot read: %s",
	  "ei voi lukea: %s",
	  "kan inte läsas: %s"),
	M("UI strings must be a map of keys",
	  "käyttöliittymän tekstien pitää olla avain–arvo-rakenne",
	  "gränssnittstexterna ska vara en struktur av nycklar och värden"),
	M("UI string '%s' is missing (expected it, as in fi.yaml); the Finnish one is "
	    "shown",
	  "käyttöliittymän teksti '%s' puuttuu (odotettiin sitä kuten "
	    "fi.yaml-tiedostossa); suomenkielinen näytetään",
	  "gränssnittstexten '%s' saknas (väntat den, som i fi.yaml); den finska visas"),
	M("theme has no UI strings (expected i18n/fi.yaml)",
	  "ulkoasulla ei ole käyttöliittymän tekstejä (odotettiin tiedostoa i18n/fi.yaml)",
	  "temat har inga gränssnittstexter (väntat i18n/fi.yaml)"),
	M("theme folder does not exist",
	  "ulkoasukansiota ei ole",
	  "temamappen finns inte"),
	M("'theme' must be a theme name (got '%s')",
	  "'theme' pitää olla ulkoasun nimi; nyt '%s'",
	  "'theme' ska vara ett temas namn; nu '%s'"),
	M("theme '%s' not found (looked in ./themes, beside the binary and in %s)",
	  "ulkoasua '%s' ei löydy (etsittiin kansiosta ./themes, ohjelman vierestä ja "
	    "kansiosta %s)",
	  "temat '%s' hittades inte (sökte i ./themes, bredvid programmet och i %s)"),
	M("theme has no templates folder",
	  "ulkoasulla ei ole templates-kansiota",
	  "temat har ingen mapp templates"),
	/* output/outguard.c */
	M("refusing to write the site into '%s': %s (choose an output folder of its own "
	    "with --out, e.g. public)",
	  "sivustoa ei kirjoiteta kansioon '%s': %s (valitse sille oma tuloskansio "
	    "valitsimella --out, esim. public)",
	  "webbplatsen skrivs inte till '%s': %s (välj en egen utmapp med --out, t.ex. "
	    "public)"),
	M("the current folder cannot be read",
	  "nykyistä kansiota ei voi lukea",
	  "den aktuella mappen kan inte läsas"),
	M("it is the root folder",
	  "se on juurikansio",
	  "den är rotmappen"),
	M("it contains %s",
	  "se sisältää kohteen: %s",
	  "den innehåller %s"),
	M("it is %s",
	  "se on %s",
	  "den är %s"),
	M("it is inside %s",
	  "se on kohteen sisällä: %s",
	  "den ligger i %s"),
	M("it is a file, not a folder",
	  "se on tiedosto eikä kansio",
	  "den är en fil, inte en mapp"),
	M("it is a folder that is not empty and that Avoin did not write (no manifest in "
	    "its .cache, no front page of Avoin's)",
	  "se on kansio, joka ei ole tyhjä ja jota Avoin ei ole kirjoittanut (sen "
	    ".cache-kansiossa ei ole luetteloa eikä siinä ole Avoimen etusivua)",
	  "den är en mapp som inte är tom och som Avoin inte har skrivit (ingen "
	    "förteckning i dess .cache, ingen startsida från Avoin)"),
	M("cannot make '%s': %s",
	  "kohdetta '%s' ei voi luoda: %s",
	  "kan inte skapa '%s': %s"),
	M("cannot open the lock '%s': %s",
	  "lukkoa '%s' ei voi avata: %s",
	  "kan inte öppna låset '%s': %s"),
	M("another build is writing to '%s' (it holds '%s'); run this one when it has "
	    "finished, or with --wait to wait for it",
	  "toinen koonti kirjoittaa kansioon '%s' (sillä on '%s'); aja tämä, kun se on "
	    "valmis, tai valitsimella --wait, niin tämä odottaa",
	  "ett annat bygge skriver till '%s' (det håller '%s'); kör det här när det är "
	    "klart, eller med --wait för att vänta på det"),
	M("cannot lock '%s': %s",
	  "kohdetta '%s' ei voi lukita: %s",
	  "kan inte låsa '%s': %s"),
	/* output/output.c */
	M("cannot create the staging folder: %s",
	  "väliaikaiskansiota ei voi luoda: %s",
	  "kan inte skapa den tillfälliga mappen: %s"),
	M("refusing to write outside the output folder",
	  "tuloskansion ulkopuolelle ei kirjoiteta",
	  "skriver inte utanför utmappen"),
	M("cannot be written: a name of %zu bytes is longer than the %ld this filesystem "
	    "takes",
	  "ei voi kirjoittaa: %zu tavun nimi on pidempi kuin tämän tiedostojärjestelmän "
	    "sallima %ld",
	  "kan inte skrivas: ett namn på %zu byte är längre än de %ld som filsystemet "
	    "tillåter"),
	M("cannot be written: the path is longer than %d bytes",
	  "ei voi kirjoittaa: polku on pidempi kuin %d tavua",
	  "kan inte skrivas: sökvägen är längre än %d byte"),
	M("cannot be written (%s): the new site was not put in place",
	  "ei voi kirjoittaa (%s): uutta sivustoa ei otettu käyttöön",
	  "kan inte skrivas (%s): den nya webbplatsen togs inte i bruk"),
	M("too few free inodes for %zu new folders",
	  "vapaita inodeja on liian vähän %zu uudelle kansiolle",
	  "för få lediga inoder för %zu nya mappar"),
	M("cannot write the journal of the swap: %s",
	  "vaihdon lokia ei voi kirjoittaa: %s",
	  "kan inte skriva bytets logg: %s"),
	M("cannot move the new file in place: %s",
	  "uutta tiedostoa ei voi siirtää paikalleen: %s",
	  "kan inte flytta den nya filen på plats: %s"),
	M("cannot remove the staging folder: %s",
	  "väliaikaiskansiota ei voi poistaa: %s",
	  "kan inte ta bort den tillfälliga mappen: %s"),
	M("finished the swap of a build that was stopped",
	  "keskeytyneen koonnin vaihto vietiin loppuun",
	  "bytet från ett avbrutet bygge slutfördes"),
	M("a stopped build's swap could not be finished: this build writes the whole site",
	  "keskeytyneen koonnin vaihtoa ei voitu viedä loppuun: tämä koonti kirjoittaa "
	    "koko sivuston",
	  "bytet från ett avbrutet bygge kunde inte slutföras: det här bygget skriver "
	    "hela webbplatsen"),
	M("two pages or files of the site would be written here (expected each path "
	    "once; a record or file whose name the generator uses for its own pages?)",
	  "tähän kirjoitettaisiin kaksi sivuston sivua tai tiedostoa (odotettiin kutakin "
	    "polkua kerran; onko asiakirjalla tai tiedostolla nimi, jota generaattori "
	    "käyttää omille sivuilleen?)",
	  "två av webbplatsens sidor eller filer skulle skrivas här (väntat varje sökväg "
	    "en gång; har en handling eller fil ett namn som generatorn använder för sina "
	    "egna sidor?)"),
	M("cannot move the new site in place: %s",
	  "uutta sivustoa ei voi siirtää paikalleen: %s",
	  "kan inte flytta den nya webbplatsen på plats: %s"),
	M("cannot remove the previous site: %s",
	  "edellistä sivustoa ei voi poistaa: %s",
	  "kan inte ta bort den tidigare webbplatsen: %s"),
	/* site/changes.c */
	M("the list of changes",
	  "muutosluettelo",
	  "förteckningen över ändringar"),
	/* site/histpages.c */
	M("the URL '%s' is reserved for %s (expected another file name)",
	  "osoite '%s' on varattu: %s (odotettiin muuta tiedostonimeä)",
	  "adressen '%s' är reserverad för %s (väntat ett annat filnamn)"),
	M("a record's change history",
	  "asiakirjan muutoshistoria",
	  "en handlings ändringshistorik"),
	M("the version of %.7s (blob %.12s) is missing from the repository: its history "
	    "page says it cannot be shown",
	  "muutoksen %.7s versio (blob %.12s) puuttuu varastosta: sen historiasivu "
	    "kertoo, ettei sitä voi näyttää",
	  "versionen från %.7s (blob %.12s) saknas i förrådet: dess historiksida säger "
	    "att den inte kan visas"),
	/* site/page.c */
	M("cannot read its rendered body from the cache (expected a readable cache; "
	    "delete the '.cache' folder beside the output to render it again)",
	  "sen muotoiltua tekstiä ei voi lukea välimuistista (odotettiin luettavaa "
	    "välimuistia; poista tuloskansion vieressä oleva '.cache'-kansio, niin teksti "
	    "muotoillaan uudelleen)",
	  "kan inte läsa dess formaterade text ur cachen (väntat en läsbar cache; ta "
	    "bort mappen '.cache' bredvid utmappen så formateras texten på nytt)"),
	/* site/pages.c */
	M("its text could not be read again from the repository (blob %.12s) for its "
	    "page in another language",
	  "sen tekstiä ei voitu lukea uudelleen varastosta (blob %.12s) toisen kielen "
	    "sivua varten",
	  "dess text kunde inte läsas på nytt ur förrådet (blob %.12s) för sidan på ett "
	    "annat språk"),
	M("its hooks' HTML has links of the shape of its own, so they cannot be placed "
	    "on the site of %s",
	  "sen koukkujen HTML:ssä on omanlaisiaan linkkejä, joten niitä ei voi sijoittaa "
	    "sivustolle %s",
	  "dess krokars HTML har egna slags länkar, så de kan inte placeras på "
	    "webbplatsen för %s"),
	/* site/scope.c */
	M("--scope '%s' names no region of the content (expected a region's folder, e.g. "
	    "'kainuu', or a region and one of its municipalities, e.g. 'kainuu/kajaani')",
	  "--scope '%s' ei nimeä sisällön hyvinvointialuetta (odotettiin "
	    "hyvinvointialueen kansiota, esim. 'kainuu', tai aluetta ja sen kuntaa, esim. "
	    "'kainuu/kajaani')",
	  "--scope '%s' nämner inget välfärdsområde i innehållet (väntat ett "
	    "välfärdsområdes mapp, t.ex. 'kainuu', eller ett område och en av dess "
	    "kommuner, t.ex. 'kainuu/kajaani')"),
	M("--scope '%s' names no municipality of that region (expected a region's "
	    "folder, e.g. 'kainuu', or a region and one of its municipalities, e.g. "
	    "'kainuu/kajaani')",
	  "--scope '%s' ei nimeä sen hyvinvointialueen kuntaa (odotettiin "
	    "hyvinvointialueen kansiota, esim. 'kainuu', tai aluetta ja sen kuntaa, esim. "
	    "'kainuu/kajaani')",
	  "--scope '%s' nämner ingen kommun i det välfärdsområdet (väntat ett "
	    "välfärdsområdes mapp, t.ex. 'kainuu', eller ett område och en av dess "
	    "kommuner, t.ex. 'kainuu/kajaani')"),
	M("a scoped site needs the whole site's base_url (expected base_url: "
	    "https://..., the address its links to other regions go to)",
	  "rajattu sivusto tarvitsee koko sivuston base_url-osoitteen (odotettiin "
	    "base_url: https://..., osoite, johon sen linkit muille alueille vievät)",
	  "en avgränsad webbplats behöver hela webbplatsens base_url (väntat base_url: "
	    "https://..., adressen dit dess länkar till andra områden leder)"),
	M("--all-scopes would write the sites of '%s' and '%s' into one folder '%s' "
	    "(expected a municipality's slug that is no region's folder)",
	  "--all-scopes kirjoittaisi sivustot '%s' ja '%s' samaan kansioon '%s' "
	    "(odotettiin kunnan tunnusta, joka ei ole minkään hyvinvointialueen kansio)",
	  "--all-scopes skulle skriva webbplatserna '%s' och '%s' i samma mapp '%s' "
	    "(väntat ett kortnamn för kommunen som inte är något välfärdsområdes mapp)"),
	/* serve/server.c */
	M("There is an error in the content",
	  "Sisällössä on virhe",
	  "Innehållet har ett fel"),
	M("There are %zu errors in the content",
	  "Sisällössä on %zu virhettä",
	  "Innehållet har %zu fel"),
	M("Below is the last version without errors. Correct the errors and the page "
	    "reloads itself.",
	  "Alla on viimeisin virheetön versio. Korjaa virheet, niin sivu latautuu itse.",
	  "Nedan visas den senaste versionen utan fel. Rätta felen så laddas sidan om av "
	    "sig själv."),
	M("… and %zu more.",
	  "… ja %zu muuta.",
	  "… och %zu till."),
	M("'%u' is no port (expected 0 to 65535)",
	  "'%u' ei ole portti (odotettiin 0–65535)",
	  "'%u' är ingen port (väntat 0–65535)"),
	M("'%s' is no IP address (expected e.g. 127.0.0.1 or ::1)",
	  "'%s' ei ole IP-osoite (odotettiin esim. 127.0.0.1 tai ::1)",
	  "'%s' är ingen IP-adress (väntat t.ex. 127.0.0.1 eller ::1)"),
	M("cannot listen on %s port %u: %s",
	  "osoitetta %s ei voi kuunnella portissa %u: %s",
	  "kan inte lyssna på %s port %u: %s"),
	M("the port is in use or not allowed",
	  "portti on käytössä tai kielletty",
	  "porten används redan eller är inte tillåten"),
};
const size_t msg_catalog_count = sizeof msg_catalog / sizeof *msg_catalog;

/* The allowed values of statuses, kinds, types and sectors, with the word for each. */
const msg_value_word_entry msg_value_words[] = {
	{ "draft", { NULL, "luonnos", "utkast" } },
	{ "approved", { NULL, "hyväksytty", "godkänt" } },
	{ "signed", { NULL, "allekirjoitettu", "undertecknat" } },
	{ "expired", { NULL, "päättynyt", "upphört" } },
	{ "planned", { NULL, "suunniteltu", "planerad" } },
	{ "in-progress", { NULL, "käynnissä", "pågår" } },
	{ "done", { NULL, "tehty", "klar" } },
	{ "cancelled", { NULL, "peruttu", "inställd" } },
	{ "hyte", { NULL, "HYTE-neuvottelu", "HYTE-förhandling" } },
	{ "cooperation", { NULL, "yhteistyöneuvottelu", "samarbetsförhandling" } },
	{ "wellbeing-report", { NULL, "hyvinvointikertomus", "välfärdsberättelse" } },
	{ "wellbeing-plan", { NULL, "hyvinvointisuunnitelma", "välfärdsplan" } },
	{ "annual-report", { NULL, "vuosiraportti", "årsrapport" } },
	{ "region", { NULL, "hyvinvointialue", "välfärdsområde" } },
	{ "municipality", { NULL, "kunta", "kommun" } },
	{ "agreement", { NULL, "sopimus", "avtal" } },
	{ "minutes", { NULL, "pöytäkirja", "protokoll" } },
	{ "negotiation", { NULL, "neuvottelu", "förhandling" } },
	{ "report", { NULL, "raportti", "rapport" } },
	{ "partnership", { NULL, "kumppanuusryhmä", "partnerskapsgrupp" } },
	{ "page", { NULL, "sivu", "sida" } },
	{ "kunta", { "municipality", NULL, "kommun" } },
	{ "hyvinvointialue", { "wellbeing services county", NULL, "välfärdsområde" } },
	{ "järjestö", { "association", NULL, "organisation" } },
	{ "seurakunta", { "parish", NULL, "församling" } },
	{ "yritys", { "company", NULL, "företag" } },
	{ "oppilaitos", { "educational institution", NULL, "läroanstalt" } },
	{ "valtio", { "central government", NULL, "staten" } },
};
const size_t msg_value_word_count = sizeof msg_value_words / sizeof *msg_value_words;
