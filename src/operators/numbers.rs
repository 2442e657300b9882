//! How people pass numbers on: they round them ("37" → "about 40"), make them vague ("17
//! million" → "millions", "three weeks" → "a few weeks"), misremember them ("13" → "14") or
//! write them the other way ("three" → "3", "10" → "ten"). With probability `rate` each
//! number a hop meets changes one of these ways.
//!
//! Left alone: years ("in 2017"), days of a month ("January 15"), decimals and percentages,
//! "one" (a singular would turn plural), and a number that is half of a fixed phrase ("half
//! a million"). Unlike `amplify`, which inflates numbers to make a point, this is memory:
//! rounding goes either way, and vague words stand for the same order of magnitude.

use rand::RngExt;

use super::{Edit, OperatorKind, Stream, finish};
use crate::text::Text;

/// The shares of rounding, of making vague and of misremembering; the rest is writing the
/// number the other way. Judgement, from people's retellings (Kreiss et al.'s pilots:
/// amounts become "millions", ages are rounded or shift by one; Gistr's quotes: "three"
/// becomes "3" and "10" "ten" more often than any word is replaced by another).
const ROUND_SHARE: f64 = 0.3;
const VAGUE_SHARE: f64 = 0.2;
const MISREMEMBER_SHARE: f64 = 0.2;

/// Words that make the number after them approximate already.
const APPROXIMATORS: &[&str] =
    &["about", "almost", "approximately", "around", "nearly", "over", "roughly", "some", "under", "up", "than", "least", "most"];

const MONTHS: &[&str] =
    &["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/// Number words this operator reads and writes, by value.
const WORDS: &[(&str, u64)] = &[
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("fifteen", 15),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("hundred", 100),
];


/// `numbers` in the registry.
pub const DEFINITION: super::Definition = super::Definition {
    name: "numbers",
    summary: "rounds numbers, makes them vague or misremembers them: 37 → about 40, 17 million → millions",
    text_param: None,
    number_params: &[],
    apply: run,
};

fn run(text: &mut Text, how: &super::Applied, _: &super::Context, rng: &mut super::Stream) -> Vec<super::Edit> {
    apply(text, how.rate, rng)
}

pub fn apply(text: &mut Text, rate: f64, rng: &mut Stream) -> Vec<Edit> {
    if rate <= 0.0 {
        return Vec::new();
    }
    let mut edits = Vec::new();
    let mut i = 0;
    while i < text.words.len() {
        let Some(number) = read(text, i) else {
            i += 1;
            continue;
        };
        if !rng.random_bool(rate) {
            i += 1;
            continue;
        }
        let roll = rng.random::<f64>();
        // "nearly three weeks" is vague already: only misremembered
        let approximate = i > 0 && APPROXIMATORS.contains(&text.words[i - 1].text.to_ascii_lowercase().as_str());
        let change = if approximate {
            misremember(&number, rng)
        } else if roll < ROUND_SHARE {
            round(&number)
        } else if roll < ROUND_SHARE + VAGUE_SHARE {
            vague(text, i, &number)
        } else if roll < ROUND_SHARE + VAGUE_SHARE + MISREMEMBER_SHARE {
            misremember(&number, rng)
        } else {
            respell(&number, text.starts_sentence(i))
        };
        let Some((replacement, span)) = change else {
            i += 1;
            continue;
        };
        let end = i + span;
        let before = text.span_text(i, end);
        let starts = text.starts_sentence(i);
        let after = if starts { crate::text::capitalise(&replacement).to_string() } else { replacement };
        if before.as_str() == after {
            i = end;
            continue;
        }
        let n = text.splice(i, end, &after);
        edits.push(Edit::new(OperatorKind::Numbers, before, after.as_str()));
        i += n.max(1);
    }
    finish(text, edits)
}

/// A number as written: its value, whether in digits, and the scale word after it
/// ("million"), if any.
#[derive(Debug, Clone, PartialEq)]
struct Number {
    value: u64,
    digits: bool,
    /// "thousand", "million" or "billion" right after it.
    scale: Option<&'static str>,
    /// Written with thousands separators ("60,000").
    commas: bool,
}

/// The number at word `i`, when it is one this operator changes.
fn read(text: &Text, i: usize) -> Option<Number> {
    let word = text.words[i].text.as_str();
    let lower = word.to_ascii_lowercase();
    let (value, digits) = if word.chars().all(|c| c.is_ascii_digit() || c == ',') && word.starts_with(|c: char| c.is_ascii_digit()) {
        if word.contains(',') && !valid_commas(word) {
            return None;
        }
        (word.replace(',', "").parse::<u64>().ok()?, true)
    } else {
        (WORDS.iter().find(|(w, _)| *w == lower)?.1, false)
    };
    let previous = i.checked_sub(1).map(|p| text.words[p].text.to_ascii_lowercase());
    let is_year = digits && !word.contains(',') && (1000..=2100).contains(&value);
    let is_day = previous.as_deref().is_some_and(|p| MONTHS.contains(&p));
    // "half a million", "one in three": the number is part of a phrase
    let fixed = previous.as_deref().is_some_and(|p| matches!(p, "a" | "in" | "of" | "per" | "number"));
    // "12.5" and "50%" and "3-0" are written with the number's word: the gap says so
    let gap = text.words[i].gap.as_str();
    let attached = gap.starts_with(['.', '%', '-', '/', ':']) && !gap.starts_with(". ") && gap != ".";
    // "12 and 13 years old", "10 to 15": a number beside another is a pair or a range
    let is_number = |k: usize| text.words.get(k).is_some_and(crate::analysis::is_number);
    let paired = |k: usize| text.words.get(k).is_some_and(|w| matches!(w.text.to_ascii_lowercase().as_str(), "and" | "or" | "to"));
    let in_pair = (i >= 2 && paired(i - 1) && is_number(i - 2)) || (paired(i + 1) && is_number(i + 2));
    if value < 2 || is_year || is_day || fixed || attached || in_pair {
        return None;
    }
    let scale = text.words.get(i + 1).and_then(|w| {
        let w = w.text.to_ascii_lowercase();
        ["thousand", "million", "billion"].into_iter().find(|s| *s == w)
    });
    Some(Number { value, digits, scale, commas: word.contains(',') })
}

fn valid_commas(word: &str) -> bool {
    let groups: Vec<&str> = word.split(',').collect();
    groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)
}

/// How many words the number takes: itself, and its scale word.
fn span(n: &Number) -> usize {
    1 + usize::from(n.scale.is_some())
}

/// The value rounded to one significant figure (two from 100 on, where one would move it by
/// up to half), as "about …"; `None` when it is round already.
fn round(n: &Number) -> Option<(String, usize)> {
    let v = n.value;
    let magnitude = 10u64.pow(v.ilog10());
    let step = if v >= 100 && v / magnitude < 3 { magnitude / 10 } else { magnitude };
    let rounded = (v + step / 2) / step * step;
    if rounded == v || v < 10 {
        return None;
    }
    Some((format!("about {}", write(rounded, n)), span(n)))
}

/// The order of magnitude in words: "millions", "hundreds", "tens of thousands", "a few",
/// when the number counts something ("17 million bees", "three weeks") rather than standing
/// alone.
fn vague(text: &Text, i: usize, n: &Number) -> Option<(String, usize)> {
    let next = text.words.get(i + span(n)).map(|w| w.text.to_ascii_lowercase());
    let counts_something = next.as_deref().is_some_and(|w| w.len() > 2 && w.ends_with('s') && w.chars().all(|c| c.is_ascii_alphabetic()))
        && text.is_phrase_span(i, i + span(n) + 1);
    // "$17 million": the dollar sign is in the gap before the number
    let dollars = i > 0 && text.words[i - 1].gap.ends_with('$');
    if dollars {
        return None;
    }
    let words = match (n.scale, n.value) {
        (Some(scale), _) => format!("{scale}s of"),
        (None, 3..=6) if counts_something => "a few".to_string(),
        (None, 7..=9) if counts_something => "several".to_string(),
        (None, 10..=19) if counts_something => "a dozen or so".to_string(),
        (None, 20..=99) if counts_something => "dozens of".to_string(),
        (None, 100..=999) if counts_something => "hundreds of".to_string(),
        (None, 1000..=9999) if counts_something => "thousands of".to_string(),
        (None, 10_000..=999_999) if counts_something => "tens of thousands of".to_string(),
        _ => return None,
    };
    let words = if n.scale.is_some() && !counts_something { words.trim_end_matches(" of").to_string() } else { words };
    Some((words, span(n)))
}

/// Off by a little: one for small numbers, a tenth or so for larger ones.
fn misremember(n: &Number, rng: &mut Stream) -> Option<(String, usize)> {
    let v = n.value;
    let delta = if v < 20 { 1 } else { (v / 10).max(1) };
    let changed = if rng.random_bool(0.5) || v <= delta + 1 { v + delta } else { v - delta };
    Some((write(changed, n), span(n)))
}

/// The same number the other way: "three" → "3", "10" → "ten" (not digits at the start of
/// a sentence, which reads oddly).
fn respell(n: &Number, starts_sentence: bool) -> Option<(String, usize)> {
    let word = WORDS.iter().find(|(_, v)| *v == n.value)?.0;
    let text = if n.digits {
        word.to_string()
    } else if starts_sentence {
        return None;
    } else {
        n.value.to_string()
    };
    let text = match n.scale {
        Some(scale) => format!("{text} {scale}"),
        None => text,
    };
    Some((text, span(n)))
}

/// The value written as the original was: digits (with separators if it had them) or a word,
/// and its scale word.
fn write(value: u64, n: &Number) -> String {
    let number = if n.digits {
        if n.commas { with_commas(value) } else { value.to_string() }
    } else {
        WORDS.iter().find(|(_, v)| *v == value).map_or_else(|| value.to_string(), |(w, _)| (*w).to_string())
    };
    match n.scale {
        Some(scale) => format!("{number} {scale}"),
        None => number,
    }
}

fn with_commas(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::test_support::{on, stream};

    fn changes(text: &str, seeds: u64) -> Vec<String> {
        (0..seeds).map(|s| on(text, |t| apply(t, 1.0, &mut stream(s))).message).collect()
    }

    #[test]
    fn numbers_are_rounded_made_vague_or_misremembered() {
        let out = changes("The fire killed 17 million bees and cost $60,000.", 60);
        assert!(out.iter().any(|m| m.contains("millions of bees")), "{out:?}");
        assert!(out.iter().any(|m| m.contains("about 20 million")), "{out:?}");
        assert!(out.iter().any(|m| m.contains("16 million") || m.contains("18 million")), "{out:?}");
        assert!(out.iter().all(|m| m.contains('$')), "the dollar sign keeps a number: {out:?}");
        // regression: "Nearly three weeks" became "Nearly a few weeks"
        let out = changes("They waited nearly three weeks.", 60);
        assert!(out.iter().all(|m| !m.contains("a few") && !m.contains("about")), "{out:?}");
        let out = changes("They waited three weeks.", 60);
        assert!(out.iter().any(|m| m == "They waited 3 weeks."), "{out:?}");
        assert!(out.iter().any(|m| m == "They waited a few weeks."), "{out:?}");
        assert!(out.iter().any(|m| m == "They waited four weeks." || m == "They waited two weeks."), "{out:?}");
    }

    #[test]
    fn years_days_and_fixed_phrases_stay() {
        // regression: "12 and 13 years old" became "12 and a dozen or so years old"
        for text in [
            "The boys (12 and 13 years old) left.",
            "In 2017 it closed on January 15.",
            "Half a million bees died.",
            "It was 3.5 hours, 50% of the day.",
            "One man left.",
        ] {
            assert!(changes(text, 30).iter().all(|m| m == text), "{text}");
        }
    }

    #[test]
    fn rounding() {
        let n = |value| Number { value, digits: true, scale: None, commas: false };
        assert_eq!(round(&n(37)), Some(("about 40".to_string(), 1)));
        assert_eq!(round(&n(40)), None);
        assert_eq!(round(&n(123)), Some(("about 120".to_string(), 1)));
        assert_eq!(round(&n(66_000)), Some(("about 70000".to_string(), 1)));
        assert_eq!(write(70_000, &Number { commas: true, ..n(0) }), "70,000");
    }
}
