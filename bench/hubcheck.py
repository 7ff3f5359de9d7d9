#!/usr/bin/env python3
"""Checks kaiyuan's Hugging Face numbers against chDB (current ClickHouse) reading the raw
listing itself: the models ranked by downloads and likes, and per-organisation sums.

    pip install chdb
    kaiyuan ingest huggingface --db /tmp/hub.db --models-file ../shared/data/huggingface/models-2022.jsonl.gz
    python3 bench/hubcheck.py /tmp/hub.db ../shared/data/huggingface/models-2022.jsonl.gz [--kaiyuan .build/release/kaiyuan]

Exit status 0 when every compared row is equal."""
import argparse, csv, io, subprocess, sys
import chdb

p = argparse.ArgumentParser()
p.add_argument("store"); p.add_argument("listing")
p.add_argument("--kaiyuan", default=".build/release/kaiyuan")
p.add_argument("--top", type=int, default=200)
a = p.parse_args()

def kaiyuan(*args):
    out = subprocess.run([a.kaiyuan, *args, "--db", a.store, "--format", "csv"], check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out.strip() + "\n")))

def chq(sql):
    return [r.split("\t") for r in chdb.query(sql, "TabSeparated").bytes().decode().splitlines() if r]

src = f"file('{a.listing}', 'JSONEachRow', 'modelId String, downloads Nullable(Int64), likes Nullable(Int64)')"
failures = 0
for metric, column in [("downloads", "downloads"), ("likes", "likes")]:
    mine = [(r["repo"].removeprefix("huggingface:"), int(float(r["hf_" + metric]))) for r in kaiyuan("rank", "repos", "--platform", "huggingface", "--by", metric, "--top", str(a.top))]
    # Byte order on ties, as kaiyuan sorts ids.
    theirs = [(m, int(v)) for m, v in chq(f"SELECT modelId, {column} FROM {src} WHERE {column} IS NOT NULL ORDER BY {column} DESC, modelId ASC LIMIT {a.top}")]
    diff = [(x, y) for x, y in zip(mine, theirs) if x != y]
    print(f"top {a.top} by {metric}: {len(mine)} rows, {len(diff)} differ" + (f"; first: {diff[0]}" if diff else ""))
    failures += len(diff) + abs(len(mine) - len(theirs))

authors = [r[0] for r in chq(f"SELECT splitByChar('/', modelId)[1] AS o FROM {src} WHERE position(modelId, '/') > 0 GROUP BY o ORDER BY count() DESC, o LIMIT 25")]
for org in authors:
    row = kaiyuan("show", "repo", f"huggingface:{org}")[0]
    n, d, l = chq(f"SELECT count(), sum(downloads), sum(likes) FROM {src} WHERE startsWith(modelId, '{org}/')")[0]
    mine = (int(row["models"]), int(float(row["downloads_30d"] or 0)), int(float(row["likes"] or 0)))
    theirs = (int(n), int(d), int(l))
    if mine != theirs:
        failures += 1
        print(f"{org}: kaiyuan {mine}, chDB {theirs}")
print(f"{len(authors)} organisations' model counts and sums compared")
print("all equal" if failures == 0 else f"{failures} differences")
sys.exit(1 if failures else 0)
