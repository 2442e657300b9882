//! What people do when they retell a message: the published figures drift's `retell` preset
//! is held to, and the stories it is held to them on.
//!
//! The figures are medians per generation from serial reproduction (one person retells a
//! story to the next, "retell it" and nothing more) of news-like stories of about 160 words,
//! about 80 chains, as collected in drift's issue 7. drift cannot retell the studies' stories,
//! so it retells its own (stories.yaml: invented local news of the same length and register)
//! and compares its curves with the people's.

use serde::Deserialize;

use super::curves::Curve;

/// The published medians per generation (1 to 5), for the curves the studies report.
pub struct Figures {
    pub source: &'static str,
    pub curves: [(Curve, [f64; 5]); 3],
}

pub const SERIAL_REPRODUCTION: Figures = Figures {
    source: "serial reproduction of ~160-word news-like stories, plain retelling, about 80 chains (medians per generation)",
    curves: [
        (Curve::Length, [0.48, 0.29, 0.22, 0.16, 0.14]),
        (Curve::Original, [0.31, 0.16, 0.10, 0.076, 0.062]),
        (Curve::Kept, [0.31, 0.46, 0.52, 0.54, 0.58]),
    ],
};

/// How close `drift calibrate --check` requires the simulated medians to be, at every
/// generation of every published curve.
pub const TOLERANCE: f64 = 0.05;

/// Short messages survive: how often people pass on a remark intact, by its number of content
/// words, and how fast long texts shrink.
pub struct ShortFigures {
    /// A remark of two content words passed on with all of them.
    pub two_words_intact: f64,
    /// A remark of twelve content words passed on with all of them.
    pub twelve_words_intact: f64,
}

pub const SHORT_MESSAGES: ShortFigures = ShortFigures { two_words_intact: 0.92, twelve_words_intact: 0.20 };

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoriesFile {
    stories: Vec<Story>,
    two_words: Vec<String>,
    twelve_words: Vec<String>,
}

/// One of drift's own stories.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Story {
    pub title: String,
    pub text: String,
}

fn file() -> &'static StoriesFile {
    static FILE: std::sync::OnceLock<StoriesFile> = std::sync::OnceLock::new();
    // compiled in; a broken file is a build defect that the tests catch
    FILE.get_or_init(|| serde_yaml::from_str(include_str!("stories.yaml")).unwrap_or_else(|e| panic!("stories.yaml is invalid: {e}")))
}

/// The eight stories, about 160 words each.
pub fn stories() -> &'static [Story] {
    &file().stories
}

/// Remarks of two content words.
pub fn two_word_remarks() -> &'static [String] {
    &file().two_words
}

/// Remarks of twelve content words.
pub fn twelve_word_remarks() -> &'static [String] {
    &file().twelve_words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibrate::curves::Words;
    use crate::lexicon::Lexicon;

    #[test]
    fn the_stories_are_news_length_and_the_remarks_count_right() {
        let lex = Lexicon::built_in();
        assert_eq!(stories().len(), 8);
        for s in stories() {
            let w = Words::new(&s.text, &lex);
            assert!((150..=170).contains(&w.len), "{}: {} words", s.title, w.len);
        }
        for (remarks, n) in [(two_word_remarks(), 2), (twelve_word_remarks(), 12)] {
            assert_eq!(remarks.len(), 10);
            for r in remarks {
                assert_eq!(Words::new(r, &lex).content.len(), n, "{r}");
            }
        }
    }
}
