#!/usr/bin/env python3
"""Cross-check: an independent reading of spec/metrics.md §2, §3 and §5 with Python's json
module, compared with `kaiyuan export opendigger` file by file (to 0.01).

    python3 bench/crosscheck.py EXPORT_DIR/github FILE.json.gz...

It decodes every event in full (slow, but nothing shared with kaiyuan's byte scanner or its
fact store), drops events whose id was seen before, computes the metrics per repository id
and period, applies OpenDigger's October 2021 repair, and reports every file that differs.
Exit status 1 when anything differs.
"""
import collections, gzip, json, math, os, sys

W = {'ic': 0.5252, 'oi': 2.2235, 'op': 4.0679, 'rc': 0.7427, 'mp': 2.0339}


def periods(ts):
    y, m = int(ts[:4]), int(ts[5:7])
    return [f"{y}-{m:02d}", f"{y}Q{(m - 1) // 3 + 1}", f"{y}"]


def compute(files):
    seen = set()
    sets = collections.defaultdict(lambda: collections.defaultdict(lambda: collections.defaultdict(set)))
    sums = collections.defaultdict(lambda: collections.defaultdict(lambda: collections.defaultdict(float)))
    act = collections.defaultdict(lambda: collections.defaultdict(lambda: collections.defaultdict(lambda: collections.defaultdict(set))))
    names, last = {}, {}
    for f in files:
        with (gzip.open if f.endswith('.gz') else open)(f, 'rt', encoding='utf-8', errors='replace') as fh:
            for line in fh:
                try:
                    e = json.loads(line)
                except ValueError:
                    continue
                if e['id'] in seen:
                    continue
                seen.add(e['id'])
                r = e['repo']['id']
                if e['created_at'] >= last.get(r, ''):
                    last[r], names[r] = e['created_at'], e['repo']['name']
                t, p, a = e['type'], e.get('payload') or {}, e['actor']['id']
                login, action, ps = e['actor']['login'], p.get('action'), periods(e['created_at'])
                iss, pr = p.get('issue') or {}, p.get('pull_request') or {}

                def add(metric, value):
                    for k in ps:
                        sets[r][metric][k].add(value)

                if t == 'WatchEvent':
                    add('stars', a); add('_watchers', a)
                elif t == 'ForkEvent':
                    add('technical_fork', e['id']); add('_forkers', a)
                if t in ('IssuesEvent', 'IssueCommentEvent', 'PullRequestEvent', 'PullRequestReviewCommentEvent'):
                    add('participants', a)
                    item = iss.get('id') if t in ('IssuesEvent', 'IssueCommentEvent') else pr.get('id')
                    if item:
                        add('issues_and_change_request_active', item)
                if t == 'IssuesEvent' and action in ('opened', 'reopened'):
                    add('issues_new', iss['id'])
                if t == 'IssuesEvent' and action == 'opened':
                    act[r][ps[0]][a]['oi'].add(iss['id'])
                if t == 'IssuesEvent' and action == 'closed':
                    add('issues_closed', iss['id'])
                if t == 'IssueCommentEvent' and action == 'created':
                    add('issue_comments', e['id'])
                    act[r][ps[0]][a]['ic'].add(p['comment']['id'])
                if t == 'PullRequestEvent':
                    if action == 'opened':
                        add('change_requests', pr['id'])
                        act[r][ps[0]][a]['op'].add(pr['id'])
                    if action == 'closed' and pr.get('merged'):
                        add('change_requests_accepted', pr['id'])
                        add('contributors', pr['user']['id'])
                        act[r][ps[0]][pr['user']['id']]['mp'].add(pr['id'])
                    for k in ps:
                        sums[r]['code_change_lines_add'][k] += pr.get('additions') or 0
                        sums[r]['code_change_lines_remove'][k] += pr.get('deletions') or 0
                        sums[r]['code_change_lines_sum'][k] += (pr.get('additions') or 0) - (pr.get('deletions') or 0)
                if t == 'PullRequestReviewCommentEvent':
                    add('change_requests_reviews', p['comment']['id'])
                    if action in ('created', 'added'):
                        act[r][ps[0]][a]['rc'].add(p['comment']['id'])
    result = {}
    for r in names:
        res = {m: {k: len(v) for k, v in d.items()} for m, d in sets[r].items() if not m.startswith('_')}
        attention = collections.defaultdict(float)
        for k, v in sets[r]['_watchers'].items():
            attention[k] += len(v)
        for k, v in sets[r]['_forkers'].items():
            attention[k] += 2 * len(v)
        res['attention'] = dict(attention)
        res.update({m: dict(d) for m, d in sums[r].items()})
        activity = collections.defaultdict(float)
        for month, devs in act[r].items():
            y, q = month[:4], f"{month[:4]}Q{(int(month[5:7]) - 1) // 3 + 1}"
            for counts in devs.values():
                v = math.sqrt(sum(W[k] * len(s) for k, s in counts.items()))
                for k in (month, q, y):
                    activity[k] += v
        res['activity'] = dict(activity)
        result[names[r]] = res
    return result


def opendigger_shape(values, repair=True):
    content = {k: round(v, 2) for k, v in values.items() if round(v, 2) != 0}
    # OpenDigger exempts the line counts from the October 2021 repair (spec §2).
    if repair and content.get('2021-10'):
        content['2021-10-raw'] = content['2021-10']
        arr = [content.get(m, 0) for m in ('2021-08', '2021-09', '2021-11', '2021-12')]
        arr[0] = arr[0] or arr[3]
        arr[1] = arr[1] or arr[2]
        content['2021-10'] = math.floor(sum(f * x for f, x in zip((.15, .35, .35, .15), arr)) + 0.5)
    return content


def main():
    export, files = sys.argv[1], sys.argv[2:]
    compared = differ = 0
    for repo, metrics in compute(files).items():
        for metric, values in metrics.items():
            want = opendigger_shape(values, repair=not metric.startswith('code_change_lines'))
            path = os.path.join(export, repo, metric + '.json')
            if not want:
                # A metric with input but no non-zero value is written as {} (spec §2).
                if os.path.exists(path) and json.load(open(path)) != {}:
                    differ += 1; print(f"{path}: expected no value, got {json.load(open(path))}")
                continue
            compared += 1
            if not os.path.exists(path):
                differ += 1; print(f"{path}: missing; expected {want}"); continue
            got = json.load(open(path))
            if set(got) != set(want) or any(abs(got[k] - want[k]) > 0.01 for k in want):
                differ += 1; print(f"{path}: expected {want}, kaiyuan wrote {got}")
    print(f"{compared} files compared, {differ} differ")
    sys.exit(1 if differ else 0)


if __name__ == '__main__':
    main()
