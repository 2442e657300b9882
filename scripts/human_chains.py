#!/usr/bin/env python3
"""Public human transmission chains, converted to `drift calibrate`'s CSV (chain,generation,text).

Two sources, neither written by drift's team, both fetched from GitHub (git clone, or a path
to a checkout given with --gistr / --kreiss):

  * Gistr (Lerique & Roth): short quotes passed on "as accurately as possible", repository
    interpretation-experiment/analysis, experiments 1 and 3 only
    (data/codings/spreadr_exp_{1,3}/spam/sebastien-lerique.csv: id, bucket, is_root, spam, text,
    parent_text). Experiment 2 is reserved for the product owners' acceptance check and is
    never read.
  * Kreiss et al., iterated narration: ~160-word news stories retold, repository
    elisakreiss/iterated_narration, the pilot studies only (data/01_pilot/*/raw.csv: chain,
    generation, story_text, reproduction, deadend). data/02_main is reserved for the acceptance
    check and is never read. Conditions differ (control; "lawyer" and "party", where readers
    were told to retell for a purpose) and are written to separate files.

Usage:  python3 scripts/human_chains.py OUT_DIR [--gistr PATH] [--kreiss PATH]

Writes OUT_DIR/gistr-exp1.csv, gistr-exp3.csv, kreiss-control.csv, kreiss-lawyer.csv,
kreiss-party.csv. Each chain starts with its original at generation 0; the chain id names its
source, so `drift calibrate` can split folds by original (generation 0's text). The data stays
out of drift's repository (neither repository states a licence for its data).

Gistr's chains are trees: every root was passed to several people, and a few later sentences
too. Each root-to-leaf path is one chain, so generations near the root are shared by several
chains. A reply's parent is the most recent earlier sentence (by id, the creation order) whose
text is the reply's parent_text. Rows coded as spam are dropped with everything retold from
them; rows outside the `experiment` bucket (training, game) are dropped.

In Kreiss's pilots a reproduction marked `deadend` was rejected and the chain went on from the
one before it, so dead ends are dropped; each kept reproduction must have heard the previous
kept one (checked).
"""

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile

GISTR = ("https://github.com/interpretation-experiment/analysis", "72c3ed0")
KREISS = ("https://github.com/elisakreiss/iterated_narration", "a1d788e")
GISTR_FILES = {"gistr-exp1.csv": "data/codings/spreadr_exp_1/spam/sebastien-lerique.csv",
               "gistr-exp3.csv": "data/codings/spreadr_exp_3/spam/sebastien-lerique.csv"}
KREISS_PILOTS = {
    "01_psychStudents": "control",
    "03_biggerInitMTurk_Control": "control",
    "04_biggerInitMTurk_Lawyer": "lawyer",
    "05_biggerInitMTurk_Party": "party",
    "06_binEndsMTurk_Control": "control",
    "07_revised06": "control",
}


def checkout(url, commit, given, work):
    """A git directory holding `commit`: the one given, or a fresh clone."""
    if given:
        return given
    target = os.path.join(work, url.rsplit("/", 1)[1])
    subprocess.run(["git", "clone", "--quiet", "--bare", url, target], check=True)
    return target


def show(repo, commit, path):
    """The file at `path` as of `commit` (the version these conversions were checked on)."""
    git_dir = repo if os.path.isdir(os.path.join(repo, "objects")) else os.path.join(repo, ".git")
    return subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"], check=True, capture_output=True, text=True).stdout


def clean(text):
    return " ".join(text.split())


def gistr_chains(rows):
    rows = sorted(rows, key=lambda r: int(r["id"]))
    by_text, parent, keep = {}, {}, {}
    for r in rows:
        i = r["id"]
        if r["is_root"] == "True":
            parent[i] = None
        else:
            earlier = by_text.get(r["parent_text"], [])
            parent[i] = earlier[-1] if earlier else "missing"
        by_text.setdefault(r["text"], []).append(i)
        ok = r["bucket"] == "experiment" and r["spam"] == "0"
        keep[i] = ok and (parent[i] is None or keep.get(parent[i], False))
    text = {r["id"]: clean(r["text"]) for r in rows}
    children = {}
    for i, p in parent.items():
        if keep[i] and p is not None:
            children.setdefault(p, []).append(i)
    chains = []
    for i in [r["id"] for r in rows]:
        if keep[i] and not children.get(i) and parent[i] is not None:
            path = [i]
            while parent[path[-1]] is not None:
                path.append(parent[path[-1]])
            chains.append([text[k] for k in reversed(path)])
    return chains


def kreiss_chains(rows):
    by_chain = {}
    for r in rows:
        if r["deadend"] != "true":
            by_chain.setdefault(r["chain"], []).append(r)
    chains = []
    for key in sorted(by_chain, key=lambda c: (len(c), c)):
        kept = sorted(by_chain[key], key=lambda r: (int(r["generation"]), r["startTime"]))
        texts = [clean(kept[0]["story_text"])]
        for r in kept:
            if clean(r["story_text"]) != texts[-1]:
                sys.exit(f"Kreiss chain {key}: generation {r['generation']} heard a text that is not the previous one")
            texts.append(clean(r["reproduction"]))
        chains.append((kept[0]["story_title"], texts))
    return chains


def write(path, named_chains):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["chain", "generation", "text"])
        for name, texts in named_chains:
            for g, t in enumerate(texts):
                w.writerow([name, g, t])
    print(f"{path}: {len(named_chains)} chains, {sum(len(t) - 1 for _, t in named_chains)} retellings")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out")
    p.add_argument("--gistr")
    p.add_argument("--kreiss")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        gistr = checkout(*GISTR, a.gistr, work)
        for name, path in GISTR_FILES.items():
            rows = list(csv.DictReader(io.StringIO(show(gistr, GISTR[1], path))))
            chains = gistr_chains(rows)
            write(os.path.join(a.out, name), [(f"{name[:-4]}-{k}", c) for k, c in enumerate(chains)])
        kreiss = checkout(*KREISS, a.kreiss, work)
        by_condition = {}
        for pilot, condition in KREISS_PILOTS.items():
            rows = list(csv.DictReader(io.StringIO(show(kreiss, KREISS[1], f"data/01_pilot/{pilot}/raw.csv"))))
            for title, texts in kreiss_chains(rows):
                by_condition.setdefault(condition, []).append((f"{pilot}-{title}-{len(by_condition.get(condition, []))}", texts))
        for condition, chains in by_condition.items():
            write(os.path.join(a.out, f"kreiss-{condition}.csv"), chains)


if __name__ == "__main__":
    main()
