#!/usr/bin/env python3
"""Writes the examples of a handbook (doc/kasikirja.md, doc/handbook.md) into a
folder: every fenced block whose info string names a file (```yaml
file=content/site.yaml) is that file, whole. A fence of more backticks holds
shorter ones (a record whose body has an indicator block). Prints the files
written; exits 1 when the handbook has none, or names one twice or outside
the folder.

    handbook_examples.py HANDBOOK DIR
"""
import os
import re
import sys

OPEN = re.compile(r"^(`{3,})\s*(\S*)\s*(.*)$")


def blocks(text):
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = OPEN.match(lines[i])
        if not m:
            i += 1
            continue
        fence, attrs = m.group(1), m.group(3)
        body = []
        i += 1
        while i < len(lines) and lines[i].rstrip() != fence:
            body.append(lines[i])
            i += 1
        i += 1
        f = re.search(r'\bfile=("?)([^"\s]+)\1', attrs)
        if f:
            yield f.group(2), "\n".join(body) + "\n"


def main():
    handbook, out = sys.argv[1], sys.argv[2]
    seen = set()
    with open(handbook, encoding="utf-8") as f:
        text = f.read()
    for path, body in blocks(text):
        target = os.path.normpath(os.path.join(out, path))
        if path in seen or not target.startswith(os.path.normpath(out) + os.sep):
            sys.exit(f"{handbook}: the example '{path}' is there twice, or outside the folder")
        seen.add(path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as f:
            f.write(body)
        print(path)
    if not seen:
        sys.exit(f"{handbook}: no example names a file (expected ```markdown file=content/...)")


if __name__ == "__main__":
    main()
