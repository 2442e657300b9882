#!/usr/bin/env python3
"""Would a table of word pairs learnt from people's own substitutions reach new texts?

Reads a `drift calibrate` CSV (chain,generation,text; from scripts/human_chains.py) and, for
every retelling, lines its words up with the text heard (difflib) and collects the single
words replaced by a single other word. Function words, numbers and pairs that differ only by
case are left out. Originals are sorted by FNV-1a of their trimmed text and dealt round-robin
into K folds, as `drift calibrate --folds` does; for each fold, the pairs of the other folds'
chains are the "learnt table", and the script counts how many of the held-out fold's
substitutions that table holds. Substitutions are split into inflection (the same stem:
"sister" -> "sisters", "start" -> "started") and lexical (everything else).

Usage:  python3 scripts/substitution_pairs.py human/gistr.csv [K]

Retellings shared by several chains (Gistr's trees) are counted once. Nothing is written.
"""

import collections
import csv
import difflib
import re
import sys

FUNCTION = set(
    "a an the and or but of to in on at for with by from is are was were be been being it its this that these those i you he "
    "she we they them his her our their my your me him us as not no so if then than too very can could would should will shall "
    "may might must do does did have has had".split()
)


def fnv1a(text):
    h = 0xCBF29CE484222325
    for b in text.encode():
        h = ((h ^ b) * 0x100000001B3) % (1 << 64)
    return h


def words(text):
    return [w.lower() for w in re.findall(r"[A-Za-z0-9']+", text)]


def same_stem(x, y):
    return x.rstrip("s") == y.rstrip("s") or x[:4] == y[:4]


def substitutions(path):
    """original -> Counter of (heard word, told word)."""
    chains = collections.defaultdict(dict)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            chains[row["chain"]][int(row["generation"])] = row["text"]
    by_original = collections.defaultdict(collections.Counter)
    seen = set()
    for texts in chains.values():
        original = texts[0].strip()
        for g in sorted(texts):
            if g == 0 or g - 1 not in texts or (texts[g - 1], texts[g]) in seen:
                continue
            seen.add((texts[g - 1], texts[g]))
            heard, told = words(texts[g - 1]), words(texts[g])
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, heard, told, autojunk=False).get_opcodes():
                if op != "replace" or i2 - i1 != 1 or j2 - j1 != 1:
                    continue
                x, y = heard[i1], told[j1]
                if x in FUNCTION or y in FUNCTION or x.isdigit() or y.isdigit():
                    continue
                by_original[original][(x, y)] += 1
    return by_original


def main():
    path = sys.argv[1]
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    by_original = substitutions(path)
    originals = sorted(by_original, key=lambda o: (fnv1a(o), o))
    total, reached = collections.Counter(), collections.Counter()
    for fold in range(k):
        learnt = set()
        for i, o in enumerate(originals):
            if i % k != fold:
                learnt.update(by_original[o])
        for i, o in enumerate(originals):
            if i % k == fold:
                for (x, y), n in by_original[o].items():
                    kind = "inflection" if same_stem(x, y) else "lexical"
                    total[kind] += n
                    reached[kind] += n * ((x, y) in learnt)
    for kind in ("lexical", "inflection"):
        share = reached[kind] / total[kind] if total[kind] else 0.0
        print(f"{kind:10}  {total[kind]:5} held-out substitutions, {share:6.1%} of them in the table learnt from the other folds")


if __name__ == "__main__":
    main()
