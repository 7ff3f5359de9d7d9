#!/usr/bin/env bash
# Assemble a licence-file corpus for bench/licences_vs_scancode.py, outside the repository:
#
#   bash bench/licence_corpus.sh /tmp/licence-corpus
#
# DIR receives (flat, one file per source, names made unique):
#   extra/       the licence texts of /work/shared/data/licences/ (the model and protest
#                licences the usual databases lack), README.md excluded
#   checkouts/   every LICENSE*/LICENCE*/COPYING*/NOTICE* file anywhere in .build/checkouts/*
#                and each package's top-level README*, named PACKAGE__path__to__FILE
#   debian/      /usr/share/doc/*/copyright, named PACKAGE.copyright
# The sources are only read; DIR is emptied first.
set -euo pipefail
dir=${1:?usage: licence_corpus.sh DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
case "$(cd "$(dirname "$dir")" 2>/dev/null && pwd)/$(basename "$dir")/" in
    "$root"/*) echo "licence_corpus.sh: DIR must be outside the repository" >&2; exit 2 ;;
esac
shared=${LICENCE_TEXTS:-/work/shared/data/licences}
checkouts=${CHECKOUTS:-$root/.build/checkouts}

rm -rf "$dir"
mkdir -p "$dir/extra" "$dir/checkouts" "$dir/debian"

n_extra=0
if [ -d "$shared" ]; then
    for f in "$shared"/*; do
        [ -f "$f" ] || continue
        [ "$(basename "$f")" = README.md ] && continue
        cp -- "$f" "$dir/extra/"; n_extra=$((n_extra + 1))
    done
fi

n_co=0
if [ -d "$checkouts" ]; then
    for pkg in "$checkouts"/*/; do
        pkg=${pkg%/}; name=$(basename "$pkg")
        while IFS= read -r -d '' f; do
            rel=${f#"$pkg"/}
            cp -- "$f" "$dir/checkouts/${name}__${rel//\//__}"; n_co=$((n_co + 1))
        done < <(find "$pkg" -name .git -prune -o -type f \
                    \( -iname 'LICENSE*' -o -iname 'LICENCE*' -o -iname 'COPYING*' -o -iname 'NOTICE*' \) -print0)
        for f in "$pkg"/README*; do
            [ -f "$f" ] || continue
            cp -- "$f" "$dir/checkouts/${name}__$(basename "$f")"; n_co=$((n_co + 1))
        done
    done
fi

n_deb=0
for f in /usr/share/doc/*/copyright; do
    [ -f "$f" ] || continue   # skips dangling symlinks
    pkg=$(basename "$(dirname "$f")")
    cp -L -- "$f" "$dir/debian/$pkg.copyright"; n_deb=$((n_deb + 1))
done

echo "licence corpus in $dir: $n_extra extra licence texts, $n_co checkout files, $n_deb Debian copyright files" \
     "($(du -sh "$dir" | cut -f1))"
