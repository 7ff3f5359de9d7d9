#!/usr/bin/env python3
"""OpenRank's month (spec/metrics.md §4.2–4.7) with scipy, on the graph kaiyuan-bench wrote.

    swift build -c release
    .build/release/kaiyuan-bench openrank --repos 1000000 --developers 3000000 --pairs 15000000 \\
        --tolerance 1e-6 --write-graph /tmp/orgraph
    python3 bench/openrank_scipy.py /tmp/orgraph [--runs 3]

It reads the same edges (repo.i64, developer.i64, activity.f64), builds the graph the way a
scipy user would (np.unique to number the ids, the §4.2 pruning with bincount, two CSR
matrices for the two sides of the bipartite graph), iterates the same equations to the same
tolerance (the largest change of a value in a round), and prints its build and iteration
seconds beside kaiyuan's (meta.json). Then it compares its values with kaiyuan's: the largest
difference, absolute and relative to the value.
"""
import argparse, json, os, statistics, time

import numpy as np
import scipy.sparse as sp

MAX_REPOS_PER_DEVELOPER = 300
MIN_REPO_ACTIVITY = 1.0
RETENTION_REPO, RETENTION_DEV, RETENTION_BG = 0.3, 0.5, 0.15


def solve(repo_ids, dev_ids, activity, tolerance):
    t0 = time.perf_counter()
    repos, edge_repo = np.unique(repo_ids, return_inverse=True)
    devs, edge_dev = np.unique(dev_ids, return_inverse=True)
    # §4.2: developers on more than 300 repositories go, then repositories under 1 activity.
    per_dev = np.bincount(edge_dev, minlength=len(devs))
    keep = per_dev[edge_dev] <= MAX_REPOS_PER_DEVELOPER
    repo_total = np.bincount(edge_repo[keep], weights=activity[keep], minlength=len(repos))
    keep &= repo_total[edge_repo] >= MIN_REPO_ACTIVITY
    edge_repo, edge_dev, a = edge_repo[keep], edge_dev[keep], activity[keep]
    kept_repos, edge_repo = np.unique(edge_repo, return_inverse=True)
    kept_devs, edge_dev = np.unique(edge_dev, return_inverse=True)
    repos, devs = repos[kept_repos], devs[kept_devs]
    r, d = len(repos), len(devs)
    a_repo = np.bincount(edge_repo, weights=a, minlength=r)
    a_dev = np.bincount(edge_dev, weights=a, minlength=d)
    # §4.3: w(u→r) = 0.95·a/A_u into r, w(r→u) = 0.95·a/A_r into u.
    into_repos = sp.csr_matrix((0.95 * a / a_dev[edge_dev], (edge_repo, edge_dev)), shape=(r, d))
    into_devs = sp.csr_matrix((0.95 * a / a_repo[edge_repo], (edge_dev, edge_repo)), shape=(d, r))
    # §4.4–4.5 (nothing carried from earlier months in a generated graph).
    init_repo = np.zeros(r)
    init_dev = 1 / (1 + np.exp(0.10425 * (44.08 - a_dev)))
    t1 = time.perf_counter()

    # §4.6: Jacobi rounds; each node sends 0.05 to the background, which sends 1/(N-1) back.
    n = r + d + 1
    share = 1 / (n - 1)
    v_repo, v_dev, v_bg = init_repo.copy(), init_dev.copy(), 0.0
    rounds = 0
    while True:
        rounds += 1
        from_bg = v_bg * share
        total = v_repo.sum() + v_dev.sum()
        n_repo = RETENTION_REPO * init_repo + (1 - RETENTION_REPO) * (into_repos @ v_dev + from_bg)
        n_dev = RETENTION_DEV * init_dev + (1 - RETENTION_DEV) * (into_devs @ v_repo + from_bg)
        n_bg = (1 - RETENTION_BG) * 0.05 * total
        residual = max(np.abs(n_repo - v_repo).max(), np.abs(n_dev - v_dev).max(), abs(n_bg - v_bg))
        v_repo, v_dev, v_bg = n_repo, n_dev, n_bg
        if residual < tolerance or rounds >= 10_000:
            break
    t2 = time.perf_counter()
    lift = v_bg * share   # §4.7
    return (repos, v_repo + lift), (devs, v_dev + lift), rounds, residual, t1 - t0, t2 - t1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dir')
    ap.add_argument('--runs', type=int, default=1)
    a = ap.parse_args()
    load = lambda name, dtype: np.fromfile(os.path.join(a.dir, name), dtype=dtype)
    meta = json.load(open(os.path.join(a.dir, 'meta.json')))
    repo_ids, dev_ids, activity = load('repo.i64', '<i8'), load('developer.i64', '<i8'), load('activity.f64', '<f8')
    builds, iterations = [], []
    for _ in range(a.runs):
        (repos, rv), (devs, dv), rounds, residual, build, iterate = solve(repo_ids, dev_ids, activity, meta['tolerance'])
        builds.append(build)
        iterations.append(iterate)
    b, i = statistics.median(builds), statistics.median(iterations)
    print(f"{len(activity)} edges; {len(repos)} repositories, {len(devs)} developers after pruning; tolerance {meta['tolerance']:g}")
    print(f"scipy   {rounds:3d} rounds, residual {residual:.1e}: build {b:.2f} s + iterate {i:.2f} s = {b + i:.2f} s (median of {a.runs})")
    kb, ki = meta['kaiyuan_build_seconds'], meta['kaiyuan_iterate_seconds']
    print(f"kaiyuan {meta['iterations']:3d} rounds: build {kb:.2f} s + iterate {ki:.2f} s = {kb + ki:.2f} s "
          f"({(kb + ki) / (b + i):.2f}× scipy's time)")

    # The same values? Both stop at the same tolerance, so they agree to about that.
    worst_abs = worst_rel = 0.0
    for kind, ids, values in (('repo', repos, rv), ('developer', devs, dv)):
        k_ids, k_values = load(f'kaiyuan_{kind}.i64', '<i8'), load(f'kaiyuan_{kind}.f64', '<f8')
        if not np.array_equal(k_ids, ids):
            raise SystemExit(f"the {kind}s kept after pruning differ: kaiyuan {len(k_ids)}, scipy {len(ids)}")
        diff = np.abs(k_values - values)
        worst_abs = max(worst_abs, diff.max())
        worst_rel = max(worst_rel, (diff / np.maximum(np.abs(values), 1e-12)).max())
    print(f"values: the same nodes; largest difference {worst_abs:.2e} (relative {worst_rel:.2e})")


if __name__ == '__main__':
    main()
