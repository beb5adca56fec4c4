#!/usr/bin/env python3
"""Parses every HTML page under a folder with Python's html.parser and reports
what a page must never carry: script elements, event-handler attributes,
links or sources with a scheme other than http, https, mailto and tel, style
or iframe elements from content, and text that ends inside a tag. Prints one
line per finding and exits 1 when there is any.

The theme's own search (templates/layout.mustache, search.mustache) is the one
exception, and only in its exact shape: a GET form with role="search" and the
class site-search or search-form whose action is the search page (on a 404 page
at the site's base_url), and an empty
<script defer> whose src is the theme's static/search.js.

    htmlcheck.py SITE
"""
import os
import re
import sys
from html.parser import HTMLParser

URL_ATTRS = {"href", "src", "action", "formaction", "poster", "cite", "data",
             "xlink:href", "srcset", "background", "ping", "manifest"}
SAFE_SCHEME = re.compile(r"^(https?|mailto|tel):", re.I)
HAS_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
# the theme's subscribe link: a calendar of the site itself, in the shape urls.c gives it
THEME_WEBCAL = re.compile(r"^webcal://[a-z0-9.-]+(?::[0-9]+)?/(?:[a-z0-9-]+/)*kalenteri\.ics$")
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "base",
                  "form", "meta-refresh"}
# to the site's root: relative, or (404 pages) the site's base_url
UP = r"(?:\./|(?:\.\./)*|https?://[^/\s\"]+/(?:[^\s\"?#]*/)?)"
THEME_FORMS = [
    {"class": "site-search", "role": "search", "method": "get",
     "action": re.compile(UP + r"haku/")},
    {"class": "search-form", "role": "search", "method": "get", "action": re.compile(r"\./")},
]
THEME_SCRIPT = re.compile(r"(?:\.\./)*static/search\.js")


def theme_element(tag, attrs):
    """1 when tag with attrs is the theme's search form or script, exactly."""
    a = dict(attrs)
    if tag == "script":
        return set(a) == {"src", "defer"} and a["defer"] is None and \
            THEME_SCRIPT.fullmatch(a["src"] or "") is not None
    if tag != "form":
        return False
    for shape in THEME_FORMS:
        if a.get("class") != shape["class"] or a.get("role") != shape["role"] or \
                a.get("method") != shape["method"] or \
                not shape["action"].fullmatch(a.get("action") or ""):
            continue
        extra = set(a) - {"class", "role", "method", "action"}
        return all(k.startswith("data-") for k in extra)
    return False


class Checker(HTMLParser):
    def __init__(self, path, findings):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.findings = findings
        self.in_script = False

    def bad(self, what):
        line, col = self.getpos()
        self.findings.append(f"{self.path}:{line}:{col}: {what}")

    def handle_starttag(self, tag, attrs):
        self.check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self.check(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def check(self, tag, attrs):
        if tag in FORBIDDEN_TAGS and not theme_element(tag, attrs):
            self.bad(f"<{tag}> element")
        if tag == "script":
            self.in_script = True
        names = [n for n, _ in attrs]
        if len(names) != len(set(names)):
            self.bad(f"<{tag}> gives an attribute twice: {names}")
        for name, value in attrs:
            if name.startswith("on"):
                self.bad(f"<{tag}> has event handler {name}")
            if not re.fullmatch(r"[a-z][a-z0-9:_-]*", name):
                self.bad(f"<{tag}> has a strange attribute name {name!r}")
            if name in URL_ATTRS and value is not None:
                v = "".join(ch for ch in value if ch > " ").strip()
                if THEME_WEBCAL.match(v) and tag == "a" and name == "href":
                    continue
                if v.startswith("//") or (HAS_SCHEME.match(v) and not SAFE_SCHEME.match(v)):
                    self.bad(f"<{tag} {name}={value!r}>: unsafe URL")
            if value is not None and "\0" in value:
                self.bad(f"<{tag} {name}> holds a NUL")

    def handle_data(self, data):
        if "\0" in data:
            self.bad("text holds a NUL")
        if self.in_script and data.strip():
            self.bad("a <script> element holds code")


def check_file(path, findings):
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        findings.append(f"{path}: not UTF-8 ({e})")
        return
    p = Checker(path, findings)
    p.feed(text)
    p.close()
    # html.parser keeps an unfinished tag in its buffer: a page must not end inside one
    if p.rawdata.strip():
        findings.append(f"{path}: ends inside a tag or comment: {p.rawdata[:60]!r}")


def main():
    root = sys.argv[1]
    findings = []
    count = 0
    for dirpath, _, files in os.walk(root):
        for name in sorted(files):
            if name.endswith(".html"):
                check_file(os.path.join(dirpath, name), findings)
                count += 1
    for f in findings:
        print(f)
    if count == 0:
        print(f"{root}: no HTML pages")
        return 1
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
