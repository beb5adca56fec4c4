#!/usr/bin/env python3
"""Every message the generator can print has its Finnish and Swedish text (issue 26).

Finds, in generator/, the English text of every message and message part:
the format of diag_error(), diag_warning(), diag_add(), mv_err() and
validate.c's warn(), the expected-value phrase of mv_bad(), mv_bad_kind(),
mv_bad_choice() and mv_missing(), usage_error()'s format, and every literal
passed to tr(), tr_in() or N_(). Then checks generator/base/msgcat.c:

  catalog   every such text has an entry
  complete  every entry has a Finnish and a Swedish text
  formats   each translation takes the same arguments as the English
            (the '*'s, length and letter of each conversion, in order)
  unused    every entry is still a text of the code

--missing prints the entries to add, as msgcat.c writes them.
Prints "ok"/"not ok" per rule and the suite's closing line.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from source import GEN, sources, strip_comments  # noqa: E402

# function name -> index of the argument that is an English text
CALLS = {"diag_error": 3, "diag_warning": 3, "diag_add": 4, "mv_err": 2, "warn": 2,
         "mv_bad": 3, "mv_bad_kind": 3, "mv_bad_choice": 3, "mv_missing": 3,
         "usage_error": 0, "tr": 0, "tr_in": 1, "N_": 0}
# the calls whose text is a whole message (the others give parts of one)
WHOLE = {"diag_error", "diag_warning", "diag_add", "mv_err", "warn", "usage_error"}
STRING = r'"(?:[^"\\\n]|\\.)*"'
CATALOG = os.path.join("base", "msgcat.c")


def call_args(text, i):
    """The top-level arguments of the call whose '(' is at text[i]."""
    depth, j, start, out = 0, i, i + 1, []
    while j < len(text):
        c = text[j]
        if c == '"' or c == "'":
            k = j + 1
            while text[k] != c:
                k += 2 if text[k] == "\\" else 1
            j = k
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                out.append(text[start:j])
                return out
        elif c == "," and depth == 1:
            out.append(text[start:j])
            start = j + 1
        j += 1
    return out


def unescape(lit):
    return bytes(lit, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def literal(arg):
    """The text of an argument that is only string literals, else None."""
    a = arg.strip()
    if not a.startswith('"') or re.sub(STRING, "", a).strip():
        return None
    return "".join(unescape(m[1:-1]) for m in re.findall(STRING, a))


def texts_of_code(whole_only=False):
    """{english text: first 'file:line'} of every message and message part
    (whole_only: of every whole message)."""
    found = {}
    pattern = re.compile(r"\b(" + "|".join(CALLS) + r")\s*\(")
    for rel, text in sources():
        if not rel.endswith(".c") or rel == CATALOG:
            continue
        code = strip_comments(text)
        for m in pattern.finditer(code):
            line_start = code.rfind("\n", 0, m.start()) + 1
            if code[line_start] not in "\t " and "=" not in code[line_start:m.start()]:
                continue   # a definition or a declaration (calls are indented or initialise)
            if whole_only and m.group(1) not in WHOLE:
                continue
            args = call_args(code, m.end() - 1)
            idx = CALLS[m.group(1)]
            if idx < len(args):
                s = literal(args[idx])
                if s is not None:
                    line = code.count("\n", 0, m.start()) + 1
                    found.setdefault(s, f"{rel}:{line}")
    return found


def catalog():
    """[(english, finnish, swedish, line)] of msgcat.c's M(...) entries."""
    text = strip_comments(open(os.path.join(GEN, CATALOG), encoding="utf-8").read())
    out = []
    for m in re.finditer(r"\bM\s*\(", text):
        if text[text.rfind("\n", 0, m.start()) + 1] == "#":
            continue   # the macro's definition
        args = call_args(text, m.end() - 1)
        vals = [literal(a) for a in args]
        out.append((*vals, text.count("\n", 0, m.start()) + 1))
    return out


def conversions(fmt):
    """What a format takes from its arguments, as msg.c compares it."""
    out = []
    for m in re.finditer(r"%(%|[^diouxXeEfFgGaAcspn%]*[diouxXeEfFgGaAcspn])", fmt):
        spec = m.group(1)
        if spec == "%":
            continue
        out.append("".join(c for c in spec[:-1] if c in "*hlLqjzt$") + spec[-1])
    return out


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main():
    code = texts_of_code()
    cat = catalog()
    by_en = {e[0]: e for e in cat}
    results = []
    missing = [t for t in sorted(code) if t not in by_en]
    results.append(("catalog", [f"{code[t]}: no entry for {t!r}" for t in missing]))
    results.append(("complete", [f"msgcat.c:{e[3]}: {lang} text missing for {e[0]!r}"
                                 for e in cat for lang, t in (("fi", e[1]), ("sv", e[2]))
                                 if not t]))
    results.append(("formats", [f"msgcat.c:{e[3]}: {lang} takes {conversions(t)}, the English "
                                f"{conversions(e[0])}: {e[0]!r}"
                                for e in cat for lang, t in (("fi", e[1]), ("sv", e[2]))
                                if t and conversions(t) != conversions(e[0])]))
    dups = sorted({e[0] for e in cat if sum(1 for f in cat if f[0] == e[0]) > 1})
    results.append(("unused", [f"msgcat.c:{e[3]}: {e[0]!r} is no text of the code"
                               for e in cat if e[0] not in code] +
                    [f"msgcat.c: {t!r} has two entries" for t in dups]))
    if "--missing" in sys.argv:
        for t in missing:
            print(f"\tM({c_string(t)},\n\t  \"\",\n\t  \"\"),\t/* {code[t]} */")
        return 0
    failed = 0
    for name, problems in results:
        print(("ok" if not problems else "not ok") + f" - messages: {name} ({len(cat)} entries)")
        for p in problems[:40]:
            print("#   " + p)
        failed += bool(problems)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
