#!/usr/bin/env python3
"""Writes the list of every error and warning, with what to do about it, into
the publisher's handbooks: doc/kasikirja.md in Finnish, doc/handbok.md in
Swedish and doc/handbook.md in English, between the lines

    <!-- error-list: ... -->  and  <!-- /error-list -->

from doc/error-guide.txt (the groups and what to do) and
generator/base/msgcat.c (each message's text in the handbook's language).

    scripts/error-lists.py           rewrite the lists
    scripts/error-lists.py --check   exit 1, saying why, when a message of the
                                     code is in no group, a group names a text
                                     the code does not have, or a handbook's
                                     list is not what this script writes
"""
import os
import re
import sys
import textwrap

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.path.join(TOP, "tests", "lint"))
import messages  # noqa: E402  (the catalog and the code's texts, as the lint reads them)

GUIDE = os.path.join(TOP, "doc", "error-guide.txt")
HANDBOOKS = [("fi", "kasikirja.md"), ("sv", "handbok.md"), ("en", "handbook.md")]
BEGIN = "<!-- error-list: written by scripts/error-lists.py from doc/error-guide.txt -->"
END = "<!-- /error-list -->"
LANGS = ("fi", "sv", "en")


def read_guide():
    """[(id, {lang: (title, advice)}, [english texts])]"""
    groups = []
    for n, line in enumerate(open(GUIDE, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^\[([a-z-]+)\]$", line)
        if m:
            groups.append((m.group(1), {}, []))
        elif not groups:
            sys.exit(f"{GUIDE}:{n}: expected a [group] first")
        elif line[:4] in ("fi: ", "sv: ", "en: "):
            title, _, advice = line[4:].partition(" | ")
            groups[-1][1][line[:2]] = (title.strip(), advice.strip())
        elif line.startswith("- "):
            groups[-1][2].append(line[2:])
        else:
            sys.exit(f"{GUIDE}:{n}: expected 'fi: ', 'sv: ', 'en: ' or '- ' (got {line[:30]!r})")
    return groups


def shown(fmt):
    """A message as the reader meets it: each conversion an ellipsis."""
    text = re.sub(r"%(?!%)[^diouxXeEfFgGaAcspn]*[diouxXeEfFgGaAcspn]", "…", fmt)
    text = re.sub("…+", "…", text)
    return text.replace("%%", "%").replace("\n", " ").strip()


def render(lang, groups, texts):
    out = [BEGIN, ""]
    for _, words, items in groups:
        title, advice = words[lang]
        out += [f"### {title}", "", textwrap.fill(advice, 100, break_long_words=False,
                                                  break_on_hyphens=False), ""]
        for en in (e for e in items if e in texts):
            t = shown(texts[en][lang])
            out.append(f"- `{t}`" if "`" not in t else f"- ``{t}``")
        out.append("")
    out.append(END)
    return "\n".join(out)


def problems(groups, texts):
    found = []
    whole = messages.texts_of_code(whole_only=True)
    listed = {}
    for gid, words, items in groups:
        for lang in LANGS:
            if lang not in words or not all(words[lang]):
                found.append(f"[{gid}] has no title or advice in {lang}")
        for en in items:
            if en in listed:
                found.append(f"[{gid}] lists {en!r}, which [{listed[en]}] lists too")
            listed[en] = gid
            if en not in texts:
                found.append(f"[{gid}] lists {en!r}, which is no text of the catalog")
    for en, where in sorted(whole.items()):
        if en not in listed and en != "%s":
            found.append(f"{where}: {en!r} is in no group of doc/error-guide.txt")
    return found


def main():
    groups = read_guide()
    texts = {e[0]: {"en": e[0], "fi": e[1], "sv": e[2]} for e in messages.catalog()}
    bad = problems(groups, texts)
    check = "--check" in sys.argv
    for lang, name in HANDBOOKS:
        path = os.path.join(TOP, "doc", name)
        if not os.path.exists(path):
            bad.append(f"doc/{name} does not exist")
            continue
        text = open(path, encoding="utf-8").read()
        if BEGIN not in text or END not in text:
            bad.append(f"doc/{name} has no '{BEGIN}' ... '{END}'")
            continue
        a, b = text.index(BEGIN), text.index(END) + len(END)
        want = text[:a] + render(lang, groups, texts) + text[b:]
        if want != text:
            if check:
                bad.append(f"doc/{name}: its error list is not up to date "
                           "(run scripts/error-lists.py)")
            else:
                open(path, "w", encoding="utf-8").write(want)
    for p in bad:
        print(p, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
