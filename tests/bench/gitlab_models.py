#!/usr/bin/env python3
"""gitlab_models.py - GitLab's structure.sql cut down to what autogen manages.

    gitlab_models.py SCHEMA_SQL OUT_SQL

autogen does not manage functions, triggers, views or partitioning yet, and a
model file that declares them is an error.  For the benchmark we keep tables,
columns, constraints, indexes, sequences, schemas, extensions and comments,
and drop, statement by statement:

  * CREATE FUNCTION/PROCEDURE/TRIGGER/VIEW, COMMENT ON FUNCTION/VIEW/TRIGGER,
    ALTER TABLE ... ENABLE/DISABLE TRIGGER;
  * partitioned tables (CREATE TABLE ... PARTITION BY), their partitions
    (found through ALTER TABLE ... ATTACH PARTITION), ALTER INDEX ... ATTACH
    PARTITION;
  * everything on a dropped table (indexes, ALTER TABLE, comments, OWNED BY)
    and foreign keys that reference one; sequences owned by a dropped table;
    indexes and constraints that call a dropped function; comments on
    dropped indexes.

The same database is loaded from OUT_SQL, so `autogen check` with OUT_SQL as
the models should report no drift.  A summary of what was dropped goes to
stderr.
"""
import re
import sys


def split_statements(text):
    """Split SQL text the way psql does at top-level semicolons: quotes,
    E'' strings, quoted identifiers, dollar quotes and comments respected.
    Returns the statements without their semicolons."""
    out, i, start, n = [], 0, 0, len(text)
    dollar = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")
    while i < n:
        c = text[i]
        if c == "-" and text.startswith("--", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif c == "/" and text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == "'":
            esc = i > 0 and text[i - 1] in "eE" and (i < 2 or not (text[i - 2].isalnum() or text[i - 2] == "_"))
            i += 1
            while i < n:
                if esc and text[i] == "\\":
                    i += 2
                elif text[i] == "'":
                    if i + 1 < n and text[i + 1] == "'":
                        i += 2
                    else:
                        i += 1
                        break
                else:
                    i += 1
        elif c == '"':
            j = text.find('"', i + 1)
            while j >= 0 and j + 1 < n and text[j + 1] == '"':
                j = text.find('"', j + 2)
            i = n if j < 0 else j + 1
        elif c == "$" and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = dollar.match(text, i)
            if m:
                j = text.find(m.group(0), m.end())
                i = n if j < 0 else j + len(m.group(0))
            else:
                i += 1
        elif c == ";":
            s = text[start:i].strip()
            if s:
                out.append(s)
            i += 1
            start = i
        else:
            i += 1
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def qname(name):
    """Schema-qualified, unquoted form of a relation name as written."""
    name = name.replace('"', "")
    return name if "." in name else "public." + name


NAME = r'((?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))?)'
R_UNMANAGED = re.compile(
    r"^(CREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE|AGGREGATE|(CONSTRAINT\s+)?TRIGGER|"
    r"(MATERIALIZED\s+)?VIEW)\b|COMMENT\s+ON\s+(FUNCTION|PROCEDURE|TRIGGER|"
    r"(MATERIALIZED\s+)?VIEW)\b|ALTER\s+INDEX\s+.*\bATTACH\s+PARTITION\b)",
    re.I | re.S)
R_CREATE_FUNC = re.compile(r"^CREATE\s+(?:OR\s+REPLACE\s+)?(?:FUNCTION|PROCEDURE)\s+" + NAME, re.I)
R_CREATE_TABLE = re.compile(r"^CREATE\s+(?:UNLOGGED\s+)?TABLE\s+" + NAME, re.I)
R_PARTITIONED = re.compile(r"\)\s*PARTITION\s+BY\s", re.I)
R_ATTACH = re.compile(r"^ALTER\s+TABLE\s+(?:ONLY\s+)?" + NAME + r"\s+ATTACH\s+PARTITION\s+" + NAME, re.I)
R_TRIGGER_TOGGLE = re.compile(r"^ALTER\s+TABLE\s.*\b(ENABLE|DISABLE)\s+(ALWAYS\s+|REPLICA\s+)?TRIGGER\b", re.I | re.S)
R_INDEX = re.compile(r"^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?" + NAME
                     + r"\s+ON\s+(?:ONLY\s+)?" + NAME, re.I)
R_ALTER_TABLE = re.compile(r"^ALTER\s+TABLE\s+(?:ONLY\s+)?(?:IF\s+EXISTS\s+)?" + NAME, re.I)
R_REFERENCES = re.compile(r"\bREFERENCES\s+(?:ONLY\s+)?" + NAME, re.I)
R_OWNED_BY = re.compile(r"^ALTER\s+SEQUENCE\s+" + NAME + r"\s+OWNED\s+BY\s+" + NAME + r"\.", re.I)
R_CREATE_SEQ = re.compile(r"^CREATE\s+SEQUENCE\s+" + NAME, re.I)
R_COMMENT_REL = re.compile(r"^COMMENT\s+ON\s+(TABLE|INDEX|SEQUENCE)\s+" + NAME, re.I)
R_COMMENT_COL = re.compile(r"^COMMENT\s+ON\s+COLUMN\s+" + NAME + r"\.(?:\"[^\"]+\"|[\w$]+)\s+IS\b", re.I)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src) as fh:
        stmts = split_statements(fh.read())
    dropped = {}
    keep = []

    def drop(why):
        dropped[why] = dropped.get(why, 0) + 1

    # pass 1: what is partitioned, what is a partition
    gone_tables = set()
    for s in stmts:
        m = R_CREATE_TABLE.match(s)
        if m and R_PARTITIONED.search(s):
            gone_tables.add(qname(m.group(1)))
        m = R_ATTACH.match(s)
        if m:
            gone_tables.add(qname(m.group(2)))
    # user functions are dropped, so is whatever calls one (e.g. an index on
    # timestamp_coalesce(...))
    funcs = set()
    for s in stmts:
        m = R_CREATE_FUNC.match(s)
        if m:
            funcs.add(m.group(1).replace('"', "").rsplit(".", 1)[-1])
    calls = re.compile(r"\b(" + "|".join(map(re.escape, sorted(funcs))) + r")\s*\(") if funcs else None
    gone_seqs, gone_indexes = set(), set()
    for s in stmts:
        m = R_OWNED_BY.match(s)
        if m and qname(m.group(2)) in gone_tables:
            gone_seqs.add(qname(m.group(1)))
        m = R_INDEX.match(s)
        if m and (qname(m.group(2)) in gone_tables or calls and calls.search(s)):
            gone_indexes.add(qname(m.group(1)))

    # pass 2: keep what autogen manages and does not touch a dropped object
    for s in stmts:
        m = R_UNMANAGED.match(s)
        if m:
            words = m.group(0).upper().split()
            drop("ALTER INDEX ... ATTACH PARTITION" if words[0] == "ALTER"
                 else " ".join(w for w in words if w not in ("OR", "REPLACE")))
            continue
        if R_TRIGGER_TOGGLE.match(s):
            drop("ALTER TABLE ... ENABLE TRIGGER")
            continue
        if R_ATTACH.match(s):
            drop("ALTER TABLE ... ATTACH PARTITION")
            continue
        if calls and not R_CREATE_TABLE.match(s) and calls.search(s):
            drop("statement calling a dropped function")
            continue
        m = R_CREATE_TABLE.match(s)
        if m and qname(m.group(1)) in gone_tables:
            drop("CREATE TABLE (partitioned or partition)")
            continue
        m = R_INDEX.match(s)
        if m and qname(m.group(2)) in gone_tables:
            drop("CREATE INDEX on a dropped table")
            continue
        m = R_ALTER_TABLE.match(s)
        if m:
            if qname(m.group(1)) in gone_tables:
                drop("ALTER TABLE on a dropped table")
                continue
            r = R_REFERENCES.search(s)
            if r and qname(r.group(1)) in gone_tables:
                drop("FOREIGN KEY to a dropped table")
                continue
        m = R_OWNED_BY.match(s)
        if m and qname(m.group(1)) in gone_seqs:
            drop("ALTER SEQUENCE OWNED BY a dropped table")
            continue
        m = R_CREATE_SEQ.match(s)
        if m and qname(m.group(1)) in gone_seqs:
            drop("CREATE SEQUENCE owned by a dropped table")
            continue
        m = R_COMMENT_COL.match(s)
        if m and qname(m.group(1)) in gone_tables:
            drop("COMMENT ON COLUMN of a dropped table")
            continue
        m = R_COMMENT_REL.match(s)
        if m:
            kind, name = m.group(1).upper(), qname(m.group(2))
            gone = {"TABLE": gone_tables, "INDEX": gone_indexes, "SEQUENCE": gone_seqs}[kind]
            if name in gone:
                drop(f"COMMENT ON {kind} of a dropped object")
                continue
        keep.append(s)

    with open(dst, "w") as fh:
        fh.write("-- GitLab structure.sql without what autogen does not manage yet\n"
                 "-- (generated by tests/bench/gitlab_models.py)\n\n")
        for s in keep:
            fh.write(s + ";\n\n")
    print(f"gitlab_models: {len(stmts)} statements, kept {len(keep)}, dropped "
          f"{len(stmts) - len(keep)} ({len(gone_tables)} partitioned tables and partitions):",
          file=sys.stderr)
    for why, count in sorted(dropped.items()):
        print(f"  {count:6d}  {why}", file=sys.stderr)


if __name__ == "__main__":
    main()
