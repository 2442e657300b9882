#!/usr/bin/env python3
"""How often a link-grammar parser fails on drift's retold sentences, against people's.

For every chain of a `drift calibrate` CSV (from scripts/human_chains.py), drift retells the
chain's original as many times as people did, with one preset (`drift run`, one run per
chain, seed = the chain's number). The sentences of people's retellings (generation 1 and
later, each distinct text once) and of drift's are each parsed by link-grammar's
`link-parser`; a sentence it cannot link whole ("No complete linkages found", or no
linkage within a minute) counts as broken. The originals are parsed too, as the parser's own
baseline on well-edited text.

Usage:  python3 scripts/parse_share.py DATA.csv PRESET [DRIFT_BINARY] [--sample N]

Needs link-grammar (Debian: apt-get install link-grammar). Sentences are split the same way
on both sides (after . ! or ? followed by a space); at most N sentences a side are parsed
(default 1500, a seeded sample), since the parser takes a few milliseconds a sentence.
"""

import argparse
import collections
import csv
import json
import os
import random
import re
import subprocess
import sys
import tempfile


def sentences(text):
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.replace("\n", " ")) if len(s.split()) >= 3]


def broken_share(lines):
    """The share of `lines` link-parser cannot link whole, and how many lines were parsed.

    One parser reads them all, echoing each line before its verdict, so every verdict is
    pinned to its line. Only complete linkages are looked for (no null-link search), with a
    generous time limit: with a short one the verdict on a long sentence depended on how
    busy the machine was, and on the order of the lines.
    """
    if not lines:
        return 0.0, 0
    # "!" at a line start is a parser command, and the echo must match line for line
    clean = [" ".join(s.replace("!", ".").split()) for s in lines]
    out = subprocess.run(
        ["link-parser", "-graphics=0", "-verbosity=1", "-timeout=60", "-null=0", "-echo=1"],
        input="\n".join(clean) + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    broken, at = [False] * len(clean), -1
    for line in out.splitlines():
        if at + 1 < len(clean) and line.strip() == clean[at + 1]:
            at += 1
        elif at >= 0 and line.startswith(("No complete linkages", "Timer is expired")):
            broken[at] = True
    if at + 1 != len(clean):
        sys.exit(f"link-parser echoed {at + 1} of {len(clean)} lines")
    return sum(broken) / len(clean), len(clean)


def drift_retellings(binary, chains, preset):
    texts = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, gens) in enumerate(sorted(chains.items())):
            hops = max(gens)
            if hops < 1:
                continue
            scenario = os.path.join(tmp, "s.yaml")
            with open(scenario, "w") as f:
                f.write(f"version: 1\nname: c\nseed: {n + 1}\nruns: 1\ncustomer:\n  said: {json.dumps(gens[0])}\nchain:\n")
                f.write("".join(f"  - role: r{i}\n    preset: {preset}\n" for i in range(hops)))
            subprocess.run(
                [binary, "run", scenario, "--quiet", "--no-charts", "--no-counterfactual", "--out", tmp],
                capture_output=True,
                check=True,
            )
            with open(os.path.join(tmp, "c", "summary.json")) as f:
                texts.extend(h["text"] for h in json.load(f)["trace"])
    return texts


def main():
    parser = argparse.ArgumentParser(description="link-grammar's broken-sentence share, people against drift")
    parser.add_argument("data", help="a drift calibrate CSV")
    parser.add_argument("preset", help="the preset drift retells with")
    parser.add_argument("binary", nargs="?", default="drift", help="the drift binary (default: drift on PATH)")
    parser.add_argument("--sample", type=int, default=1500, help="most sentences parsed a side (default 1500)")
    args = parser.parse_args()
    data, preset, binary, sample = args.data, args.preset, args.binary, args.sample
    chains = collections.defaultdict(dict)
    with open(data, newline="") as f:
        for row in csv.DictReader(f):
            chains[row["chain"]][int(row["generation"])] = row["text"]
    originals = sorted({g[0] for g in chains.values()})
    people = sorted({t for g in chains.values() for k, t in g.items() if k >= 1})
    drift = drift_retellings(binary, chains, preset)
    rng = random.Random(1)
    for label, texts in (("originals", originals), ("people", people), (f"drift ({preset})", drift)):
        lines = [s for t in texts for s in sentences(t)]
        if len(lines) > sample:
            lines = rng.sample(lines, sample)
        share, n = broken_share(lines)
        print(f"{label:20} {n:5} sentences, {share:6.1%} not fully parsed")


if __name__ == "__main__":
    main()
