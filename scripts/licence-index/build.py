#!/usr/bin/env python3
"""Builds kaiyuan's licence index: Sources/KaiyuanLicences/Resources/licence-index.txt.gz.

Inputs:
  - ScanCode's licence database, PyPI `licensedcode-data` (nexB, CC-BY-4.0): every
    licence text (*.LICENSE) and rule (*.RULE) not deprecated;
  - the licence texts most databases lack, read from ../shared/data/licences/ (Anti-996 in
    Chinese, the DeepSeek License Agreement, the Tongyi Qianwen licence);
  - kaiyuan's own notice rules for model licences (additions.yml beside this script).

    pip install licensedcode-data
    python3 scripts/licence-index/build.py [--shared ../shared] [--out PATH]

The output is a gzip of plain text (format in ARCHITECTURE.md, "Licences"). Token ids are
assigned by frequency so the file stays small; the same inputs give the same bytes.
"""
import argparse, collections, gzip, io, os, re, sys

try:
    import licensedcode_data  # noqa: F401  (the wheel installs the `licensedcode` data folder)
except ImportError:
    pass

# ScanCode's query tokenizer (licensedcode/tokenize.py), with one change: each CJK
# ideograph is a token of its own, so Chinese licence texts can be compared word by word.
WORD = re.compile(r"[^_\W]+\+?[^_\W]*", re.UNICODE)
CJK = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af])")
STOPWORDS = set("""a abbr alt amp apos auto bdquo blockquote body border br bull bullet class colon
comma div dnl echo em emdash emsp ensp ge gt h1 h2 h3 h4 h5 hairsp head1 head2 head3 height hr href
img ldquo ldquor le li lists lpar lsaquo lsquo lsquor lt mdash nav nbsp ndash numsp ol p padding
para period pre printf puncsp quot raquo rdquo rdquor rel rem rpar rsaquo rsquo rsquor sbquo script
semi side span src td th thinsp tilde tr ul ulink width x3c x3e""".split())

def tokens(text):
    out = []
    for w in WORD.findall(CJK.sub(r" \1 ", text.lower())):
        if w not in STOPWORDS:
            out.append(w)
    return out

REQUIRED = re.compile(r"(\{\{|\}\})")

def tokens_and_required(text, continuous=False):
    """Tokens, and the token ranges ScanCode marks as required phrases ({{...}}): a match
    that lacks one of them is no match (a version number, a licence's name)."""
    out, spans, inside, start = [], [], False, 0
    for piece in REQUIRED.split(text):
        if piece == "{{":
            inside, start = True, len(out)
        elif piece == "}}":
            if inside and len(out) > start:
                spans.append((start, len(out)))
            inside = False
        else:
            out += tokens(piece)
    if continuous and out:
        spans = [(0, len(out))]
    return out, spans

def front_matter(path):
    """(fields, text) of a ScanCode .LICENSE/.RULE file: a small YAML header between ---."""
    raw = open(path, encoding="utf-8", errors="replace").read()
    fields, text = {}, raw
    if raw.startswith("---"):
        end = raw.find("\n---", 3)
        header, text = raw[3:end], raw[end + 4:]
        key = None
        for line in header.splitlines():
            m = re.match(r"^([a-z_]+):\s*(.*)$", line)
            if m:
                key, value = m.group(1), m.group(2).strip()
                fields[key] = value.strip("'\"")
    return fields, text

def data_dir():
    import importlib.util
    for base in sys.path:
        d = os.path.join(base, "licensedcode", "data")
        if os.path.isdir(os.path.join(d, "licenses")):
            return d
    sys.exit("licensedcode-data is not installed: pip install licensedcode-data")

def wheel_version():
    """Which package's data sits in the licensedcode folder: scancode-toolkit installs its own,
    newer than licensedcode-data's, into the same place."""
    from importlib.metadata import version
    found = []
    for pkg in ("scancode-toolkit", "licensedcode-data"):
        try:
            found.append(f"{pkg} {version(pkg)}")
        except Exception:
            pass
    return " / ".join(found) or "unknown"

def yes(fields, name):
    return fields.get(name, "").lower() in ("yes", "true")

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(root), "shared"))
    ap.add_argument("--out", default=os.path.join(root, "Sources/KaiyuanLicences/Resources/licence-index.txt.gz"))
    args = ap.parse_args()
    data = data_dir()

    licences = {}   # key -> (spdx, category, osi, name)
    rules = []      # (expression keys, kind, relevance, min_coverage, tokens)
    for name in sorted(os.listdir(os.path.join(data, "licenses"))):
        if not name.endswith(".LICENSE"):
            continue
        f, text = front_matter(os.path.join(data, "licenses", name))
        key = f["key"]
        spdx = f.get("spdx_license_key") or "LicenseRef-scancode-" + key
        osi = "1" if (f.get("osi_license_key") or f.get("osi_url")) else "0"
        licences[key] = (spdx, f.get("category", "Unstated License"), osi, f.get("name", key),
                         "1" if yes(f, "is_exception") else "0")
        if yes(f, "is_deprecated") or yes(f, "is_unknown") or yes(f, "is_generic"):
            continue
        t = tokens(text)
        if t:
            rules.append((key, "x", 100, int(f.get("minimum_coverage") or 0), t, []))

    kinds = [("is_false_positive", "f"), ("is_license_text", "t"), ("is_license_notice", "n"),
             ("is_license_tag", "g"), ("is_license_reference", "r")]
    for name in sorted(os.listdir(os.path.join(data, "rules"))):
        if not name.endswith(".RULE"):
            continue
        f, text = front_matter(os.path.join(data, "rules", name))
        if yes(f, "is_deprecated") or yes(f, "is_license_clue"):
            continue
        kind = next((k for field, k in kinds if yes(f, field)), None)
        if yes(f, "is_license_intro"):
            kind = "i"   # "licensed under the": reported only where no licence follows
        expr = f.get("license_expression", "")
        if kind is None or (kind != "f" and not expr):
            continue
        t, spans = tokens_and_required(text, continuous=yes(f, "is_continuous"))
        if t:
            rules.append((expr or "-", kind, int(f.get("relevance") or 100), int(f.get("minimum_coverage") or 0), t, spans))

    add_kaiyuan(os.path.join(here, "additions.yml"), args.shared, licences, rules)

    # Same token sequence, same expression: one rule.
    seen, unique = set(), []
    for r in rules:
        k = (r[0], r[1], tuple(r[4]), tuple(r[5]))
        if k not in seen:
            seen.add(k)
            unique.append(r)
    freq = collections.Counter(tok for r in unique for tok in r[4])
    vocab = sorted(freq, key=lambda t: (-freq[t], t))
    ids = {t: i for i, t in enumerate(vocab)}

    def b36(n):
        s = "0123456789abcdefghijklmnopqrstuvwxyz"
        out = ""
        while True:
            n, r = divmod(n, 36)
            out = s[r] + out
            if n == 0:
                return out

    buf = io.StringIO()
    buf.write("kaiyuan-licence-index 2\n")
    buf.write(f"# ScanCode licence data from {wheel_version()} (nexB Inc. and others, CC-BY-4.0, "
              "https://github.com/aboutcode-org/scancode-toolkit), with kaiyuan's additions\n")
    buf.write(f"tokens {len(vocab)}\n")
    for t in vocab:
        buf.write(t + "\n")
    buf.write(f"licences {len(licences)}\n")
    for key in sorted(licences):
        spdx, cat, osi, name, exc = licences[key]
        buf.write("\t".join([key, spdx, cat, osi, exc, name.replace("\t", " ")]) + "\n")
    buf.write(f"rules {len(unique)}\n")
    for expr, kind, rel, cov, t, spans in sorted(unique, key=lambda r: (r[0], r[1], r[4], r[5])):
        buf.write("\t".join([expr, kind, str(rel), str(cov), " ".join(b36(ids[x]) for x in t),
                             ",".join("%d-%d" % sp for sp in spans)]) + "\n")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "wb") as out:
        # mtime 0 and no name: the same inputs give the same bytes.
        with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
            gz.write(buf.getvalue().encode("utf-8"))
    print(f"{args.out}: {len(vocab)} tokens, {len(licences)} licences, {len(unique)} rules, "
          f"{os.path.getsize(args.out)} bytes", file=sys.stderr)

def add_kaiyuan(path, shared, licences, rules):
    """additions.yml: licences ScanCode lacks (`licence:` blocks) and rules (`rule:` blocks),
    each rule's text either inline (`text: |`) or a file under the shared data (`file:`)."""
    blocks, cur, in_text = [], None, False
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            if in_text and cur is not None:
                cur["text"] += "\n"
            continue
        if line.startswith("- "):
            cur = {"text": ""}
            blocks.append(cur)
            line = "  " + line[2:]
            in_text = False
        if in_text and line.startswith("    "):
            cur["text"] += line[4:]
            continue
        in_text = False
        m = re.match(r"^  ([a-z_]+):\s*(.*)$", line)
        if not m:
            sys.exit(f"{path}: cannot read {line!r}")
        k, v = m.group(1), m.group(2).strip()
        if k == "text" and v == "|":
            in_text = True
        else:
            cur[k] = v.strip('"')
    alias = {}
    for b in blocks:
        if "key" in b:
            # A licence newer ScanCode data has under its own key: rules use that key.
            if b.get("same_as") in licences:
                alias[b["key"]] = b["same_as"]
            else:
                licences[b["key"]] = (b["spdx"], b["category"], b.get("osi", "0"), b["name"], "0")
    for b in blocks:
        if "key" in b:
            continue
        else:
            text = b["text"]
            if "file" in b:
                p = os.path.join(shared, b["file"])
                if not os.path.exists(p):
                    sys.exit(f"{p} is missing: pass --shared DIR (the folder holding data/licences/)")
                text = open(p, encoding="utf-8").read()
            expression = " ".join(alias.get(w, w) for w in b["expression"].split())
            rules.append((expression, b.get("kind", "n"), int(b.get("relevance", 100)), 0, tokens(text), []))

if __name__ == "__main__":
    main()
