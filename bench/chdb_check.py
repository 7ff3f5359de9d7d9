#!/usr/bin/env python3
"""Replays the SQL a ClickHouse store sent (KAIYUAN_CLICKHOUSE_LOG=FILE) on current ClickHouse,
in-process through chDB, and reports every statement that does not parse or run there.

    KAIYUAN_CLICKHOUSE_LOG=/tmp/ch.sql kaiyuan ingest gharchive --store 'clickhouse://…' FILES…
    pip install chdb && python3 bench/chdb_check.py /tmp/ch.sql

chDB is one server with no cluster, so a `Distributed` table becomes a view over its local
table; everything else is replayed as sent. Exit status 1 when any statement failed.
"""
import json
import re
import sys
import tempfile

try:
    from chdb import session
except ImportError:
    print("chdb is not installed: pip install chdb", file=sys.stderr)
    sys.exit(3)

DISTRIBUTED = re.compile(r"CREATE TABLE IF NOT EXISTS (\S+) AS (\S+) ENGINE = Distributed\(.*\)\s*$", re.S)
NUMBERS = re.compile(r"\b\d+\b")


def main(path):
    s = session.Session(tempfile.mkdtemp(prefix="chdb-check-"))
    seen, failures, statements = set(), [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            sql = entry["sql"]
            m = DISTRIBUTED.match(sql)
            if m:
                sql = f"CREATE VIEW IF NOT EXISTS {m.group(1)} AS SELECT * FROM {m.group(2)}"
            data = entry.get("data")
            text = sql + ("\n" + data if data else "")
            statements += 1
            shape = NUMBERS.sub("N", sql)
            try:
                s.query(text, "TSV")
            except Exception as e:  # chdb raises its own error type
                if shape not in seen:
                    failures.append((sql[:300], str(e).splitlines()[0][:400]))
            seen.add(shape)
    print(f"{statements} statements, {len(seen)} distinct shapes, {len(failures)} failed on chDB")
    for sql, err in failures:
        print(f"FAILED: {sql}\n  {err}")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
