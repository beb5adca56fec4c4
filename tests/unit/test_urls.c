/* The site's URL scheme (urls.c), whole: every kind of page, its output path, links between pages. */
#include <stdlib.h>

#include "test.h"
#include "urls.h"

/* Checks a returned string and frees it. */
#define CHECK_OWN(expr, want) do { \
	char *got_ = (expr); \
	CHECK_STR(got_, want); \
	free(got_); \
} while (0)

static void every_kind_of_page_has_its_url(void)
{
	CHECK_OWN(url_of_record("kainuu/sopimukset/x.md", 0), "/kainuu/sopimukset/x/");
	CHECK_OWN(url_of_record("kainuu/region.md", 1), "/kainuu/");
	CHECK_OWN(url_of_record("kainuu/kunnat/kajaani.md", 0), "/kainuu/kunnat/kajaani/");
	CHECK_OWN(url_of_slug("kainuu"), "/kainuu/");
	CHECK_OWN(url_of_file("kainuu/liitteet/sopimus.pdf"), "/kainuu/liitteet/sopimus.pdf");
	CHECK_OWN(url_of_folder("kainuu/kunnat"), "/kainuu/kunnat/");
	CHECK_OWN(url_of_folder(""), "/");
	CHECK_OWN(url_history("/kainuu/x/"), "/kainuu/x/historia/");
	CHECK_OWN(url_version("/kainuu/x/", "1a2b3c4"), "/kainuu/x/historia/1a2b3c4.html");
	CHECK_OWN(url_changes("/", 0), "/muutokset/");
	CHECK_OWN(url_changes("/", 3), "/muutokset/3/");
	CHECK_OWN(url_changes("/kainuu/", 0), "/kainuu/muutokset/");
	CHECK_OWN(url_changes_feed("/kainuu/kunnat/kajaani/"), "/kainuu/kunnat/kajaani/muutokset/atom.xml");
	CHECK_STR(url_feed_file(), "atom.xml");
	CHECK_OWN(url_all_records("/kainuu/"), "/kainuu/asiakirjat/");
	CHECK_OWN(url_theme(NULL), "/teemat/");
	CHECK_OWN(url_theme("osallisuus"), "/teemat/osallisuus/");
	CHECK_STR(url_fixed(URL_FRONT), "/");
	CHECK_STR(url_fixed(URL_STATEMENT), "/saavutettavuus/");
	CHECK_STR(url_fixed(URL_PARITY), "/kieliversiot/");
	CHECK_STR(url_fixed(URL_NOT_FOUND), "/404.html");
	CHECK_STR(url_fixed(URL_SITEMAP), "/sitemap.xml");
	CHECK_STR(url_fixed(URL_ROBOTS), "/robots.txt");
	CHECK_STR(url_fixed(URL_STATIC), "/static/");
	CHECK_STR(url_fixed(URL_SEARCH), "/haku/");
	CHECK_OWN(url_search_file("sv", "meta.json"), "/haku/sv/meta.json");
	CHECK_OWN(url_search_file("fi", ""), "/haku/fi/");
	CHECK_OWN(url_all_records("/kainuu/kunnat/kajaani/"), "/kainuu/kunnat/kajaani/asiakirjat/");
	CHECK_OWN(url_record_json("/kainuu/x/"), "/kainuu/x/index.json");
	CHECK_OWN(url_calendar("/"), "/kalenteri.ics");
	CHECK_OWN(url_calendar("/teemat/liikunta/"), "/teemat/liikunta/kalenteri.ics");
	CHECK_OWN(url_feed("/kainuu/kumppanuus/x/"), "/kainuu/kumppanuus/x/atom.xml");
	CHECK_OWN(url_data_file(NULL, "agreements.csv"), "/avoindata/agreements.csv");
	CHECK_OWN(url_data_file("kainuu", "records.json"), "/avoindata/kainuu/records.json");
	CHECK_STR(url_fixed(URL_DATA), "/avoindata/");
	CHECK_STR(url_fixed(URL_DEADLINES), "/maaraajat/");
}

static void pages_are_written_where_their_urls_say(void)
{
	CHECK_OWN(url_output_path("/"), "index.html");
	CHECK_OWN(url_output_path("/kainuu/x/"), "kainuu/x/index.html");
	CHECK_OWN(url_output_path("/kainuu/x/historia/1a2b3c4.html"), "kainuu/x/historia/1a2b3c4.html");
	CHECK_OWN(url_output_path("/muutokset/atom.xml"), "muutokset/atom.xml");
	CHECK_OWN(url_output_path("/404.html"), "404.html");
	CHECK_STR(url_href("/kainuu/x/"), "kainuu/x/");
	CHECK_STR(url_href("/"), "");
	CHECK_OWN(url_root_of("/"), "./");
	CHECK_OWN(url_root_of("/404.html"), "./");
	CHECK_OWN(url_root_of("/kainuu/x/"), "../../");
	CHECK_OWN(url_root_of("/kainuu/x/historia/1a2b3c4.html"), "../../../");
	CHECK_OWN(url_relative("/kainuu/x/", "/teemat/"), "../../teemat/");
	CHECK_OWN(url_relative("/", "/kainuu/"), "./kainuu/");
	CHECK_OWN(url_absolute("https://hyte.example.fi/", "/kainuu/x/"),
		"https://hyte.example.fi/kainuu/x/");
}

static void languages_and_scopes_place_a_url(void)
{
	url_site whole = { "fi", NULL, NULL }, kainuu = { "fi", "/kainuu/", NULL };
	url_site kajaani = { "fi", "/kainuu/", "/kainuu/kunnat/kajaani/" };
	CHECK_OWN(url_place(&whole, "fi", "/kainuu/x/"), "/kainuu/x/");
	CHECK_OWN(url_place(&whole, NULL, "/kainuu/x/"), "/kainuu/x/");
	CHECK_OWN(url_place(&whole, "sv", "/kainuu/x/"), "/sv/kainuu/x/");
	CHECK_OWN(url_place(&whole, "sv", "/"), "/sv/");
	CHECK_OWN(url_place(&kainuu, "fi", "/kainuu/x/"), "/x/");
	CHECK_OWN(url_place(&kainuu, "fi", "/kainuu/"), "/");
	CHECK_OWN(url_place(&kainuu, "en", "/kainuu/x/historia/"), "/en/x/historia/");
	CHECK(url_place(&kainuu, "fi", "/pirkanmaa/x/") == NULL);
	CHECK(url_place(&kainuu, "fi", "/kainuux/") == NULL);
	/* the generator's own pages keep their place on a scoped site; a root page does not */
	CHECK_OWN(url_place(&kainuu, "fi", "/teemat/liikunta/"), "/teemat/liikunta/");
	CHECK_OWN(url_place(&kainuu, "sv", "/404.html"), "/sv/404.html");
	CHECK_OWN(url_place(&kainuu, "fi", "/muutokset/atom.xml"), "/muutokset/atom.xml");
	CHECK(url_place(&kainuu, "fi", "/tietoa/") == NULL);
	/* a municipality's site: its page at the root, its region's records beside it */
	CHECK_OWN(url_place(&kajaani, "fi", "/kainuu/kunnat/kajaani/"), "/");
	CHECK_OWN(url_place(&kajaani, "sv", "/kainuu/kunnat/kajaani/historia/"), "/sv/historia/");
	CHECK_OWN(url_place(&kajaani, "fi", "/kainuu/sopimukset/x/"), "/sopimukset/x/");
	CHECK(url_place(&kajaani, "fi", "/lappi/sopimukset/x/") == NULL);
	/* the page a URL belongs to: for a scope to ask whose it is */
	CHECK_OWN(url_page_of("/kainuu/x/historia/1a2b3c4.html"), "/kainuu/x/");
	CHECK_OWN(url_page_of("/kainuu/x/muutokset/2/"), "/kainuu/x/");
	CHECK_OWN(url_page_of("/kainuu/asiakirjat/"), "/kainuu/");
	CHECK_OWN(url_page_of("/kainuu/x/index.json"), "/kainuu/x/");
	CHECK_OWN(url_page_of("/kainuu/kalenteri.ics"), "/kainuu/");
	CHECK_OWN(url_page_of("/kainuu/x/"), "/kainuu/x/");
	CHECK_OWN(url_page_of("/muutokset/atom.xml"), "/");
}

/* No record's URL may take a generator's page, whatever folder or file name it has. */
static void records_cannot_take_a_generators_page(void)
{
	static const char *const kept[] = {
		"kainuu/historia.md", "kainuu/x/historia/y.md", "muutokset.md", "kainuu/muutokset.md",
		"teemat.md", "teemat/osallisuus.md", "saavutettavuus.md", "kieliversiot.md", "static/x.md",
		"kainuu/asiakirjat.md", "sv.md", "en/kainuu.md", "kumppanuus.md", "haku.md", "haku/fi.md",
		"avoindata.md", "avoindata/kainuu.md", "maaraajat.md",
		"kainuu/kunnat/kajaani/asiakirjat.md",
	};
	for (size_t i = 0; i < sizeof kept / sizeof *kept; i++) {
		char *u = url_of_record(kept[i], 0);
		if (!urls_reserved_for(u))
			printf("  not kept: %s -> %s\n", kept[i], u);
		CHECK(urls_reserved_for(u) != NULL);
		free(u);
	}
	static const char *const free_[] = {
		"kainuu/sopimukset/historiaa.md", "kainuu/muutos.md", "teema.md", "swe.md",
		"kainuu/kunnat/kajaani.md", "hakuohje.md",
	};
	for (size_t i = 0; i < sizeof free_ / sizeof *free_; i++) {
		char *u = url_of_record(free_[i], 0);
		CHECK(urls_reserved_for(u) == NULL);
		free(u);
	}
	CHECK_STR(urls_reserved_for("/"), "the front page");
	/* every page the generator writes is kept */
	char *pages[] = {
		url_history("/kainuu/x/"), url_version("/kainuu/x/", "1a2b3c4"), url_changes("/", 0),
		url_changes("/kainuu/", 2), url_changes_feed("/"), url_all_records("/kainuu/"),
		url_theme(NULL), url_theme("osallisuus"), url_partners(URL_FACET_NONE, NULL),
		url_partners(URL_FACET_AREA, "kainuu-keskinen"),
	};
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		CHECK(urls_reserved_for(pages[i]) != NULL);
		free(pages[i]);
	}
	CHECK(urls_reserved_for(url_fixed(URL_STATEMENT)) && urls_reserved_for(url_fixed(URL_STATIC)));
}

static void the_partnership_directory_and_its_filters(void)
{
	char *u[] = {
		url_partners(URL_FACET_NONE, NULL), url_partners(URL_FACET_THEME, "liikunta"),
		url_partners(URL_FACET_SECTOR, "järjestö"), url_partners(URL_FACET_AREA, "pk-keskinen"),
		url_partners(URL_FACET_SECTOR, "Åäö"),
	};
	CHECK_STR(u[0], "/kumppanuus/");
	CHECK_STR(u[1], "/kumppanuus/teema/liikunta/");
	CHECK_STR(u[2], "/kumppanuus/sektori/jarjesto/");
	CHECK_STR(u[3], "/kumppanuus/alue/pk-keskinen/");
	CHECK_STR(u[4], "/kumppanuus/sektori/aao/");
	for (size_t i = 0; i < sizeof u / sizeof *u; i++)
		free(u[i]);
}

int main(void)
{
	RUN(every_kind_of_page_has_its_url);
	RUN(pages_are_written_where_their_urls_say);
	RUN(languages_and_scopes_place_a_url);
	RUN(records_cannot_take_a_generators_page);
	RUN(the_partnership_directory_and_its_filters);
	return test_summary();
}
