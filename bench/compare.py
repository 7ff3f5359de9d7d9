#!/usr/bin/env python3
"""Side-by-side ingest timing on the same GH Archive hour files (issue 6's harness).

    pip install duckdb chdb
    swift build -c release
    .build/release/kaiyuan-bench generate --hours 2 --events 100000 --seed 1 --dir /tmp/bench --from 2025-01-01
    python3 bench/compare.py /tmp/bench/*.json.gz [--runs 3] [--threads 1 2]

For each engine and thread count it runs the whole set `--runs` times in a fresh process and
reports the median wall time, events/s, MB/s of JSON and peak RSS, and the ratio to kaiyuan:
  gzip      `gzip -dc FILE > /dev/null` per file (the decompression floor, one thread)
  duckdb    read_ndjson of the files, grouped by repo, actor, type and action
  chdb      ClickHouse in-process: the same grouping over file(…, 'JSONAsString')
  kaiyuan   `kaiyuan ingest gharchive` into a fresh store
"""
import argparse, gzip, os, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KAIYUAN = os.path.join(ROOT, '.build', 'release', 'kaiyuan')

DUCKDB = """
import duckdb, sys
con = duckdb.connect()
con.execute("SET threads TO {threads}")
files = {files!r}
con.execute(\"\"\"SELECT repo.id, actor.id, type, payload->>'action' AS action, count(*)
  FROM read_ndjson(?, columns={{'id': 'VARCHAR', 'type': 'VARCHAR', 'actor': 'STRUCT(id BIGINT, login VARCHAR)',
       'repo': 'STRUCT(id BIGINT, name VARCHAR)', 'payload': 'JSON', 'created_at': 'VARCHAR'}}, maximum_object_size=268435456)
  GROUP BY ALL\"\"\", [files]).fetchall()
"""

CHDB = """
import chdb
files = {files!r}
for f in files:
    chdb.query(\"\"\"SELECT JSONExtractInt(json, 'repo', 'id') AS repo, JSONExtractInt(json, 'actor', 'id') AS actor,
      JSONExtractString(json, 'type') AS type, JSONExtractString(json, 'payload', 'action') AS action, count()
      FROM file('%s', 'JSONAsString') GROUP BY repo, actor, type, action
      SETTINGS max_threads = {threads}\"\"\" % f, 'Null')
"""


def measure(cmd):
    """Wall seconds and peak RSS (MB) of one run of a command."""
    start = time.perf_counter()
    proc = subprocess.run(['/usr/bin/time', '-f', '%M'] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 2):  # kaiyuan exits 2 when it skipped lines
        sys.exit(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall, int(proc.stderr.strip().splitlines()[-1]) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('files', nargs='+')
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--threads', type=int, nargs='+', default=[1, 2])
    ap.add_argument('--engines', nargs='+', default=['gzip', 'duckdb', 'chdb', 'kaiyuan'])
    a = ap.parse_args()
    files = [os.path.abspath(f) for f in a.files]
    events = json_bytes = 0
    for f in files:
        with gzip.open(f, 'rb') as fh:
            for line in fh:
                events += 1
                json_bytes += len(line)
    print(f"{len(files)} files, {events} events, {json_bytes / 1e6:.0f} MB of JSON; median of {a.runs} runs")

    results = {}
    for threads in a.threads:
        for engine in a.engines:
            if engine == 'gzip' and threads != a.threads[0]:
                continue
            walls, rss = [], 0
            for _ in range(a.runs):
                if engine == 'gzip':
                    cmd = ['sh', '-c', ' && '.join(f'gzip -dc {f} > /dev/null' for f in files)]
                elif engine == 'duckdb':
                    cmd = [sys.executable, '-c', DUCKDB.format(threads=threads, files=files)]
                elif engine == 'chdb':
                    cmd = [sys.executable, '-c', CHDB.format(threads=threads, files=files)]
                else:  # a fresh store every run (kaiyuan has no thread setting yet)
                    cmd = [KAIYUAN, 'ingest', 'gharchive', '--db', tempfile.mktemp(suffix='.db')] + files
                wall, peak = measure(cmd)
                walls.append(wall)
                rss = max(rss, peak)
            results[(engine, threads)] = (statistics.median(walls), rss)

    print(f"{'engine':10} {'threads':>7} {'seconds':>8} {'events/s':>10} {'MB/s':>7} {'peak MB':>8} {'× kaiyuan':>9}")
    for (engine, threads), (wall, rss) in results.items():
        base = results.get(('kaiyuan', threads), results.get(('kaiyuan', a.threads[0])))[0]
        print(f"{engine:10} {threads:>7} {wall:>8.2f} {events / wall:>10.0f} {json_bytes / 1e6 / wall:>7.0f} {rss:>8.0f} {wall / base:>9.2f}")


if __name__ == '__main__':
    main()
