//! The metrics against an independent implementation, on non-ASCII text.
//!
//! Strings are built from grapheme clusters chosen so that the sequence of user-perceived
//! characters is known by construction (no segmentation library needed to know the answer):
//! accents both precomposed and combining (equal after NFC), CJK, emoji with ZWJ, flags.
//! The reference algorithms below are written from their textbook definitions.

use drift::lexicon::Lexicon;
use drift::metrics::Metric;
use proptest::prelude::*;

/// (text, identity): clusters with the same identity are the same character after NFC.
const CLUSTERS: &[(&str, u32)] = &[
    ("a", 1),
    ("b", 2),
    ("c", 3),
    (" ", 4),
    ("\u{e9}", 5),
    ("e\u{301}", 5),
    ("東", 6),
    ("京", 7),
    ("👩\u{200d}👩\u{200d}👧", 8),
    ("🇫🇷", 9),
    ("ß", 10),
    ("Ω", 11),
    ("n\u{303}", 12),
    ("\u{f1}", 12),
    ("😀", 13),
];

fn levenshtein(a: &[u32], b: &[u32]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(x != y)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Unrestricted Damerau–Levenshtein (Lowrance–Wagner).
fn damerau(a: &[u32], b: &[u32]) -> usize {
    use std::collections::HashMap;
    let (n, m) = (a.len(), b.len());
    let inf = n + m;
    let mut d = vec![vec![0usize; m + 2]; n + 2];
    d[0][0] = inf;
    for i in 0..=n {
        d[i + 1][0] = inf;
        d[i + 1][1] = i;
    }
    for j in 0..=m {
        d[0][j + 1] = inf;
        d[1][j + 1] = j;
    }
    let mut last_row: HashMap<u32, usize> = HashMap::new();
    for i in 1..=n {
        let mut last_col = 0;
        for j in 1..=m {
            let i1 = *last_row.get(&b[j - 1]).unwrap_or(&0);
            let j1 = last_col;
            let cost = if a[i - 1] == b[j - 1] {
                last_col = j;
                0
            } else {
                1
            };
            d[i + 1][j + 1] = (d[i][j] + cost).min(d[i + 1][j] + 1).min(d[i][j + 1] + 1).min(d[i1][j1] + (i - i1 - 1) + 1 + (j - j1 - 1));
        }
        last_row.insert(a[i - 1], i);
    }
    d[n + 1][m + 1]
}

fn jaro_winkler(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_hit = vec![false; a.len()];
    let mut b_hit = vec![false; b.len()];
    let mut matches = 0usize;
    for i in 0..a.len() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_hit[j] && a[i] == b[j] {
                a_hit[i] = true;
                b_hit[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let a_seq: Vec<u32> = a.iter().zip(&a_hit).filter(|(_, h)| **h).map(|(x, _)| *x).collect();
    let b_seq: Vec<u32> = b.iter().zip(&b_hit).filter(|(_, h)| **h).map(|(x, _)| *x).collect();
    let half_transpositions = a_seq.iter().zip(&b_seq).filter(|(x, y)| x != y).count();
    let t = (half_transpositions / 2) as f64;
    let m = matches as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - t) / m) / 3.0;
    if jaro <= 0.7 {
        return jaro;
    }
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + 0.1 * prefix * (1.0 - jaro)
}

fn dice(a: &[u32], b: &[u32]) -> f64 {
    let strip = |s: &[u32]| -> Vec<u32> { s.iter().copied().filter(|&c| c != 4).collect() };
    let (a, b) = (strip(a), strip(b));
    if a == b {
        return 1.0;
    }
    if a.len() < 2 || b.len() < 2 {
        return 0.0;
    }
    let mut pool: Vec<(u32, u32)> = a.windows(2).map(|w| (w[0], w[1])).collect();
    let mut shared = 0;
    for w in b.windows(2) {
        if let Some(k) = pool.iter().position(|&p| p == (w[0], w[1])) {
            pool.swap_remove(k);
            shared += 1;
        }
    }
    2.0 * shared as f64 / (a.len() + b.len() - 2) as f64
}

fn normalised(d: usize, a: usize, b: usize) -> f64 {
    if a.max(b) == 0 { 1.0 } else { 1.0 - d as f64 / a.max(b) as f64 }
}

fn build(ix: &[usize]) -> (String, Vec<u32>) {
    (ix.iter().map(|&i| CLUSTERS[i].0).collect(), ix.iter().map(|&i| CLUSTERS[i].1).collect())
}

fn indices() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..CLUSTERS.len(), 0..24)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn character_metrics_match_the_reference(a in indices(), b in indices()) {
        let lex = Lexicon::built_in();
        let (sa, ia) = build(&a);
        let (sb, ib) = build(&b);
        let cases = [
            (Metric::Levenshtein, normalised(levenshtein(&ia, &ib), ia.len(), ib.len())),
            (Metric::Damerau, normalised(damerau(&ia, &ib), ia.len(), ib.len())),
            (Metric::JaroWinkler, jaro_winkler(&ia, &ib)),
            (Metric::SorensenDice, dice(&ia, &ib)),
        ];
        for (metric, expected) in cases {
            let got = metric.score(&sa, &sb, &lex);
            prop_assert!((got - expected).abs() < 1e-9, "{:?}: {} vs reference {} for {:?} / {:?}", metric, got, expected, sa, sb);
        }
    }
}

#[test]
fn known_values() {
    let lex = Lexicon::built_in();
    // kitten → sitting: 3 edits over 7 characters
    assert!((Metric::Levenshtein.score("kitten", "sitting", &lex) - (1.0 - 3.0 / 7.0)).abs() < 1e-12);
    // one combining accent is one character: "naïve" vs "naive" differ by 1 of 5
    assert!((Metric::Levenshtein.score("nai\u{308}ve", "naive", &lex) - 0.8).abs() < 1e-12);
    // a family emoji is one character
    assert!((Metric::Levenshtein.score("👩\u{200d}👩\u{200d}👧!", "😀!", &lex) - 0.5).abs() < 1e-12);
    // CJK: 東京 vs 京都 — two substitutions of two
    assert!((Metric::Levenshtein.score("東京", "京都", &lex)).abs() < 1e-12);
    assert!((Metric::Damerau.score("東京", "京東", &lex) - 0.5).abs() < 1e-12);
    // customer_words: café, crème kept; brûlée lost (stop words ignored)
    let kept = Metric::CustomerWords.score("the café and the crème brûlée", "cafe\u{301} with cre\u{300}me", &lex);
    assert!((kept - 2.0 / 3.0).abs() < 1e-12, "{kept}");
    // word_levenshtein: one word of four replaced
    assert!((Metric::WordLevenshtein.score("I need them back", "I want them back", &lex) - 0.75).abs() < 1e-12);
}

proptest! {
    #[test]
    fn word_metrics_match_the_reference(a in prop::collection::vec(0usize..8, 0..12), b in prop::collection::vec(0usize..8, 0..12)) {
        const WORDS: [&str; 8] = ["the", "Café", "cafe\u{301}", "東京", "adjusters", "paperwork", "we", "need"];
        // word identities: case and NFC folded, so "Café" and "café" (combining) are one word
        let id = |i: usize| if i == 2 { 1 } else { i as u32 };
        let lex = Lexicon::built_in();
        let text = |v: &[usize]| v.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" ");
        let (ia, ib): (Vec<u32>, Vec<u32>) = (a.iter().map(|&i| id(i)).collect(), b.iter().map(|&i| id(i)).collect());
        let expected = normalised(levenshtein(&ia, &ib), ia.len(), ib.len());
        let got = Metric::WordLevenshtein.score(&text(&a), &text(&b), &lex);
        prop_assert!((got - expected).abs() < 1e-9, "{} vs {}", got, expected);
        // customer_words: distinct content words of a (stop words: "the", "we") found in b
        let content: std::collections::BTreeSet<u32> = ia.iter().copied().filter(|&w| w != 0 && w != 6).collect();
        let all: std::collections::BTreeSet<u32> = ia.iter().copied().collect();
        let wanted = if content.is_empty() { all } else { content };
        let present: std::collections::BTreeSet<u32> = ib.iter().copied().collect();
        let expected = if wanted.is_empty() { 1.0 } else { wanted.iter().filter(|w| present.contains(w)).count() as f64 / wanted.len() as f64 };
        let got = Metric::CustomerWords.score(&text(&a), &text(&b), &lex);
        prop_assert!((got - expected).abs() < 1e-9, "customer_words {} vs {}", got, expected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// The fast engine (bit-parallel, rapidfuzz) returns strsim's values on any Unicode text.
    #[test]
    fn fast_engine_matches_the_strsim_reference(a in "\\PC{0,160}", b in "\\PC{0,160}", ia in indices(), ib in indices()) {
        use drift::metrics::{Engine, Prepared};
        let lex = Lexicon::built_in();
        let (ca, _) = build(&ia);
        let (cb, _) = build(&ib);
        for (x, y) in [(a.as_str(), b.as_str()), (ca.as_str(), cb.as_str()), (a.as_str(), a.as_str())] {
            let (px, py) = (Prepared::new(x, &lex), Prepared::new(y, &lex));
            for &m in Metric::ALL {
                let fast = Engine::Fast.score(m, &px, &py);
                let reference = Engine::Reference.score(m, &px, &py);
                prop_assert!((fast - reference).abs() <= 1e-12, "{:?}: fast {} reference {} on {:?} / {:?}", m, fast, reference, x, y);
            }
        }
    }
}

#[test]
fn fast_engine_matches_on_long_messages() {
    use drift::metrics::{Engine, Prepared};
    let lex = Lexicon::built_in();
    // longer than one 64-bit word, so the blocked bit-parallel path is exercised
    let a = "We keep losing our best adjusters to paperwork. They spend hours every week typing the same claim into three systems. I need them back in the field, not stuck in the claims system.";
    let b = "Think bigger: AI-powered innovation. Mid-size companies keep haemorrhaging our top claims talent to workflow friction; I urgently need them back at the point of value. ✨ café";
    let (pa, pb) = (Prepared::new(a, &lex), Prepared::new(b, &lex));
    for &m in Metric::ALL {
        let (f, r) = (Engine::Fast.score(m, &pa, &pb), Engine::Reference.score(m, &pa, &pb));
        assert!((f - r).abs() <= 1e-12, "{m:?}: {f} vs {r}");
    }
}
