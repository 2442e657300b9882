#!/usr/bin/env python3
"""Builds assets/chance/sentences.txt: 200 English sentences unrelated to any customer's words,
against which drift measures each metric's chance line (the median score of unrelated text).

Source (CC0 1.0, public domain dedication; see assets/chance/README.md):
  Mozilla Common Voice's English Sentence Collector export, `sentence-collector.txt`, as copied
  into the GitHub repository reinhart1010/common-text at commit
  332b5b9073339fa62ca6d39d6df4836e1063ee04, path stats/en/raw/sentence-collector.txt, next to
  stats/en/raw/LICENSE (CC0 1.0 Universal). Upstream: common-voice/common-voice,
  server/data/en/sentence-collector.txt.

Usage:  python3 scripts/chance_sentences.py SOURCE [OUT]
  SOURCE  either the file sentence-collector.txt itself, or a git directory (bare or not) of
          reinhart1010/common-text that has the commit above; the file is then read with
          `git show COMMIT:PATH`.
  OUT     default assets/chance/sentences.txt (relative to the repository root)

The SHA-256 of the source file is checked before anything is read from it. The selection is
deterministic (no randomness): the source's lines are filtered, deduplicated, and every k-th
eligible sentence is taken so that the 200 are spread evenly over the whole file. Standard
library only, plus `git` when SOURCE is a git directory. The output is committed, so nobody
building drift runs this; it is here so that the list can be rebuilt and checked.
"""
import hashlib, os, re, subprocess, sys

COMMIT = '332b5b9073339fa62ca6d39d6df4836e1063ee04'
PATH = 'stats/en/raw/sentence-collector.txt'
SHA = '168b459ab828029175a68cd1352c95c4129fc0cc40aceb295805b4e7abf97106'
COUNT = 200
MIN_WORDS, MAX_WORDS = 8, 45
APOSTROPHE = re.compile(r"(?<=[A-Za-z])'(?:s|t|re|ve|ll|d|m)?(?![A-Za-z])")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Words that mark a line as a piece of dialogue or a reported speech act rather than plain prose.
DIALOGUE = {
    'said', 'says', 'say', 'asked', 'asks', 'replied', 'replies', 'answered', 'answers',
    'cried', 'exclaimed', 'murmured', 'whispered', 'returned', 'returns', 'observed',
    'observes', 'added', 'retorted', 'muttered', 'shouted', 'sir', 'madam', 'ma\'am', 'miss',
    'mr', 'mrs', 'oh', 'ah', 'yes', 'hello', 'please', 'thank', 'thanks', 'dear',
    'darling', 'you', 'your', "you're", "you've", "you'll", "you'd", 'yours', 'yourself',
}


def read_source(source):
    if os.path.isdir(source):
        data = subprocess.run(['git', f'--git-dir={git_dir(source)}', 'show', f'{COMMIT}:{PATH}'],
                              check=True, capture_output=True).stdout
    else:
        with open(source, 'rb') as f:
            data = f.read()
    got = hashlib.sha256(data).hexdigest()
    if got != SHA:
        sys.exit(f'{source}: SHA-256 {got}, expected {SHA} (not the pinned sentence-collector.txt)')
    return data.decode('utf-8')


def git_dir(path):
    dot_git = os.path.join(path, '.git')
    return dot_git if os.path.exists(dot_git) else path


def eligible(line):
    """The sentence, tidied, if it is plain prose of the wanted length; else None."""
    s = ' '.join(line.split())
    if not s or not s.isascii():
        return None
    words = s.split(' ')
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return None
    # One declarative sentence: a capital letter first, a single full stop last, none inside
    # (which also keeps out abbreviations such as "Mr." and "St.").
    if not re.fullmatch(r"[A-Z][A-Za-z0-9 ,;:'\-]*[a-z]\.", s):
        return None
    # Apostrophes only inside or at the end of words (don't, James's, the boys'), never quoting.
    if s.count("'") != len(APOSTROPHE.findall(s)):
        return None
    # No shouting or headings: at most the first letter of each word is a capital.
    if any(sum(c.isupper() for c in w) > 1 for w in words):
        return None
    lower = [w.strip(",;:.").lower() for w in words]
    if any(w in DIALOGUE for w in lower):
        return None
    # Mostly ordinary lower-case words: not a list of names or titles.
    if sum(w[0].isupper() for w in words[1:]) > len(words) // 4:
        return None
    return s


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.split('\n\n')[2])
    out = sys.argv[2] if len(sys.argv) == 3 else os.path.join(ROOT, 'assets', 'chance', 'sentences.txt')
    text = read_source(sys.argv[1])
    seen, pool = set(), []
    for line in text.splitlines():
        s = eligible(line)
        if s and s.lower() not in seen:
            seen.add(s.lower())
            pool.append(s)
    if len(pool) < COUNT:
        sys.exit(f'only {len(pool)} eligible sentences, need {COUNT}')
    step = len(pool) / COUNT
    chosen = [pool[int(i * step + step / 2)] for i in range(COUNT)]
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, 'w', encoding='utf-8', newline='\n') as f:
        f.write('\n'.join(chosen) + '\n')
    print(f'{len(text.splitlines())} source lines, {len(pool)} eligible, {COUNT} written to {out} '
          f'(every {step:.1f}th)')


if __name__ == '__main__':
    main()
