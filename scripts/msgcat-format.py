#!/usr/bin/env python3
"""Writes generator/base/msgcat.c's catalog again in its one layout: the
entries grouped by the file of the code that first says each text, in the
order the code says them, each text cut into literals of at most 100
columns (after a space or a line feed), with entries the code says that the
catalog lacks added with empty translations (which the lint then names).

    scripts/msgcat-format.py
"""
import os
import re
import sys

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.path.join(TOP, "tests", "lint"))
import messages  # noqa: E402

PATH = os.path.join(TOP, "generator", "base", "msgcat.c")
ORDER = ["main.c", "serve.c", "build.c", "starter.c", "base/", "source/", "model/", "hooks/",
         "render/", "output/", "site/", "serve/"]


def literals(s, indent, width=100):
    """s as C literals on lines of at most width columns (tabs as 8)."""
    pieces = [p for p in re.split(r"(?<=\n)|(?<= )", s) if p]
    lines, cur = [], ""
    room = width - 8 - len(indent.expandtabs(8)) - 2
    for p in pieces:
        if cur and (len(messages.c_string(cur + p)) > room or cur.endswith("\n")):
            lines.append(cur)
            cur = p
        else:
            cur += p
    if cur or not lines:
        lines.append(cur)
    return ("\n\t    ").join(messages.c_string(x) for x in lines)


def rank(f):
    for i, o in enumerate(ORDER):
        if f == o or (o.endswith("/") and f.startswith(o)):
            return (i, f)
    return (len(ORDER), f)


def main():
    code = messages.texts_of_code()
    have = {e[0]: (e[1] or "", e[2] or "") for e in messages.catalog()}
    groups = {}
    for text, where in code.items():
        f, line = where.rsplit(":", 1)
        groups.setdefault(f, []).append((int(line), text))
    body = []
    for f in sorted(groups, key=rank):
        body.append(f"\t/* {f} */")
        for _, text in sorted(groups[f]):
            fi, sv = have.get(text, ("", ""))
            body.append("\tM(" + literals(text, "\tM(") + ",")
            body.append("\t  " + literals(fi, "\t  ") + ",")
            body.append("\t  " + literals(sv, "\t  ") + "),")
    src = open(PATH, encoding="utf-8").read()
    a = src.index("const msg_entry msg_catalog[] = {\n") + len("const msg_entry msg_catalog[] = {\n")
    b = src.index("};\nconst size_t msg_catalog_count")
    open(PATH, "w", encoding="utf-8").write(src[:a] + "\n".join(body) + "\n" + src[b:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
