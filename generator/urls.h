#ifndef AVOIN_URLS_H
#define AVOIN_URLS_H
/*
 * The names in the site's URL scheme that the generator keeps for its own
 * pages. A record may not take one: its page and the generator's would claim
 * the same path, and which one a reader saw would depend on timing. The
 * model refuses such a record when it loads (in `check` as in `build`), and
 * the history does not put a removal page there.
 *
 *   /                           the front page
 *   /teemat/...                 the themes
 *   /saavutettavuus/            the accessibility statement
 *   /static/...                 the theme's files
 *   /muutokset/...              the site's changes
 *   /<lang>/...                 the site in another language (two letters)
 *   .../historia/...            a record's history and versions
 *   .../muutokset/...           a region's or a municipality's changes
 *   .../asiakirjat/...          a region's list of all records
 */

/* What url ("/a/b/") is kept for, e.g. "the themes pages"; NULL when a record may have it. */
const char *urls_reserved_for(const char *url);

#endif
