#!/usr/bin/env python3
"""Checks a built site's open data and calendars with parsers the project did not write.

  opendata_check.py SITE_DIR

- every .ics is read by the icalendar package (Debian's python3-icalendar); each
  calendar has VERSION and PRODID, each event a UID (unique in its calendar), a
  DTSTAMP in UTC and a DTSTART; every line is at most 75 octets and ends in CRLF;
- every .json is read by Python's json module (the parser of `python3 -m json.tool`);
- every datapackage.json's CSV resources are read by Python's csv module and held
  to their Table Schemas: the header is the schema's fields, every value has its
  field's type (string, date, datetime, integer, list, uri), required fields are
  given, primary keys are unique, foreign keys resolve; no cell starts with a
  character a spreadsheet would read as a formula;
- every Atom feed (atom.xml) is read by xml.etree.

Prints what it read; exits 1 naming each problem.
"""
import csv
import datetime
import io
import json
import os
import sys
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

import icalendar

problems = []
counts = {'ics': 0, 'events': 0, 'json': 0, 'csv': 0, 'rows': 0, 'packages': 0, 'feeds': 0}


def bad(path, msg):
    problems.append(f'{path}: {msg}')


def check_ics(path):
    raw = open(path, 'rb').read()
    for n, line in enumerate(raw.split(b'\r\n')[:-1], 1):
        if len(line) > 75:
            bad(path, f'line {n} is {len(line)} octets')
        if b'\n' in line or b'\r' in line:
            bad(path, f'line {n} has a bare line break')
    if not raw.endswith(b'\r\n'):
        bad(path, 'does not end in CRLF')
    cal = icalendar.Calendar.from_ical(raw)
    for key in ('VERSION', 'PRODID'):
        if key not in cal:
            bad(path, f'no {key}')
    uids = set()
    for ev in cal.walk('VEVENT'):
        counts['events'] += 1
        uid = str(ev.get('UID', ''))
        if not uid:
            bad(path, 'an event without UID')
        if uid in uids:
            bad(path, f'UID {uid} twice')
        uids.add(uid)
        stamp = ev.get('DTSTAMP')
        if stamp is None or not isinstance(stamp.dt, datetime.datetime) or stamp.dt.utcoffset() != datetime.timedelta(0):
            bad(path, f'{uid}: DTSTAMP missing or not in UTC')
        if ev.get('DTSTART') is None:
            bad(path, f'{uid}: no DTSTART')
        for key in ('SUMMARY',):
            if key not in ev:
                bad(path, f'{uid}: no {key}')
    counts['ics'] += 1


def is_type(t, v, field):
    if t == 'string':
        if field.get('format') == 'uri':
            u = urlparse(v)
            return u.scheme in ('http', 'https') and bool(u.netloc) or v.startswith('/')
        return True
    if t == 'date':
        datetime.date.fromisoformat(v)
        return True
    if t == 'datetime':
        datetime.datetime.fromisoformat(v.replace('Z', '+00:00'))
        return True
    if t == 'integer':
        return str(int(v)) == v
    if t == 'list':
        return all(x != '' for x in v.split(field.get('delimiter', ',')))
    return False


def read_table(pkg_dir, res):
    path = os.path.join(pkg_dir, res['path'])
    with open(path, newline='', encoding='utf-8') as f:
        data = f.read()
    if not data.endswith('\r\n'):
        bad(path, 'rows do not end in CRLF')
    rows = list(csv.reader(io.StringIO(data, newline='')))
    counts['csv'] += 1
    return path, rows


def check_package(pkg_path):
    counts['packages'] += 1
    pkg = json.load(open(pkg_path, encoding='utf-8'))
    pkg_dir = os.path.dirname(pkg_path)
    tables = {}
    for res in pkg['resources']:
        if res.get('format') != 'csv':
            p = os.path.join(pkg_dir, res['path'])
            if not os.path.isfile(p):
                bad(pkg_path, f'resource {res["path"]} is missing')
            elif res.get('bytes') is not None and os.path.getsize(p) != res['bytes']:
                bad(pkg_path, f'{res["path"]} is {os.path.getsize(p)} bytes, not {res["bytes"]}')
            continue
        path, rows = read_table(pkg_dir, res)
        if res.get('bytes') is not None and os.path.getsize(path) != res['bytes']:
            bad(path, f'is {os.path.getsize(path)} bytes, the package says {res["bytes"]}')
        fields = res['schema']['fields']
        names = [f['name'] for f in fields]
        if not rows or rows[0] != names:
            bad(path, f'header {rows[:1]} is not the schema\'s {names}')
            continue
        for f in fields:
            for k in ('description', 'description_fi'):
                if not f.get(k):
                    bad(path, f'field {f["name"]} has no {k}')
        recs = []
        for n, row in enumerate(rows[1:], 2):
            counts['rows'] += 1
            if len(row) != len(names):
                bad(path, f'row {n} has {len(row)} cells, not {len(names)}')
                continue
            rec = dict(zip(names, row))
            for f in fields:
                v = rec[f['name']]
                if v and v[0] in '=+-@\t\r':
                    bad(path, f'row {n} {f["name"]}: a formula could start: {v[:20]!r}')
                if f.get('constraints', {}).get('required') and not v:
                    bad(path, f'row {n}: required {f["name"]} is empty')
                if not v:
                    continue
                try:
                    ok = is_type(f['type'], v, f)
                except ValueError:
                    ok = False
                if not ok:
                    bad(path, f'row {n}: {f["name"]} {v[:40]!r} is not a {f["type"]}')
            recs.append(rec)
        pk = res['schema'].get('primaryKey', [])
        seen = set()
        for rec in recs:
            key = tuple(rec[k] for k in pk)
            if key in seen:
                bad(path, f'primary key {key} twice')
            seen.add(key)
        tables[res['name']] = (path, res, recs)
    for name, (path, res, recs) in tables.items():
        for fk in res['schema'].get('foreignKeys', []):
            target = fk['reference']['resource']
            if target not in tables:
                bad(path, f'foreign key to a missing resource {target}')
                continue
            ids = {r[fk['reference']['fields']] for r in tables[target][2]}
            for rec in recs:
                v = rec[fk['fields']]
                if v and v not in ids:
                    bad(path, f'{fk["fields"]} {v!r} is not in {target}')


def main():
    root = sys.argv[1]
    for dirpath, _, files in os.walk(root):
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            try:
                if name.endswith('.ics'):
                    check_ics(path)
                elif name.endswith('.json'):
                    json.load(open(path, encoding='utf-8'))
                    counts['json'] += 1
                    if name == 'datapackage.json':
                        check_package(path)
                elif name == 'atom.xml':
                    ET.parse(path)
                    counts['feeds'] += 1
            except Exception as e:  # a parser's refusal is the finding
                bad(path, f'{type(e).__name__}: {e}')
    print(' '.join(f'{k}={v}' for k, v in counts.items()))
    for p in problems[:50]:
        print(p)
    if problems:
        print(f'{len(problems)} problems')
        sys.exit(1)


main()
