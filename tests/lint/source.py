#!/usr/bin/env python3
"""Rules the generator's source keeps (issue 19), checked on every run of the suite.

  paths     no .c file but the URL module (model/urls.c) writes a site path
  cycles    no include cycle between modules
  layers    a module includes only its own stage's and earlier stages' headers
            (the order of STAGES in the Makefile)
  sizes     no file over 1,500 lines, no function over 150 lines

Prints "ok"/"not ok" per rule and the suite's closing line.
"""
import os
import re
import sys

TOP = os.environ.get("AVOIN_TOP") or os.path.join(os.path.dirname(__file__), "..", "..")
GEN = os.path.join(TOP, "generator")
SITE_PATHS = re.compile(r'"[^"\n]*\b(historia|muutokset|teemat|asiakirjat|saavutettavuus|'
                        r'atom\.xml|sitemap\.xml|robots\.txt|404\.html|index\.html)\b[^"\n]*"')
URL_MODULE = os.path.join("model", "urls.c")
# the messages' Finnish and Swedish texts, whose words ("historia") are words, not paths
MESSAGES = os.path.join("base", "msgcat.c")
MAX_FILE, MAX_FUNCTION = 1500, 150


def sources():
    for folder, _, files in sorted(os.walk(GEN)):
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                path = os.path.join(folder, f)
                yield os.path.relpath(path, GEN), open(path, encoding="utf-8").read()


def strip_comments(text):
    """The code without its comments (strings kept), line breaks kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text[i] == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text[i] == "'":
            j = i + 1
            while j < n and text[j] != "'":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def stages():
    make = open(os.path.join(TOP, "Makefile"), encoding="utf-8").read()
    m = re.search(r"^STAGES = (.*)$", make, re.M)
    return m.group(1).split() if m else []


def check_paths(files):
    bad = []
    for rel, text in files:
        if rel in (URL_MODULE, MESSAGES) or not rel.endswith(".c"):
            continue
        for no, line in enumerate(strip_comments(text).split("\n"), 1):
            if SITE_PATHS.search(line):
                bad.append(f"{rel}:{no}: a site path outside the URL module: {line.strip()}")
    return bad


def module_of(name):
    """A header's module: x_impl.h is the inside of module x."""
    return name[:-len("_impl")] if name.endswith("_impl") else name


def module_graph(files):
    """module -> (stage, set of modules it includes). A module is a header and its .c
    files: x.c, or a .c file without a header of its own whose first include is x.h or
    x_impl.h (hooks/sandbox.c is part of hooks)."""
    headers = {os.path.splitext(os.path.basename(r))[0] for r, _ in files if r.endswith(".h")}
    graph = {}
    for rel, text in files:
        stage = os.path.dirname(rel) or "driver"
        incs = re.findall(r'^#include "([a-z_]+)\.h"', text, re.M)
        mod = module_of(os.path.splitext(os.path.basename(rel))[0])
        if rel.endswith(".c") and mod not in headers and incs:
            mod = module_of(incs[0])
        deps = {module_of(i) for i in incs} - {mod, "banned"}
        st, d = graph.get(mod, (stage, set()))
        graph[mod] = (stage, d | deps)
    return graph


def check_cycles(graph):
    bad, state = [], {}

    def visit(m, path):
        state[m] = 1
        for d in sorted(graph.get(m, ("", set()))[1]):
            if state.get(d) == 1:
                bad.append("include cycle: " + " -> ".join(path[path.index(d):] + [d]))
            elif d not in state:
                visit(d, path + [d])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    return bad


def check_layers(graph):
    order = {s: i for i, s in enumerate(stages())}
    order["driver"] = len(order)
    bad = []
    for m, (stage, deps) in sorted(graph.items()):
        for d in sorted(deps):
            if d not in graph:
                bad.append(f"{m} ({stage}) includes {d}.h, which is no module of generator/")
                continue
            ds = graph[d][0]
            if order.get(ds, -1) > order.get(stage, -1):
                bad.append(f"{m} ({stage}/) includes {d}.h from a later stage ({ds}/)")
    return bad


def check_sizes(files):
    bad = []
    for rel, text in files:
        lines = text.split("\n")
        if len(lines) - 1 > MAX_FILE:
            bad.append(f"{rel}: {len(lines) - 1} lines (at most {MAX_FILE})")
        start = None
        for no, line in enumerate(lines):
            if start is None and re.match(r"^[a-z].*\)$", line) and no + 1 < len(lines) \
                    and lines[no + 1] == "{":
                start = no
            elif start is not None and line == "}":
                if no - start + 1 > MAX_FUNCTION:
                    name = re.search(r"(\w+)\(", lines[start])
                    bad.append(f"{rel}:{start + 1}: {name.group(1) if name else '?'} has "
                               f"{no - start + 1} lines (at most {MAX_FUNCTION})")
                start = None
    return bad


def main():
    files = list(sources())
    graph = module_graph(files)
    rules = [("no site path outside the URL module", check_paths(files)),
             ("no include cycle between modules", check_cycles(graph)),
             ("stages include only earlier stages", check_layers(graph)),
             ("files and functions fit their limits", check_sizes(files))]
    only = sys.argv[1:]
    passed = failed = 0
    for i, (name, bad) in enumerate(rules, 1):
        if only and str(i) not in only:
            continue
        if bad:
            failed += 1
            print(f"not ok {i} - {name}")
            for b in bad[:40]:
                print(f"#   {b}")
        else:
            passed += 1
            print(f"ok {i} - {name}")
    print(f"{passed} passed, {failed} failed, 0 skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
