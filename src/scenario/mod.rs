//! Scenario files: what the customer said and the chain it goes through.
//!
//! Parsing is strict (unknown keys are errors) because a typo in a workshop scenario should
//! stop the demo before it starts, not silently run a different chain. Every check that can
//! be tied to a place in the file runs during deserialisation, so its error carries the line,
//! the column and the field path; [`diagnose`] turns parser errors into those messages.

mod de;
pub mod diagnose;
pub mod limits;
mod recover;
pub mod report;
mod scan;
pub mod schema;

use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeSeed;

pub use de::unknown as unknown_name;
pub use diagnose::{Diagnostic, ScenarioError};

use crate::lexicon::LexiconData;
use crate::metrics::Metric;
use crate::operators::Operator;

/// A validated scenario, ready to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: Option<String>,
    pub seed: u64,
    pub runs: u64,
    pub customer: Customer,
    /// At least one; the first is the headline metric charts shade and blame ranks.
    pub metrics: Vec<Metric>,
    pub lexicon: LexiconData,
    /// The scenario's own presets (`presets:`), which its hops name like the built-in ones.
    pub presets: Vec<CustomPreset>,
    pub chain: Vec<Hop>,
}

/// A preset a scenario defines under `presets:`: a named operator mix, e.g. the one
/// `drift calibrate` fits to a room's retellings.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomPreset {
    pub name: String,
    /// In application order.
    pub operators: Vec<Operator>,
}

/// The operators of the preset `name`: one of `own` (a scenario's `presets:`), or a built-in
/// one. Hops and `drift calibrate --preset` look presets up alike.
pub fn preset_operators(own: &[CustomPreset], name: &str) -> Option<Vec<Operator>> {
    own.iter().find(|p| p.name == name).map(|p| p.operators.clone()).or_else(|| crate::presets::find(name).map(|p| p.operators()))
}

/// Every preset name a scenario with `own` presets knows: the built-in ones, then its own.
pub fn preset_names(own: &[CustomPreset]) -> Vec<&str> {
    crate::presets::PRESETS.iter().map(|p| p.name).chain(own.iter().map(|p| p.name.as_str())).collect()
}

/// Why `name` cannot name a preset of one's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadPresetName {
    /// Anything but letters, digits, `_` and `-`, or nothing at all.
    Characters,
    /// A built-in preset's name, or one that reads the same (`CMO`, Cyrillic `сmo`): a hop
    /// naming it would be ambiguous. Holds the built-in name.
    BuiltIn(&'static str),
}

/// Checks a name for a preset of one's own (`presets:`, `drift calibrate --name`). A name
/// that only differs from a built-in one in case or in look-alike letters (`CMO`, Cyrillic
/// `сmo`) counts as the built-in name: on a slide or a printed chain nobody could tell them
/// apart.
pub fn check_preset_name(name: &str) -> Result<(), BadPresetName> {
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
        Err(BadPresetName::Characters)
    } else if let Some(built_in) = crate::presets::PRESETS.iter().find(|p| looks_like(name, p.name)) {
        Err(BadPresetName::BuiltIn(built_in.name))
    } else {
        Ok(())
    }
}

/// "`cmo` is a built-in preset", or "`CMO` reads the same as the built-in preset `cmo`".
pub fn built_in_clash(name: &str, built_in: &str) -> String {
    if name == built_in {
        format!("`{name}` is a built-in preset")
    } else {
        format!("`{name}` reads the same as the built-in preset `{built_in}`")
    }
}

/// True when two names read the same: equal after case folding and Unicode's confusable
/// mapping (UTS #39 skeletons).
pub fn looks_like(a: &str, b: &str) -> bool {
    let skeleton = |s: &str| unicode_security::skeleton(&s.to_lowercase()).flat_map(char::to_lowercase).collect::<String>();
    a == b || skeleton(a) == skeleton(b)
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    #[serde(default)]
    pub who: Option<String>,
    #[serde(deserialize_with = "de::customer_words")]
    pub said: String,
    /// The customer's three P's, each scored on its own where given.
    #[serde(default, deserialize_with = "de::optional_customer_words")]
    pub priorities: Option<String>,
    #[serde(default, deserialize_with = "de::optional_customer_words")]
    pub problems: Option<String>,
    #[serde(default, deserialize_with = "de::optional_customer_words")]
    pub perceptions: Option<String>,
    #[serde(skip)]
    told: ToldOnce,
    #[serde(skip)]
    told_words: WordsOnce,
}

/// [`Customer::told`], worked out on first use: a cache of the other fields, so it takes no
/// part in comparing customers.
#[derive(Debug, Clone, Default)]
struct ToldOnce(std::sync::OnceLock<String>);

impl PartialEq for ToldOnce {
    fn eq(&self, _: &ToldOnce) -> bool {
        true
    }
}

/// [`Customer::told_words`], parsed on first use: the chain starts from these words in every
/// run, so they are parsed once per scenario rather than once per run. A clone starts empty:
/// a cloned customer whose words are then changed (a test, a fuzz target) parses its own.
#[derive(Debug, Default)]
struct WordsOnce(std::sync::OnceLock<crate::text::Text>);

impl Clone for WordsOnce {
    fn clone(&self) -> WordsOnce {
        WordsOnce::default()
    }
}

impl PartialEq for WordsOnce {
    fn eq(&self, _: &WordsOnce) -> bool {
        true
    }
}

impl Customer {
    /// [`Customer::told`] parsed into words.
    pub fn told_words(&self) -> &crate::text::Text {
        self.told_words.0.get_or_init(|| crate::text::Text::parse(self.told()))
    }

    /// Everything the customer told: what they said, then each of their three P's that is
    /// given, in their words. The chain starts from all of it and every score is measured
    /// against it, so the customer's own words keep each P whole at hop 0.
    pub fn told(&self) -> &str {
        let ps = self.three_ps();
        if ps.is_empty() {
            return &self.said;
        }
        self.told.0.get_or_init(|| {
            let mut out = self.said.trim_end().to_string();
            for (_, p) in ps {
                if !out.ends_with(['.', '!', '?', '…', '"', '”', '\'', '’']) {
                    out.push('.');
                }
                out.push(' ');
                out.push_str(p.trim());
            }
            out
        })
    }

    /// The three P's that were given, with their names.
    pub fn three_ps(&self) -> Vec<(&'static str, &str)> {
        [("priorities", &self.priorities), ("problems", &self.problems), ("perceptions", &self.perceptions)]
            .into_iter()
            .filter_map(|(name, text)| text.as_deref().map(|t| (name, t)))
            .collect()
    }
}

/// One handoff in the chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Hop {
    pub role: String,
    pub note: Option<String>,
    pub preset: Option<String>,
    /// What the hop does, in application order: the preset's mix with `mutate` on top. Empty
    /// for a human hop.
    pub operators: Vec<Operator>,
    /// A human hop: the words a person passed on, verbatim (`said:`), typed in `drift play`
    /// or written by hand. The hop hands on exactly these words whatever it received, so a
    /// played chain can be re-scored, charted and compared like any other.
    pub said: Option<String>,
}

impl Hop {
    /// True when a person, not the simulator, wrote what this hop passed on.
    pub fn is_human(&self) -> bool {
        self.said.is_some()
    }
}

/// The version this build reads.
pub const FORMAT_VERSION: u64 = 1;

/// `seed` when the file gives none.
pub const DEFAULT_SEED: u64 = 1;

/// `runs` when the file gives none.
pub const DEFAULT_RUNS: u64 = 1000;

/// A scenario's own lexicon past [`limits::MAX_LEXICON_ENTRIES`], pointed at `lexicon:`.
fn lexicon_too_big(file: &str, source: &str, lexicon: &LexiconData) -> Option<ScenarioError> {
    let entries: usize = lexicon.counts().iter().map(|(_, n)| n).sum();
    if entries <= limits::MAX_LEXICON_ENTRIES {
        return None;
    }
    let mut err =
        ScenarioError::new(file, format!("lexicon: {entries} entries; a scenario may add at most {}", limits::MAX_LEXICON_ENTRIES))
            .with_help("keep the scenario's own words here and leave the rest to the built-in lexicon (drift lexicon)");
    if let Some((k, text)) = source.lines().enumerate().find(|(_, l)| l.starts_with("lexicon:")) {
        err.location = Some((k + 1, 1));
        err.source_line = Some(text.to_string());
    }
    Some(err)
}

impl Scenario {
    /// Reads and validates a scenario file; `-` reads it from standard input, named `<stdin>`
    /// in messages.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let source = diagnose::read_source(path)?;
        Scenario::parse(&diagnose::file_name(path), &source)
    }

    /// Validates scenario text; `file` names it in error messages.
    pub fn parse(file: &str, source: &str) -> Result<Scenario, ScenarioError> {
        if source.trim().is_empty() {
            return Err(ScenarioError::new(file, "the file is empty")
                .with_help("a scenario needs at least `version`, `name`, `customer` and `chain`: see scenarios/ for examples"));
        }
        diagnose::check_indentation(file, source)?;
        scan::check(file, source)?;
        Scenario::read(file, source)
    }

    /// Reads checked YAML, collecting every independent error (see [`recover`]). All it
    /// remembers between readings is in `recovery` and `custom`, which live as long as this
    /// call: what one file defines can never leak into the reading of the next.
    fn read(file: &str, source: &str) -> Result<Scenario, ScenarioError> {
        let yaml = || serde_yaml::Deserializer::from_str(source);
        let recovery = recover::Recovery::new();
        let in_presets = |e: &ScenarioError| {
            e.field.as_deref().is_some_and(|f| f == "presets" || f.starts_with("presets.") || f.starts_with("presets["))
        };
        // mistakes inside `presets:` are reported from this pass, before a hop can fail on a
        // preset it does not know yet; any other the second pass reports
        let (first, errors) = recovery.collect(&[], limits::MAX_ERRORS, || de::PresetsFirst(&recovery).deserialize(yaml()));
        let mut found: Vec<ScenarioError> = errors.iter().map(|e| diagnose::from_yaml(file, source, e)).filter(in_presets).collect();
        let custom = first.unwrap_or_default();
        let skip: &[&str] = if found.is_empty() { &[] } else { &["presets"] };
        let reading = de::Reading { recovery: &recovery, custom: &custom };
        let (raw, errors) =
            recovery.collect(skip, limits::MAX_ERRORS.saturating_sub(found.len()), || de::TopLevelSeed(reading).deserialize(yaml()));
        found.extend(errors.iter().map(|e| diagnose::from_yaml(file, source, e)));
        if let Some(de::TopLevel(Some(raw))) = &raw
            && let Some(err) = lexicon_too_big(file, source, &raw.lexicon)
        {
            found.push(err);
        }
        if let Some(err) = ScenarioError::all_of(found) {
            return Err(err);
        }
        let Some(de::TopLevel(Some(raw))) = raw else {
            return Err(ScenarioError::new(file, "the scenario could not be read").with_help("report this as a bug, with the file"));
        };
        Ok(Scenario {
            name: raw.name,
            description: raw.description,
            seed: raw.seed,
            runs: raw.runs,
            customer: raw.customer,
            metrics: raw.metrics,
            lexicon: raw.lexicon,
            presets: raw.presets,
            chain: raw.chain,
        })
    }

    pub fn headline(&self) -> Metric {
        self.metrics[0]
    }

    /// The seed a command uses: the one given on its command line, else the scenario's. The
    /// one place that default is written.
    pub fn seed_or(&self, given: Option<u64>) -> u64 {
        given.unwrap_or(self.seed)
    }

    /// The number of runs a command makes: the one given, else the scenario's.
    pub fn runs_or(&self, given: Option<u64>) -> u64 {
        given.unwrap_or(self.runs)
    }

    /// A file-name-safe form of the name: lower-case ASCII letters, digits and dashes only, so
    /// whatever the name says, output lands inside `--out`.
    pub fn slug(&self) -> String {
        slug(&self.name)
    }
}

/// Letters outside ASCII are transliterated first (deunicode: "Café" → cafe, "東京" → dong-jing),
/// so a name in any script keeps its words in the folder name instead of losing them.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in deunicode::deunicode(name).chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "scenario".to_string() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What one reading knows (its own presets, the ones that failed) lives in values owned
    /// by that reading, not in thread-locals: a second file read on the same thread must not
    /// see the first file's presets (issue 16, item 3).
    #[test]
    fn presets_do_not_leak_between_readings() {
        let head = "version: 1\nname: T\ncustomer:\n  said: We keep losing our best adjusters to paperwork.\n";
        let a = format!(
            "{head}presets:\n  x: {{ omit: 0.2 }}\n  y: {{ jargn: 0.2 }}\nchain:\n  - role: A\n    preset: x\n  - role: B\n    preset: y\n"
        );
        let b = format!("{head}chain:\n  - role: B\n    preset: x\n  - role: C\n    preset: y\n");
        // A defines `x` and a broken `y`, which its own hops may name without a second error
        let err = Scenario::parse("a.yaml", &a).unwrap_err().to_string();
        assert!(err.contains("unknown operator `jargn`"), "{err}");
        assert!(!err.contains("unknown preset"), "{err}");
        let fixed = a.replace("jargn", "jargon");
        assert_eq!(Scenario::parse("a.yaml", &fixed).unwrap().presets.len(), 2);
        // B names both without defining them: neither may be known from A
        let err = Scenario::parse("b.yaml", &b).unwrap_err().to_string();
        assert!(err.contains("chain[0].preset: unknown preset `x`"), "{err}");
        assert!(err.contains("chain[1].preset: unknown preset `y`"), "{err}");
    }

    #[test]
    fn slugs_are_safe() {
        assert_eq!(slug("Marketing long distance"), "marketing-long-distance");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        // transliterated, not dropped (issue 16: "Café" became `caf`, any all-CJK name `scenario`)
        assert_eq!(slug("Café Crème"), "cafe-creme");
        assert_eq!(slug("東京"), "dong-jing");
        assert_eq!(slug("Ölçüm — Zürich"), "olcum-zurich");
        assert_eq!(slug("🙂"), "slight-smile");
        assert_eq!(slug("\u{200b}"), "scenario");
        assert_eq!(slug("  Q3: Brand / Legal!! "), "q3-brand-legal");
        assert!(slug(&"x".repeat(500)).len() <= 60);
    }
}
