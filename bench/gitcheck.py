#!/usr/bin/env python3
"""Cross-check of the git metrics (spec/metrics.md §8, identities §9): an independent reading
of a `git log` export in the form of spec/git-log-format.md, compared with
`kaiyuan export opendigger` file by file.

    python3 bench/gitcheck.py EXPORT_DIR/PLATFORM/OWNER/REPO FILE.gitlog[.gz]

commits, merge_commits, lines_added, lines_deleted and co_authored_commits are counted straight
from the bytes; authors and new_authors merge identities by the rules of §9 as written there
(shared case-folded email, GitHub noreply login, a distinctive name with several emails, never
a common name, never two GitHub users, placeholder emails stand alone). Exit status 1 when
anything differs.
"""
import collections, datetime, gzip, json, os, re, sys

GENERIC = {"root", "admin", "administrator", "user", "ubuntu", "unknown", "your name", "yourname", "name", "git", "github",
           "gitee", "gitlab", "localhost", "default", "test", "dev", "developer", "john doe", "jane doe", "me", "author",
           "anonymous", "nobody", "system", "server", "build", "jenkins", "ci", "bot", "pi", "vagrant", "centos", "debian",
           "mac", "macbook", "owner", "coder", "programmer", "dependabot[bot]", "github action", "github actions"}
PLACEHOLDER_DOMAINS = {"example.com", "example.org", "email.com", "domain.com", "none.com", "test.com", "xxx.com"}
PLACEHOLDER_LOCALS = {"noreply", "no-reply", "none", "root", "nobody", "you", "your.email", "your_email", "youremail", "user", "admin", "test"}


def placeholder(email):
    if "@" not in email or email.startswith("@"):
        return True
    local, domain = email.rsplit("@", 1)
    if "." not in domain or domain in PLACEHOLDER_DOMAINS:
        return True
    if local in PLACEHOLDER_LOCALS and not domain.endswith("users.noreply.github.com"):
        return True
    return domain.endswith((".local", ".localdomain", ".lan", ".(none)"))


def common(name):
    if not name or name in GENERIC:
        return True
    if all(0x3400 <= ord(c) <= 0x9FFF for c in name):
        return len(name) <= 3
    if len(name) < 4:
        return True
    if " " not in name and len(name) <= 5 and name.isalpha():
        return True
    return len(name.split(" ")) <= 2 and len(name.replace(" ", "")) <= 8


def login(email):
    m = re.fullmatch(r"(?:\d+\+)?(.+)@users\.noreply\.github\.com", email)
    return m.group(1) if m else None


def periods(unix):
    d = datetime.datetime.fromtimestamp(unix, datetime.timezone.utc)
    return [f"{d.year}-{d.month:02d}", f"{d.year}Q{(d.month - 1) // 3 + 1}", f"{d.year}"]


def read(path):
    data = (gzip.open if path.endswith(".gz") else open)(path, "rb").read()
    for record in data.split(b"\x1e")[1:]:
        f = record.split(b"\x00")
        if len(f) < 11:
            continue
        t = datetime.datetime.fromisoformat(f[4].decode().replace("Z", "+00:00"))
        added = deleted = 0
        for line in f[10].split(b"\n"):
            cols = line.split(b"\t", 2)
            if len(cols) == 3 and cols[0].isdigit() and cols[1].isdigit():
                added += int(cols[0]); deleted += int(cols[1])
        yield dict(merge=b" " in f[1], name=f[2].decode("utf-8", "replace"), email=f[3].decode("utf-8", "replace"),
                   unix=int(t.timestamp()), added=added, deleted=deleted, co=bool(f[9]))


class Persons:
    def __init__(self):
        self.parent, self.logins = {}, {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        la, lb = self.logins.get(ra, set()), self.logins.get(rb, set())
        if ra == rb or (la and lb and la != lb):
            return
        self.parent[rb] = ra
        self.logins[ra] = la | lb


def identities(commits):
    p = Persons()
    def key(name, email):
        e = email.strip().lower()
        return ("p", name, e) if placeholder(e) else ("e", e)
    pairs = []
    for c in commits:
        k = key(c["name"], c["email"])
        p.find(k)
        pairs.append((c["name"], k))
        g = login(c["email"].strip().lower())
        if g:
            p.logins[p.find(("g", g))] = p.logins.get(p.find(("g", g)), set()) | {g}
            p.union(("g", g), k)
    first = {}
    for name, k in pairs:
        n = " ".join(name.lower().split())
        if common(n):
            continue
        if n in first:
            p.union(first[n], k)
        else:
            first[n] = k
    return lambda c: p.find(key(c["name"], c["email"]))


def main():
    out_dir, log = sys.argv[1], sys.argv[2]
    commits = list(read(log))
    who = identities(commits)
    s = collections.defaultdict(lambda: collections.defaultdict(float))
    authors = collections.defaultdict(set)
    first = {}
    for c in commits:
        w = who(c)
        first[w] = min(first.get(w, c["unix"]), c["unix"])
        for p in periods(c["unix"]):
            authors[p].add(w)
            if c["merge"]:
                s["merge_commits"][p] += 1
            else:
                s["commits"][p] += 1
                s["lines_added"][p] += c["added"]
                s["lines_deleted"][p] += c["deleted"]
                if c["co"]:
                    s["co_authored_commits"][p] += 1
    for p, a in authors.items():
        s["authors"][p] = len(a)
    for w, t in first.items():
        for p in periods(t):
            s["new_authors"][p] += 1
    differ = 0
    for metric, values in sorted(s.items()):
        expected = {k: v for k, v in values.items() if v}
        path = os.path.join(out_dir, metric + ".json")
        got = json.load(open(path)) if os.path.exists(path) else {}
        if got != expected:
            differ += 1
            bad = sorted(k for k in set(got) | set(expected) if got.get(k) != expected.get(k))
            print(f"{path}: differs at {bad[:8]} (kaiyuan {[got.get(k) for k in bad[:3]]}, here {[expected.get(k) for k in bad[:3]]})")
    print(f"{len(commits)} commits, {len(s)} metrics compared, {differ} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
