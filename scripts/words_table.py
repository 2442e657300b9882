#!/usr/bin/env python3
"""Builds assets/words/words.bin.z, the word table behind drift's `meaning` metric.

What goes in, both fetched from package registries and checked by SHA-256:
  * WordNet 3.0, Debian's `wordnet-base` (data.*, index.*, *.exc; licence: WordNet 3.0,
    copyright 2006 Princeton University, see assets/words/LICENSE-WordNet.txt);
  * word counts from SymSpell's `frequency_dictionary_en_82_765.txt`, as shipped in the PyPI
    wheel symspellpy 6.10.1 (file MIT; counts from Google Books Ngram, CC BY 3.0).

Usage:  python3 scripts/words_table.py [WORK_DIR]
        (WORK_DIR keeps the downloads; default /tmp/drift-words; DRIFT_SENSES=N keeps each
        word's N commonest senses per part of speech instead of 3, as the README's comparison
        of 1, 2, 3, 5 and all senses was made)

It needs apt-get (for `apt-get download`, no root) and pip. The output is committed, so
nobody building drift runs this; it is here so that the table can be rebuilt and checked.

The table, before zlib compression (all integers little-endian, lists as LEB128 varints):
  b"DRIFTWORDS2\n"
  u32 word count W, u32 synset count S
  W words: u8 byte length + UTF-8 bytes, sorted by bytes
  W bytes: informativeness, 0-255 (255 = rarest; see idf_byte)
  W lemma lists: count, then word ids (a word's WordNet base forms; empty = none)
  W synset lists: count, then ids delta-coded (the word's senses, as a lemma)
  W related lists: count, then ids delta-coded (synsets one link away from those senses:
    hypernym, derivation, similar-to, pertainym, also-see, attribute)
  W x 4 tag counts: how often the word, as a base form, was tagged as a noun, verb,
    adjective and adverb in WordNet's sense-tagged corpus (cntlist.rev), capped at 65535
  W bytes: the parts of speech WordNet lists the base form under (bit 0 noun, 1 verb,
    2 adjective, 3 adverb)
  W bytes: how surely the commonest sense is meant, 0-255 (its share of the tagged uses in
    the commonest part of speech; 255 when that part of speech has one sense)
  W synonym lists: count, then word ids, commonest first (the other one-word base forms of
    the word's commonest sense in its commonest part of speech that are frequent words and
    have that sense as their own commonest, in the same part of speech)
"""
import hashlib, math, os, re, struct, subprocess, sys, zlib, zipfile, glob

TOP = 50_000  # the most frequent words kept (and their base forms)
SENSES = int(os.environ.get('DRIFT_SENSES', '3'))  # each word's commonest senses kept, per part of speech
SHA = {
    'data.noun': None, 'data.verb': None, 'data.adj': None, 'data.adv': None,
}
DEB_SHA = '61060d960f9ada8fa120872312eccd3ecebfbab8c4579e4f5a74e1cf67620752'
FREQ_SHA = '68e9dc81c7e73bd7310b57e516ecaea0d8b6387ff71344a57c04174650a407a7'
POS = {'n': 'noun', 'v': 'verb', 'a': 'adj', 'r': 'adv'}
PCODE = {'n': 0, 'v': 1, 'a': 2, 's': 2, 'r': 3}
RULES = {
    'n': [('s', ''), ('ses', 's'), ('xes', 'x'), ('zes', 'z'), ('ches', 'ch'), ('shes', 'sh'), ('men', 'man'), ('ies', 'y')],
    'v': [('s', ''), ('ies', 'y'), ('es', 'e'), ('es', ''), ('ed', 'e'), ('ed', ''), ('ing', 'e'), ('ing', '')],
    'a': [('er', ''), ('est', ''), ('er', 'e'), ('est', 'e')],
    'r': [],
}
# pointers that make two senses "related": hypernym (and instance), derivation, similar-to,
# pertainym, also-see, attribute. Hyponyms are the inverse of hypernyms: drift checks links
# both ways, so storing one direction is enough.
RELATED = {'@', '@i', '+', '&', '\\', '^', '='}


def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()


def fetch(work):
    os.makedirs(work, exist_ok=True)
    debs = glob.glob(f'{work}/wordnet-base_*.deb')
    if not debs:
        subprocess.run(['apt-get', 'download', 'wordnet-base'], cwd=work, check=True)
        debs = glob.glob(f'{work}/wordnet-base_*.deb')
    deb = debs[0]
    if sha256(deb) != DEB_SHA:
        sys.exit(f'{deb}: not the wordnet-base 1:3.0-37 this table was built from (SHA-256 differs)')
    if not os.path.exists(f'{work}/deb/usr/share/wordnet/data.noun'):
        subprocess.run(['dpkg-deb', '-x', deb, f'{work}/deb'], check=True)
    freq = f'{work}/frequency_dictionary_en_82_765.txt'
    if not os.path.exists(freq):
        subprocess.run([sys.executable, '-m', 'pip', 'download', '--no-deps', '-d', work, 'symspellpy==6.10.1'], check=True)
        wheel = glob.glob(f'{work}/symspellpy-6.10.1-*.whl')[0]
        with zipfile.ZipFile(wheel) as z, open(freq, 'wb') as out:
            out.write(z.read('symspellpy/frequency_dictionary_en_82_765.txt'))
    if sha256(freq) != FREQ_SHA:
        sys.exit(f'{freq}: not the frequency list this table was built from (SHA-256 differs)')
    return f'{work}/deb/usr/share/wordnet', freq


def read_wordnet(wn):
    synsets = {}  # (pcode, offset) -> (words, [(symbol, (pcode, offset))])
    for p, name in POS.items():
        for line in open(f'{wn}/data.{name}', encoding='latin-1'):
            if line.startswith('  '):
                continue
            b = line.split(' | ')[0].split()
            count = int(b[3], 16)
            words = [re.sub(r'\(.*\)$', '', b[4 + 2 * i].lower()) for i in range(count)]
            i = 4 + 2 * count
            pointers = []
            for _ in range(int(b[i])):
                sym, target, tpos, _st = b[i + 1:i + 5]
                i += 4
                pointers.append((sym, (PCODE[tpos], int(target))))
            synsets[(PCODE[p], int(b[0]))] = (words, pointers)
    index = {}  # (lemma, pcode) -> [offsets, most frequent sense first]
    for p, name in POS.items():
        for line in open(f'{wn}/index.{name}', encoding='latin-1'):
            if line.startswith('  '):
                continue
            f = line.split()
            index[(f[0], PCODE[p])] = [int(x) for x in f[4 + int(f[3]) + 2:]]
    exceptions = {}
    for p, name in POS.items():
        for line in open(f'{wn}/{name}.exc', encoding='latin-1'):
            f = line.split()
            exceptions.setdefault((f[0], p), []).extend(f[1:])
    tags = {}  # (lemma, pcode) -> tagged occurrences in the sense-tagged corpus
    first = {}  # (lemma, pcode) -> tagged occurrences of its first sense
    for line in open(f'{wn}/cntlist.rev', encoding='latin-1'):
        key, number, count = line.split()
        lemma, rest = key.split('%')
        pc = PCODE['nvars'[int(rest[0]) - 1]]
        tags[(lemma, pc)] = tags.get((lemma, pc), 0) + int(count)
        if number == '1':
            first[(lemma, pc)] = first.get((lemma, pc), 0) + int(count)
    return synsets, index, exceptions, tags, first


def morphy(word, index, exceptions):
    """Every WordNet base form of `word`, over all parts of speech (WordNet's morphy rules and
    exception lists, all hits kept, as no part-of-speech tagger runs)."""
    out = set()
    for p in POS:
        pc = PCODE[p]
        candidates = list(exceptions.get((word, p), [])) + [word]
        if not (p == 'n' and (word.endswith('ss') or len(word) <= 2)):
            for suffix, ending in RULES[p]:
                if word.endswith(suffix) and len(word) > len(suffix):
                    candidates.append(word[:-len(suffix)] + ending)
        out.update(c for c in candidates if (c, pc) in index)
    return out


def varint(n):
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)


def id_list(ids, delta):
    out = bytearray(varint(len(ids)))
    previous = 0
    for i in ids:
        out += varint(i - previous if delta else i)
        if delta:
            previous = i
    return bytes(out)


def main():
    work = sys.argv[1] if len(sys.argv) > 1 else '/tmp/drift-words'
    wn, freq_path = fetch(work)
    synsets, index, exceptions, tags, first_tags = read_wordnet(wn)
    counts = {}
    for line in open(freq_path, encoding='utf-8'):
        w, c = line.split()
        counts.setdefault(w.lower(), int(c))
    total = sum(counts.values())
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    kept = set(ranked[:TOP])
    # inflected forms WordNet lists as exceptions, when their base form is a frequent word
    for (form, _p), bases in exceptions.items():
        if '_' not in form and any(b in kept for b in bases):
            kept.add(form)
    lemmas = {w: sorted(morphy(w, index, exceptions)) for w in kept}
    words = set(kept)
    for ls in lemmas.values():
        words.update(ls)
    words = sorted(w for w in words if '_' not in w and 0 < len(w.encode()) < 256)
    ids = {w: i for i, w in enumerate(words)}
    senses, related = {}, {}
    for w in words:
        s, r = set(), set()
        for pc in range(4):
            for off in index.get((w, pc), [])[:SENSES]:
                s.add((pc, off))
                for sym, target in synsets[(pc, off)][1]:
                    if sym in RELATED:
                        r.add(target)
        if s:
            senses[w], related[w] = s, r
    used = sorted(set().union(*senses.values(), *related.values()))
    synset_id = {k: i for i, k in enumerate(used)}
    max_idf = math.log(total / 1.0e4)

    def idf_byte(w):
        c = counts.get(w)
        idf = min(math.log(total / c), max_idf) if c else max_idf
        return round(255 * idf / max_idf)

    out = bytearray(b'DRIFTWORDS2\n')
    out += struct.pack('<II', len(words), len(used))
    for w in words:
        b = w.encode()
        out += bytes([len(b)]) + b
    out += bytes(idf_byte(w) for w in words)
    for w in words:
        out += id_list([ids[l] for l in lemmas.get(w, []) if l in ids], delta=False)
    for w in words:
        out += id_list(sorted(synset_id[k] for k in senses.get(w, ())), delta=True)
    for w in words:
        out += id_list(sorted(synset_id[k] for k in related.get(w, ())), delta=True)
    # the commonest part of speech of each base form: most tagged, then most senses, then
    # noun, verb, adjective, adverb
    def dominant(w):
        options = [pc for pc in range(4) if (w, pc) in index]
        if not options:
            return None
        return max(options, key=lambda pc: (tags.get((w, pc), 0), len(index[(w, pc)]), -pc))

    # a word stands in for another only where that sense is its own commonest one too in
    # the same part of speech ("client" for "customer", never "job" for "problem")
    def common(sense, w):
        pc = sense[0]
        found = [c for c in synsets[sense][0]
                 if c != w and '_' not in c and c in kept and c in ids
                 and dominant(c) == pc and (c, pc) in index and (pc, index[(c, pc)][0]) == sense]
        return sorted(set(found), key=lambda c: (-counts.get(c, 0), c))

    synonyms = {}
    for w in words:
        pc = dominant(w)
        if pc is None:
            continue
        first = (pc, index[(w, pc)][0])
        synonyms[w] = common(first, w)
    for w in words:
        out += b''.join(varint(min(tags.get((w, pc), 0), 65535)) for pc in range(4))
    out += bytes(sum(1 << pc for pc in range(4) if (w, pc) in index) for w in words)

    # how surely the commonest sense is what the word means: its share of the word's tagged
    # uses in its commonest part of speech (255 when that part of speech has one sense only,
    # 0 when it was never tagged)
    def dominance(w):
        pc = dominant(w)
        if pc is None:
            return 0
        if len(index[(w, pc)]) == 1:
            return 255
        total = tags.get((w, pc), 0)
        return round(255 * first_tags.get((w, pc), 0) / total) if total else 0
    out += bytes(dominance(w) for w in words)
    for w in words:
        out += id_list([ids[c] for c in synonyms.get(w, [])], delta=False)
    packed = zlib.compress(bytes(out), 9)
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'assets', 'words', 'words.bin.z')
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, 'wb') as f:
        f.write(packed)
    print(f'{len(words)} words, {len(used)} synsets, {len(senses)} with senses; '
          f'{len(out)} bytes, {len(packed)} compressed -> {os.path.normpath(target)}')


if __name__ == '__main__':
    main()
