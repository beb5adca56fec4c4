#!/usr/bin/env python3
"""Walks every link of a built site, parsed with html.parser: each href and
src of every HTML page that stays on the site must name a file the site has
(a folder's index.html for a folder). A link to another address is checked
too where --site names that address's site: it must name a file there.
Prints each broken link and "N pages, M links, K broken, L leaving (C
checked)"; exits 1 when any is broken.

    linkcheck.py SITE [--site URL=DIR]...

    --site https://x.example/=public  links under https://x.example/ must name
                                      a file of public/ (another site's build)
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
                self.links.append(value)


def names_file(root, path):
    """1 when path (relative to root, decoded) is a file of root or a folder with index.html."""
    target = os.path.normpath(os.path.join(root, path))
    if not os.path.realpath(target).startswith(os.path.realpath(root)):
        return False
    if os.path.isdir(target):
        target = os.path.join(target, "index.html")
    return os.path.isfile(target)


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    site, sites = args[0], []
    for i in range(1, len(args) - 1, 2):
        if args[i] == "--site":
            url, _, folder = args[i + 1].partition("=")
            sites.append((url, folder))
    pages = links = broken = leaving = checked = 0
    for folder, _, files in os.walk(site):
        for name in sorted(files):
            if not name.endswith(".html"):
                continue
            path = os.path.join(folder, name)
            where = os.path.relpath(path, site)
            pages += 1
            p = Links()
            with open(path, encoding="utf-8") as f:
                p.feed(f.read())
            for url in p.links:
                links += 1
                parts = urlsplit(url)
                if parts.scheme or url.startswith("//"):
                    leaving += 1
                    for base, other in sites:
                        if url.startswith(base):
                            checked += 1
                            rest = unquote(urlsplit(url[len(base):]).path) or "."
                            if not names_file(other, rest):
                                print(f"{where}: {url} names nothing in {other}")
                                broken += 1
                    continue
                if not parts.path:
                    continue
                rel = os.path.join(os.path.relpath(folder, site), unquote(parts.path))
                if not names_file(site, rel):
                    print(f"{where}: {url} names nothing")
                    broken += 1
    print(f"{pages} pages, {links} links, {broken} broken, {leaving} leaving ({checked} checked)")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
