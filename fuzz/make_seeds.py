#!/usr/bin/env python3
"""Writes the seed corpora of the operators and metrics targets (fuzz/seeds/): customer
quotes with accents, combining marks, CJK, emoji sequences, right-to-left text, CRLF, lone
marks and empty text, in each target's input format (see the targets' doc comments).
The scenario target starts from scenarios/ and tests/bad_inputs/ directly."""

import pathlib
import struct

HERE = pathlib.Path(__file__).parent

QUOTES = [
    "We keep losing our best adjusters to paperwork. I need them back in the field, not stuck in the claims system.",
    "They spend hours every week typing the same claim into three systems.",
    "Naïve café owners in Zürich can’t find crème brûlée suppliers.",
    "cafe\u0301 cre\u0300me bru\u0302le\u0301e",
    "我们的理赔员每周花好几个小时在文书工作上。東京のお客様は時間がありません。",
    "Our team 👩‍👩‍👧‍👦 loves it 👍🏽 🇫🇷 — really!",
    "نحن نفقد أفضل المقيمين لدينا بسبب الأعمال الورقية.",
    "אנחנו מאבדים את השמאים הטובים ביותר שלנו.",
    "Line one.\r\nLine two, with 3.5 hours and 20% less.\r\n",
    "\u0301\u0308 a\u0301 \u20dd",
    "",
    "   \t\n ",
    "The customer journey needs a holistic, best-in-class platform that our team delivers to you.",
    "\"Quoted\" text — with dashes… (parens); semi: colon! Why? a hour, an user.",
    "1,000 claims; 3.5 hours; don't stop-gap — I'm the VP, she's the CFO.",
    "a\u200bb\u200dc\ufeff d\u00a0e",
]

# longer than 256 clusters: the fast Levenshtein's general path (more than four 64-bit blocks)
LONG = " ".join(QUOTES[:2] * 3)
LONG_ACCENTED = " ".join(QUOTES[2:4] * 4)

KINDS = 11  # the ten operators, then 10 = the whole chain


def operators():
    out = HERE / "seeds" / "operators"
    n = 0
    for q, quote in enumerate(QUOTES):
        for kind in (q % KINDS, (q + 5) % KINDS, 10):
            rate = (255, 128, 77)[n % 3]
            header = bytes([kind, rate]) + struct.pack("<Q", 7 + q) + bytes([q])
            body = quote.encode()
            if q % 3 == 0:
                body += b"\xff" + QUOTES[(q + 2) % len(QUOTES)].encode()
            (out / f"{n:03}").write_bytes(header + body)
            n += 1
    for text in (LONG, LONG_ACCENTED):
        for kind in (1, 4, 10):
            header = bytes([kind, 200]) + struct.pack("<Q", n) + bytes([n])
            (out / f"{n:03}").write_bytes(header + text.encode())
            n += 1


def metrics():
    out = HERE / "seeds" / "metrics"
    pairs = [(q, q) for q in QUOTES[:3]]
    pairs += [(QUOTES[i], QUOTES[(i + 1) % len(QUOTES)]) for i in range(len(QUOTES))]
    pairs += [
        ("café crème", "cafe\u0301 cre\u0300me"),
        ("We keep losing adjusters.", "Our platform keeps the best adjusters in the field!"),
        ("", ""),
        ("", "text"),
        ("\r\n", "\n"),
        ("👩‍👩‍👧", "👩‍👩‍👦"),
        (LONG, LONG.replace("paperwork", "administrative overhead")),
        (LONG_ACCENTED, LONG),
        (LONG, QUOTES[0]),
    ]
    for n, (a, b) in enumerate(pairs):
        (out / f"{n:03}").write_bytes(a.encode() + b"\xff" + b.encode())


if __name__ == "__main__":
    operators()
    metrics()
