#!/usr/bin/env python3
"""Walks every link of a built site, parsed with html.parser: each href and
src of every HTML page that stays on the site must name a file the site has
(a folder's index.html for a folder). Links that leave it (http, https,
mailto, tel, webcal) are listed apart. Prints each broken link and
"N pages, M links, K broken, L leaving"; exits 1 when any is broken.

    linkcheck.py SITE [--leaving-prefix URL]

With --leaving-prefix, every http(s) link to another site must start with URL
(a scoped site's links out of its scope go to the whole site), except those
listed as the content's own (the theme's and records' outside links are not
checked when no prefix is given).
"""
import os
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit


class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((tag, value))


def main():
    site = sys.argv[1]
    prefix = None
    if len(sys.argv) > 3 and sys.argv[2] == "--leaving-prefix":
        prefix = sys.argv[3]
    pages = links = broken = leaving = 0
    for folder, _, files in os.walk(site):
        for name in sorted(files):
            if not name.endswith(".html"):
                continue
            path = os.path.join(folder, name)
            pages += 1
            p = Links()
            with open(path, encoding="utf-8") as f:
                p.feed(f.read())
            for tag, url in p.links:
                links += 1
                parts = urlsplit(url)
                if parts.scheme or url.startswith("//"):
                    leaving += 1
                    if prefix and parts.scheme in ("http", "https") and tag == "a" \
                            and url.startswith(prefix.split("/", 3)[0]) \
                            and not url.startswith(prefix):
                        print(f"{os.path.relpath(path, site)}: {url} leaves for another "
                              f"address than {prefix}")
                        broken += 1
                    continue
                if not parts.path:
                    continue
                target = os.path.normpath(os.path.join(folder, unquote(parts.path)))
                if not os.path.realpath(target).startswith(os.path.realpath(site)):
                    print(f"{os.path.relpath(path, site)}: {url} leaves the site's folder")
                    broken += 1
                    continue
                if os.path.isdir(target):
                    target = os.path.join(target, "index.html")
                if not os.path.isfile(target):
                    print(f"{os.path.relpath(path, site)}: {url} names nothing")
                    broken += 1
    print(f"{pages} pages, {links} links, {broken} broken, {leaving} leaving")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
