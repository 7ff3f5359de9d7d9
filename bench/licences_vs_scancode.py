#!/usr/bin/env python3
"""`kaiyuan licences` against ScanCode (scancode-toolkit 32.5, `pip install scancode-toolkit`)
on the same inputs: wall time, files/s, MB/s, and per-file agreement of the licences found.

    bash bench/licence_corpus.sh /tmp/licence-corpus
    swift build -c release
    nice -n 10 python3 bench/licences_vs_scancode.py --corpus /tmp/licence-corpus \
        --tree .build/checkouts --out /tmp/licences-bench [--kaiyuan .build/release/kaiyuan] \
        [--processes 2] [--skip-scancode-tree]

Inputs (at least one):
  --corpus DIR  a licence-file corpus: the files bench/licence_corpus.sh gathers (licence texts
                the usual databases lack, the LICENSE/COPYING/NOTICE files and READMEs of the
                checkouts, Debian's /usr/share/doc/*/copyright files).
  --tree DIR    a large real tree. .build/checkouts (real clones of the ~27 Swift packages
                kaiyuan depends on, ~8k files outside .git) is the large real tree available
                offline once `swift package resolve` has run.

For each input it runs, timed with time.monotonic (each in a fresh process, index loading
included):
  scancode --license --json OUT/scancode-X.json -n N --quiet DIR   (licence scan only)
  kaiyuan licences DIR --format json > OUT/kaiyuan-X.json           (kaiyuan uses every core)
With --skip-scancode-tree (--skip-scancode-corpus), OUT/scancode-tree.json (-corpus.json) and
the wall time kept beside it (OUT/scancode-X.time.json) from an earlier run are reused.

Comparison, per file: ScanCode's `detected_license_expression_spdx` (falling back to its
license_detections' `license_expression_spdx`) and kaiyuan's match ids are each reduced to a set
of licence atoms (SPDX expressions split on AND/OR/parentheses, "X WITH Y" kept as one atom).
Agreement = share of the files where ScanCode finds an SPDX licence (non-empty atom set) on which
kaiyuan's atom set is equal. Every disagreeing file (including those where only kaiyuan finds a
licence) goes to OUT/disagreements-X.tsv with the lines each tool matched.
Files and MB count the regular files under DIR outside .git/.svn/.hg (ScanCode and kaiyuan
both leave those out).
"""
import argparse, collections, json, os, re, shlex, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VCS = {'.git', '.svn', '.hg', '.bzr'}
SHOW = 30


def atoms(expr):
    """Licence atoms of an SPDX expression: split on AND/OR and parentheses, keep X WITH Y."""
    if not expr:
        return set()
    out, toks, i = [], re.findall(r'[()]|[^\s()]+', expr), 0
    while i < len(toks):
        t = toks[i]
        if t in '()' or t.upper() in ('AND', 'OR'):
            i += 1
            continue
        if t.upper() == 'WITH' and out and i + 1 < len(toks):
            out[-1] = '%s WITH %s' % (out[-1], toks[i + 1])
            i += 2
            continue
        out.append(t)
        i += 1
    return set(out)


def tree_size(d):
    files = size = 0
    if os.path.isfile(d):
        return 1, os.path.getsize(d)
    for dirpath, dirs, names in os.walk(d):
        dirs[:] = [x for x in dirs if x not in VCS]
        for n in names:
            p = os.path.join(dirpath, n)
            if os.path.isfile(p) and not os.path.islink(p):
                files += 1
                size += os.path.getsize(p)
    return files, size


def run_timed(argv, stdout_path, log_path):
    print('  $', ' '.join(shlex.quote(a) for a in argv) + (' > ' + stdout_path if stdout_path else ''),
          flush=True)
    out = open(stdout_path, 'wb') if stdout_path else subprocess.DEVNULL
    with open(log_path, 'wb') as err:
        t0 = time.monotonic()
        rc = subprocess.call(argv, stdout=out, stderr=err)
        secs = time.monotonic() - t0
    if stdout_path:
        out.close()
    if rc != 0:
        print('    exit status %d (stderr in %s)' % (rc, log_path), flush=True)
    return secs, rc


def reused_seconds(sc_json, sc_time):
    """Wall time of an earlier ScanCode run: OUT/scancode-X.time.json as written here, a bare
    number in OUT/scancode-X.time (`/usr/bin/time -f %e -o`), else ScanCode's own duration
    header (index loading excluded)."""
    if os.path.exists(sc_time):
        with open(sc_time) as f:
            return json.load(f)['seconds']
    bare = sc_json[:-len('.json')] + '.time'
    if os.path.exists(bare):
        try:
            with open(bare) as f:
                return float(f.read().split()[-1])
        except (ValueError, IndexError):
            pass
    with open(sc_json) as f:
        return json.load(f)['headers'][0]['duration']


def scancode_files(path, root_name):
    """{relative path: (atoms, [(atom-expression, start, end)], error?)} from ScanCode JSON."""
    with open(path) as f:
        data = json.load(f)
    res = {}
    for f in data.get('files', []):
        if f.get('type') != 'file':
            continue
        p = f['path']
        if p.startswith(root_name + '/'):
            p = p[len(root_name) + 1:]
        dets = f.get('license_detections') or []
        a = atoms(f.get('detected_license_expression_spdx'))
        if not a:
            for d in dets:
                a |= atoms(d.get('license_expression_spdx'))
        lines = [(m.get('license_expression_spdx') or d.get('license_expression_spdx'),
                  m.get('start_line'), m.get('end_line'))
                 for d in dets for m in d.get('matches', [])]
        res[p] = (a, lines, bool(f.get('scan_errors')))
    return res, data


def kaiyuan_files(path):
    with open(path) as f:
        data = json.load(f)
    res = {}
    for f in data.get('files', []):
        a, lines = set(), []
        for m in f.get('matches', []):
            a |= atoms(m['id'])
            lines.append((m['id'], m.get('start_line'), m.get('end_line'), m.get('method')))
        res[f['path']] = (a, lines)
    unknown = collections.defaultdict(list)
    for u in data.get('unknown', []):
        unknown[u['path']].append((u.get('start_line'), u.get('end_line')))
    return res, unknown, data


def num(x):
    """Two significant-ish digits: 1234, 56, 7.8, 0.48."""
    return '%.0f' % x if x >= 10 else '%.1f' % x if x >= 1 else '%.2f' % x


def fmt_lines(lines):
    out = []
    for l in lines:
        s = '%s@%s-%s' % (l[0], l[1], l[2])
        if len(l) > 3 and l[3]:
            s += '(%s)' % l[3]
        out.append(s)
    return '; '.join(out)


def compare(label, sc, ky, unknown, out_dir):
    paths = sorted(set(sc) | set(ky))
    with_sc = agree = ky_extra_files = ky_only_files = 0
    kinds = collections.Counter()
    only_sc_atom = collections.defaultdict(list)
    only_ky_atom = collections.defaultdict(list)
    rows = []
    common = s_total = k_total = 0
    by_dir = collections.defaultdict(lambda: [0, 0])
    for p in paths:
        s_atoms, s_lines, _ = sc.get(p, (set(), [], False))
        k_atoms, k_lines = ky.get(p, (set(), []))
        common += len(s_atoms & k_atoms)
        s_total += len(s_atoms)
        k_total += len(k_atoms)
        if s_atoms:
            with_sc += 1
            top = by_dir[p.split('/')[0] if '/' in p else '.']
            top[0] += 1
            if s_atoms == k_atoms:
                agree += 1
                top[1] += 1
        if k_atoms - s_atoms:
            ky_extra_files += 1
        if k_atoms and not s_atoms:
            ky_only_files += 1
        if s_atoms == k_atoms:
            continue
        if not k_atoms:
            kind = 'kaiyuan-none'
        elif not s_atoms:
            kind = 'scancode-none'
        elif k_atoms < s_atoms:
            kind = 'kaiyuan-subset'
        elif k_atoms > s_atoms:
            kind = 'kaiyuan-superset'
        else:
            kind = 'different'
        kinds[kind] += 1
        for a in s_atoms - k_atoms:
            only_sc_atom[a].append(p)
        for a in k_atoms - s_atoms:
            only_ky_atom[a].append(p)
        rows.append((p, kind, s_atoms, k_atoms, s_lines, k_lines, unknown.get(p, [])))
    tsv = os.path.join(out_dir, 'disagreements-%s.tsv' % label)
    with open(tsv, 'w') as f:
        f.write('path\tkind\tscancode_atoms\tkaiyuan_atoms\tonly_scancode\tonly_kaiyuan\t'
                'scancode_matches\tkaiyuan_matches\tkaiyuan_unknown\n')
        for p, kind, s, k, sl, kl, un in rows:
            f.write('\t'.join([p, kind, ' | '.join(sorted(s)), ' | '.join(sorted(k)),
                               ' | '.join(sorted(s - k)), ' | '.join(sorted(k - s)),
                               fmt_lines(sl), fmt_lines(kl),
                               '; '.join('%s-%s' % u for u in un)]) + '\n')
    pct = 100.0 * agree / with_sc if with_sc else float('nan')
    print('\n[%s] agreement: %d of %d files where ScanCode finds an SPDX licence (%.1f%%)'
          % (label, agree, with_sc, pct))
    print('[%s] files where kaiyuan finds a licence ScanCode does not: %d (of which %d where '
          'ScanCode finds none)' % (label, ky_extra_files, ky_only_files))
    print('[%s] licence atoms (file, licence) pairs: ScanCode %d, kaiyuan %d, both %d: kaiyuan finds '
          '%.1f%% of ScanCode\'s, %.1f%% of kaiyuan\'s are ScanCode\'s'
          % (label, s_total, k_total, common, 100.0 * common / max(s_total, 1), 100.0 * common / max(k_total, 1)))
    if len(by_dir) > 1:
        print('[%s] agreement by top-level directory: %s' % (label, ', '.join(
            '%s %d/%d (%.0f%%)' % (d, a, n, 100.0 * a / n) for d, (n, a) in sorted(by_dir.items()))))
    print('[%s] disagreements by kind: %s' % (label, ', '.join('%s %d' % kv for kv in kinds.most_common())))
    for title, table in (('only ScanCode reports', only_sc_atom), ('only kaiyuan reports', only_ky_atom)):
        print('[%s] atoms %s (files, examples):' % (label, title))
        for a, ps in sorted(table.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:15]:
            print('    %4d  %s  e.g. %s' % (len(ps), a, ', '.join(ps[:3])))
    print('[%s] first %d disagreements (all in %s):' % (label, min(SHOW, len(rows)), tsv))
    for p, kind, s, k, sl, kl, un in rows[:SHOW]:
        print('  %s [%s]\n      scancode: %s\n      kaiyuan:  %s' % (
            p, kind, ', '.join(sorted(s)) or '-', ', '.join(sorted(k)) or '-'))
    return dict(with_sc=with_sc, agree=agree, pct=pct, ky_extra=ky_extra_files,
                atoms_scancode=s_total, atoms_kaiyuan=k_total, atoms_both=common,
                ky_only=ky_only_files, disagreements=len(rows), kinds=dict(kinds))


def bench(label, d, args):
    d = os.path.abspath(d)
    root_name = os.path.basename(d.rstrip('/'))
    files, size = tree_size(d)
    mb = size / 1e6
    print('\n== %s: %s (%d files, %.1f MB outside VCS directories)' % (label, d, files, mb), flush=True)
    sc_json = os.path.join(args.out, 'scancode-%s.json' % label)
    sc_time = os.path.join(args.out, 'scancode-%s.time.json' % label)
    reuse = args.skip_scancode_tree if label == 'tree' else args.skip_scancode_corpus
    if reuse and os.path.exists(sc_json):
        sc_secs = reused_seconds(sc_json, sc_time)
        print('  reusing %s (%.1f s)' % (sc_json, sc_secs), flush=True)
    else:
        sc_secs, rc = run_timed(['scancode', '--license', '--json', sc_json, '-n', str(args.processes),
                                 '--quiet', d], None, os.path.join(args.out, 'scancode-%s.log' % label))
        if rc != 0 and not os.path.exists(sc_json):
            sys.exit('scancode failed on %s' % d)
        with open(sc_time, 'w') as f:
            json.dump({'seconds': sc_secs, 'processes': args.processes, 'input': d}, f)
    ky_json = os.path.join(args.out, 'kaiyuan-%s.json' % label)
    ky_secs, rc = run_timed([args.kaiyuan, 'licences', d, '--format', 'json'], ky_json,
                            os.path.join(args.out, 'kaiyuan-%s.log' % label))
    if rc != 0 and os.path.getsize(ky_json) == 0:
        print('  kaiyuan produced no output; skipping %s' % label, flush=True)
        return None
    sc, sc_data = scancode_files(sc_json, root_name)
    ky, unknown, ky_data = kaiyuan_files(ky_json)
    errors = sum(1 for v in sc.values() if v[2])
    print('  ScanCode: %.1f s, %s files/s, %s MB/s; %d files scanned, %d with scan errors'
          % (sc_secs, num(files / sc_secs), num(mb / sc_secs), len(sc), errors))
    print('  kaiyuan:  %.1f s, %s files/s, %s MB/s; %d files scanned, %d skipped, %d decoded'
          % (ky_secs, num(files / ky_secs), num(mb / ky_secs), ky_data.get('files_scanned', 0),
             len(ky_data.get('skipped', [])), len(ky_data.get('decoded', []))))
    cmp = compare(label, sc, ky, unknown, args.out)
    return dict(label=label, files=files, mb=mb, sc=sc_secs, ky=ky_secs, **cmp)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--kaiyuan', default=os.path.join(ROOT, '.build', 'release', 'kaiyuan'))
    ap.add_argument('--corpus', help='licence-file corpus (bench/licence_corpus.sh DIR)')
    ap.add_argument('--tree', help='large real tree, e.g. .build/checkouts')
    ap.add_argument('--processes', type=int, default=2, help='ScanCode -n (default 2)')
    ap.add_argument('--out', default='/tmp/licences-bench', help='raw JSON outputs and TSVs')
    ap.add_argument('--skip-scancode-tree', action='store_true',
                    help='reuse OUT/scancode-tree.json from an earlier run if present')
    ap.add_argument('--skip-scancode-corpus', action='store_true',
                    help='reuse OUT/scancode-corpus.json from an earlier run if present')
    args = ap.parse_args()
    if not args.corpus and not args.tree:
        ap.error('give --corpus, --tree or both')
    args.kaiyuan = os.path.abspath(args.kaiyuan)
    if not os.access(args.kaiyuan, os.X_OK):
        ap.error('no kaiyuan binary at %s (swift build -c release, or --kaiyuan BIN)' % args.kaiyuan)
    os.makedirs(args.out, exist_ok=True)
    sc_version = subprocess.run(['scancode', '--version'], capture_output=True, text=True).stdout.split('\n')[0]
    ky_version = subprocess.run([args.kaiyuan, '--version'], capture_output=True, text=True).stdout.strip()
    print('%s; kaiyuan %s (%s); %d cores' % (sc_version, ky_version, args.kaiyuan, os.cpu_count()), flush=True)

    results = []
    if args.corpus:
        results.append(bench('corpus', args.corpus, args))
    if args.tree:
        results.append(bench('tree', args.tree, args))
    results = [r for r in results if r]

    print('\n| input | files | MB | ScanCode s (-n %d) | kaiyuan s | speed ratio | agreement %% |' % args.processes)
    print('|---|---:|---:|---:|---:|---:|---:|')
    for r in results:
        print('| %s | %d | %.1f | %.1f (%s files/s, %s MB/s) | %.1f (%s files/s, %s MB/s) | %.1f× | %.1f%% (%d/%d) |'
              % (r['label'], r['files'], r['mb'], r['sc'], num(r['files'] / r['sc']), num(r['mb'] / r['sc']),
                 r['ky'], num(r['files'] / r['ky']), num(r['mb'] / r['ky']), r['sc'] / r['ky'],
                 r['pct'], r['agree'], r['with_sc']))
    print('\n%s; kaiyuan %s; %d cores. Agreement: files where ScanCode finds an SPDX licence on '
          'which kaiyuan finds the same set of licences.' % (sc_version, ky_version, os.cpu_count()))
    argv = [os.path.relpath(sys.argv[0], os.getcwd())] + sys.argv[1:]
    print('\nReproduce:')
    if args.corpus:
        print('  bash bench/licence_corpus.sh %s' % shlex.quote(args.corpus))
    print('  python3 %s' % ' '.join(shlex.quote(a) for a in argv))
    with open(os.path.join(args.out, 'summary.json'), 'w') as f:
        json.dump(results, f, indent=1, default=str)


if __name__ == '__main__':
    main()
