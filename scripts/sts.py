#!/usr/bin/env python3
"""How well drift's metrics track people's judgements of meaning: Spearman's rank correlation
between each metric and the STS Benchmark's human similarity ratings (0-5), on its train and
dev splits.

The STS Benchmark's test split is reserved for the product owners' acceptance check: this
script never reads it. The data stays out of drift's repository; the script reads it from a
checkout of PhilipMay/stsb-multi-mt (its `data/stsb-en-{train,dev}.csv`: sentence1,
sentence2, score, no header), cloned next to drift when not given:

    python3 scripts/sts.py [PATH-TO-stsb-multi-mt] [--drift PATH-TO-drift]

It writes each split as a `customer,message,score` table to a temporary folder, scores it
with `drift score --pairs`, and prints a Markdown table: per metric, Spearman on train, on
dev, and on the dev pairs that share no sentence with train (held out by original text), and
the score of unrelated text (each dev sentence against the second sentence of the
pair half the split away: median and 90th percentile), the floor a similarity never falls
below by chance. Only the Python standard library is needed.
"""

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
import unicodedata

SPLITS = ("train", "dev")
REPOSITORY = "https://github.com/PhilipMay/stsb-multi-mt"


def ranks(values):
    """Ranks from 1, ties given the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(xs, ys):
    """Pearson's correlation of the ranks."""
    rx, ry = ranks(xs), ranks(ys)
    n = len(rx)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5 if vx and vy else float("nan")


def printable(text):
    """The text without control characters (one train pair holds a U+0012, which drift, like a
    terminal, would not take)."""
    return "".join(c for c in text if unicodedata.category(c) != "Cc" or c in "\t\n")


def split_table(data, split):
    """The split as a customer,message,score table (rows with an empty sentence dropped,
    control characters removed)."""
    path = os.path.join(data, "data", f"stsb-en-{split}.csv")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["customer", "message", "score"])
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.reader(f):
            if len(row) == 3 and row[0].strip() and row[1].strip():
                writer.writerow([printable(row[0]), printable(row[1]), row[2]])
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("data", nargs="?", default=os.path.join(os.path.dirname(here), "stsb-multi-mt"))
    parser.add_argument("--drift", default=os.path.join(here, "target", "release", "drift"))
    args = parser.parse_args()
    if not os.path.isdir(args.data):
        subprocess.run(["git", "clone", "--depth", "1", REPOSITORY, args.data], check=True)
    if not os.path.exists(args.drift):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=here, check=True)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:

        def scored(name, table_text):
            table = os.path.join(tmp, name)
            with open(table, "w", newline="", encoding="utf-8") as f:
                f.write(table_text)
            out = subprocess.run([args.drift, "score", "--pairs", table], check=True, capture_output=True, text=True).stdout
            return list(csv.DictReader(io.StringIO(out)))

        for split in SPLITS:
            rows = scored(f"sts-{split}.csv", split_table(args.data, split))
            human = [float(r["score"]) for r in rows]
            metrics = [c for c in rows[0].keys() if c not in ("customer", "message", "score")]
            results[split] = (len(rows), {m: spearman([float(r[m]) for r in rows], human) for m in metrics})
        # held out by original: the dev pairs neither of whose sentences is in train (the
        # benchmark splits by pair, and some sentences recur across its splits)
        train_sentences = {s for row in csv.reader(io.StringIO(split_table(args.data, "train"))) for s in row[:2]}
        dev_rows = scored("sts-dev.csv", split_table(args.data, "dev"))
        unseen = [r for r in dev_rows if r["customer"] not in train_sentences and r["message"] not in train_sentences]
        human = [float(r["score"]) for r in unseen]
        results["unseen"] = (len(unseen), {m: spearman([float(r[m]) for r in unseen], human) for m in results["dev"][1]})
        # unrelated pairs: each dev sentence against the second sentence of the pair half the
        # split away, which is about something else
        dev = list(csv.reader(io.StringIO(split_table(args.data, "dev"))))[1:]
        half = len(dev) // 2
        shuffled = io.StringIO()
        writer = csv.writer(shuffled)
        writer.writerow(["customer", "message", "score"])
        for i, row in enumerate(dev):
            writer.writerow([row[0], dev[(i + half) % len(dev)][1], ""])
        unrelated = scored("sts-dev-unrelated.csv", shuffled.getvalue())
    metrics = list(results[SPLITS[0]][1].keys())
    print(
        "| metric | Spearman, train (%d pairs) | Spearman, dev (%d pairs) | dev, no sentence in train (%d pairs) | unrelated pairs: median (p90) |"
        % (results["train"][0], results["dev"][0], results["unseen"][0])
    )
    print("|---|---|---|---|---|")
    for m in metrics:
        values = sorted(float(r[m]) for r in unrelated)
        median, p90 = values[len(values) // 2], values[int(len(values) * 0.9)]
        print(f"| `{m}` | {results['train'][1][m]:.3f} | {results['dev'][1][m]:.3f} | {results['unseen'][1][m]:.3f} | {median:.2f} ({p90:.2f}) |")


if __name__ == "__main__":
    sys.exit(main())
