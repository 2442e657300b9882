//! Deserialisers that validate as they read, so that every error keeps its place in the file.
//! The length and characters of every text were checked before, by [`super::scan`], on the
//! YAML events.
//!
//! What a value needs from the reading (the [`Recovery`] that skips failed slots, the
//! scenario's own presets) is handed down by seeds ([`DeserializeSeed`]), never through
//! global or thread-local state; where serde's derive cannot take a seed, the map is read by
//! hand with the messages the derive would give.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::diagnose::{did_you_mean, field_marker};
use super::limits::{MAX_HOPS, MAX_RUNS};
use super::recover::{Recovery, Slot};
use super::{CustomPreset, Customer, FORMAT_VERSION, Hop};
use crate::lexicon::LexiconData;
use crate::metrics::Metric;
use crate::operators::{MAX_CAPACITY, Operator, OperatorKind, Param};

/// Validation runs inside the visitor so that the parser pins the error on the value itself
/// (line, column and field path); a check after `deserialize` returns would be reported at the
/// enclosing map.
/// The check is a closure so that it can use what the reading knows (the scenario's own
/// presets, for `preset:`).
struct Checked<F> {
    expecting: &'static str,
    check: F,
}

impl<'de, T, F: FnOnce(CheckedValue<'_>) -> Result<T, String>> Visitor<'de> for Checked<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        (self.check)(CheckedValue::Number(v as f64, Some(v))).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        (self.check)(CheckedValue::Number(v as f64, None)).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        (self.check)(CheckedValue::Number(v, None)).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.check)(CheckedValue::Text(v)).map_err(E::custom)
    }
}

enum CheckedValue<'a> {
    /// The value, and the value again when it is a non-negative whole number.
    Number(f64, Option<u64>),
    Text(&'a str),
}

fn whole_number(v: CheckedValue, what: &str) -> Result<u64, String> {
    match v {
        CheckedValue::Number(_, Some(n)) => Ok(n),
        // `runs: 1e3` or `1.0`: a whole number written as a decimal
        CheckedValue::Number(x, None) if x >= 0.0 && x.fract() == 0.0 && x <= (1u64 << 53) as f64 => Ok(x as u64),
        CheckedValue::Number(x, None) if x.fract() == 0.0 => Err(format!("{what} must be a whole number from 0 up, not {x}")),
        CheckedValue::Number(x, None) => Err(format!("{what} must be a whole number, not {x}")),
        CheckedValue::Text(t) => Err(format!("{what} must be a number, not the text \"{t}\"")),
    }
}

pub fn version<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    d.deserialize_any(Checked {
        expecting: "the format version, 1",
        check: |v: CheckedValue<'_>| {
            let v = whole_number(v, "version")?;
            if v != FORMAT_VERSION {
                return Err(format!(
                    "unsupported version {v}: this drift reads version {FORMAT_VERSION} scenarios; set `version: {FORMAT_VERSION}` or upgrade drift"
                ));
            }
            Ok(v)
        },
    })
}

/// Text that must say something: customer words, names, roles.
pub fn words<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(Checked {
        expecting: "text",
        check: |v: CheckedValue<'_>| match v {
            CheckedValue::Text(t) if t.trim().is_empty() => Err("is empty: write the words out".to_string()),
            CheckedValue::Text(t) => Ok(t.trim().to_string()),
            CheckedValue::Number(x, _) => Ok(x.to_string()),
        },
    })
}

/// A customer's words: text with at least one word in it, since a text without any would
/// score every hop as keeping all of nothing, 100%.
pub fn customer_words<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(Checked {
        expecting: "the customer's words",
        check: |v: CheckedValue<'_>| match v {
            CheckedValue::Text(t) if t.trim().is_empty() => Err("is empty: write the words out".to_string()),
            CheckedValue::Text(t) if !has_a_word(t) => Err(no_words(t)),
            CheckedValue::Text(t) => Ok(t.trim().to_string()),
            CheckedValue::Number(x, _) => Ok(x.to_string()),
        },
    })
}

pub fn optional_customer_words<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    customer_words(d).map(Some)
}

fn has_a_word(text: &str) -> bool {
    !crate::text::Text::parse(text).words.is_empty()
}

fn no_words(text: &str) -> String {
    format!("“{}” has no words: a text is scored by its words, so write what was said", crate::text::shorten(text, 40))
}

pub fn runs<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    d.deserialize_any(Checked {
        expecting: "a number of runs, 1 or more",
        check: |v: CheckedValue<'_>| match whole_number(v, "runs")? {
            0 => Err("is 0: use 1 for a single traced run, or more for Monte Carlo bands".to_string()),
            n if n > MAX_RUNS => Err(format!("is {n}; drift runs at most {MAX_RUNS} runs (bands settle long before that)")),
            n => Ok(n),
        },
    })
}

/// A list that must not be empty, checked inside the visitor for the same reason as
/// [`Checked`]. Each element is read by a copy of `element`.
struct NonEmpty<'r, S> {
    what: &'static str,
    empty: &'static str,
    most: usize,
    recovery: &'r Recovery,
    element: S,
}

impl<'de, S: DeserializeSeed<'de> + Clone> Visitor<'de> for NonEmpty<'_, S> {
    type Value = Vec<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.what)
    }

    /// Each element is a slot of its own (see [`recover`]): an element that failed before is
    /// left out, but still counted.
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<S::Value>, A::Error> {
        let mut out = Vec::new();
        let mut count = 0;
        while let Some(item) = seq.next_element_seed(Slot::new(self.recovery, count, self.element.clone()))? {
            if count == self.most {
                return Err(de::Error::custom(format!(
                    "has more than {} entries: {} may hold at most {}",
                    self.most, self.what, self.most
                )));
            }
            count += 1;
            out.extend(item);
        }
        if count == 0 {
            return Err(de::Error::custom(self.empty));
        }
        Ok(out)
    }
}

fn non_empty<'de, D: Deserializer<'de>, S: DeserializeSeed<'de> + Clone>(
    d: D,
    recovery: &Recovery,
    element: S,
    what: &'static str,
    empty: &'static str,
    most: usize,
) -> Result<Vec<S::Value>, D::Error> {
    d.deserialize_seq(NonEmpty { what, empty, most, recovery, element })
}

/// `metrics:`, each name a slot of its own.
#[derive(Clone, Copy)]
struct MetricsSeed<'r>(&'r Recovery);

impl<'de> DeserializeSeed<'de> for MetricsSeed<'_> {
    type Value = Vec<Metric>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Metric>, D::Error> {
        metrics(d, self.0)
    }
}

fn metrics<'de, D: Deserializer<'de>>(d: D, recovery: &Recovery) -> Result<Vec<Metric>, D::Error> {
    let names: Vec<MetricName> = non_empty(
        d,
        recovery,
        std::marker::PhantomData::<MetricName>,
        "a list of metric names",
        "is empty: name at least one metric (the first is the headline), or leave `metrics` out for the defaults",
        64,
    )?;
    let mut out: Vec<Metric> = Vec::new();
    for MetricName(m) in names {
        if out.contains(&m) {
            return Err(de::Error::custom(format!("metric `{}` is listed twice", m.name())));
        }
        out.push(m);
    }
    Ok(out)
}

struct MetricName(Metric);

impl<'de> Deserialize<'de> for MetricName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        match Metric::from_name(&name) {
            Some(m) => Ok(MetricName(m)),
            None => {
                let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
                Err(de::Error::custom(unknown("metric", &name, &names)))
            }
        }
    }
}

/// "unknown operator `jargn`: did you mean `jargon`? (known: …)"
pub fn unknown(what: &str, name: &str, known: &[&str]) -> String {
    let mut msg = format!("unknown {what} `{name}`");
    if let Some(s) = did_you_mean(name, known) {
        msg.push_str(&format!(": did you mean `{s}`?"));
    }
    msg.push_str(&format!(" (known {what}s: {})", known.join(", ")));
    msg
}

/// What a reading hands down to the values that need it: where failed slots are noted, and
/// the scenario's own presets (read by the first pass), which hops name like the built-in
/// ones wherever `presets:` stands in the file. Passed by seeds, so it lasts one reading.
#[derive(Clone, Copy)]
pub struct Reading<'a> {
    pub recovery: &'a Recovery,
    pub custom: &'a [CustomPreset],
}

/// `chain:`, each hop a slot of its own.
#[derive(Clone, Copy)]
struct ChainSeed<'a>(Reading<'a>);

impl<'de> DeserializeSeed<'de> for ChainSeed<'_> {
    type Value = Vec<Hop>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Hop>, D::Error> {
        non_empty(
            d,
            self.0.recovery,
            HopSeed(self.0),
            "a list of hops",
            "is empty: add at least one hop (a `role` with a `preset` or `mutate`)",
            MAX_HOPS,
        )
    }
}

/// A hop's fields, in the order unknown-field messages list them.
const HOP_FIELDS: &[&str] = &["role", "note", "preset", "mutate", "said"];

/// A struct's key, read as serde's derive reads one (the same messages): one of `fields`,
/// else an unknown-field error, or `None` (to be skipped) when `deny` is off.
struct FieldKey {
    fields: &'static [&'static str],
    deny: bool,
}

impl<'de> DeserializeSeed<'de> for FieldKey {
    type Value = Option<&'static str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<&'static str>, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldKey {
    type Value = Option<&'static str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<&'static str>, E> {
        match self.fields.iter().find(|k| **k == key) {
            Some(k) => Ok(Some(k)),
            None if self.deny => Err(E::unknown_field(key, self.fields)),
            None => Ok(None),
        }
    }
}

/// A hop's `role`.
struct Role(String);

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        words(d).map(Role)
    }
}

/// A human hop's words: kept as written (outer white space aside), and never empty, since an
/// empty message would score as a hop that lost everything by accident.
struct HumanWords(String);

impl<'de> Deserialize<'de> for HumanWords {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Checked {
            expecting: "the words this hop passed on",
            check: |v: CheckedValue<'_>| match v {
                CheckedValue::Text(t) if t.trim().is_empty() => {
                    Err("is empty: write the words this person passed on, or give the hop a `preset` or `mutate` instead".to_string())
                }
                CheckedValue::Text(t) if !has_a_word(t) => Err(no_words(t)),
                CheckedValue::Text(t) => Ok(HumanWords(t.trim().to_string())),
                CheckedValue::Number(x, _) => Ok(HumanWords(x.to_string())),
            },
        })
    }
}

/// One hop; needs the reading for the presets it may name and the slots of its `mutate`.
#[derive(Clone, Copy)]
struct HopSeed<'a>(Reading<'a>);

impl<'de> DeserializeSeed<'de> for HopSeed<'_> {
    type Value = Hop;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Hop, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for HopSeed<'_> {
    type Value = Hop;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a hop: `role` with a `preset`, `mutate` or `said`")
    }

    /// Read by hand, as serde's derive would read it with `deny_unknown_fields` (the same
    /// messages), because a derived struct cannot hand the reading to `preset` and `mutate`.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Hop, A::Error> {
        let (mut role, mut note, mut preset, mut mutate, mut said) = (None, None, None, None, None);
        while let Some(key) = map.next_key_seed(FieldKey { fields: HOP_FIELDS, deny: true })? {
            macro_rules! once {
                ($field:ident, $read:expr) => {{
                    if $field.is_some() {
                        return Err(de::Error::duplicate_field(stringify!($field)));
                    }
                    $field = Some($read);
                }};
            }
            match key {
                Some("role") => once!(role, map.next_value::<Role>()?.0),
                Some("note") => once!(note, map.next_value::<Option<String>>()?),
                Some("preset") => once!(preset, map.next_value_seed(PresetRef(self.0))?),
                Some("mutate") => once!(mutate, map.next_value_seed(OptionSeed(MutateSeed::new(self.0.recovery, MUTATE_EMPTY)))?),
                Some(_) => once!(said, map.next_value::<HumanWords>()?.0),
                // not with `deny`: an unknown key is an error
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let Some(role) = role else { return Err(de::Error::missing_field("role")) };
        let (note, preset, mutate) = (note.flatten(), preset.flatten(), mutate.flatten());
        if said.is_some() {
            // a person's words are the hop's whole output: operators on top would never run
            if preset.is_some() || mutate.is_some() {
                return Err(de::Error::custom(format!(
                    "hop `{role}` has `said` and also `preset` or `mutate`: a hop with `said` passes on exactly those words, so remove `preset` and `mutate` (or remove `said` to simulate the hop)"
                )));
            }
            return Ok(Hop { role, note, preset: None, operators: Vec::new(), said });
        }
        let mut operators = match &preset {
            Some(name) => preset_operators(self.0, name).unwrap_or_default(),
            None => Vec::new(),
        };
        match mutate {
            Some(own) => {
                for op in own {
                    operators.retain(|o| o.kind != op.kind);
                    operators.push(op);
                }
            }
            None if preset.is_none() => {
                return Err(de::Error::custom(format!(
                    "hop `{role}` has neither `preset` nor `mutate`: give it a preset (e.g. `preset: approve`), an operator mix (e.g. `mutate: {{ jargon: 0.3 }}`) or the words a person passed on (`said: …`)"
                )));
            }
            None => {}
        }
        operators.sort_by_key(|o| o.kind);
        Ok(Hop { role, note, preset, operators, said: None })
    }
}

/// `Option<T>` read by a seed, as serde reads `Option<T>`: null is `None`.
struct OptionSeed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for OptionSeed<S> {
    type Value = Option<S::Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<S::Value>, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for OptionSeed<S> {
    type Value = Option<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<S::Value>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<S::Value>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<S::Value>, D::Error> {
        self.0.deserialize(d).map(Some)
    }
}

/// A hop's `preset:`: a name the reading knows, the scenario's own or a built-in one.
struct PresetRef<'a>(Reading<'a>);

impl<'de> DeserializeSeed<'de> for PresetRef<'_> {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        let reading = self.0;
        d.deserialize_any(Checked {
            expecting: "a preset name",
            check: move |v: CheckedValue<'_>| {
                let CheckedValue::Text(name) = v else {
                    return Err("a preset is named by text, e.g. `preset: cmo`".to_string());
                };
                if preset_operators(reading, name).is_none() {
                    return Err(unknown("preset", name, &super::preset_names(reading.custom)));
                }
                Ok(Some(name.to_string()))
            },
        })
    }
}

/// The operators of a preset, the scenario's own or a built-in one. A preset of the
/// scenario's own that failed to read (and was reported) counts as one without operators.
fn preset_operators(reading: Reading<'_>, name: &str) -> Option<Vec<Operator>> {
    super::preset_operators(reading.custom, name).or_else(|| reading.recovery.is_broken_preset(name).then(Vec::new))
}

/// `presets:` — name → operator mix, in the form `mutate` takes; each preset a slot of its
/// own (see [`super::recover`]).
#[derive(Clone, Copy)]
struct PresetsSeed<'r>(&'r Recovery);

impl<'de> DeserializeSeed<'de> for PresetsSeed<'_> {
    type Value = Vec<CustomPreset>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<CustomPreset>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PresetsSeed<'_> {
    type Value = Vec<CustomPreset>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of preset names to operator mixes, e.g. `{ our_cmo: { jargon: 0.4, omit: 0.2 } }`")
    }

    /// Each preset is a slot of its own (see [`super::recover`]).
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<CustomPreset>, A::Error> {
        let recovery = self.0;
        let mut out: Vec<CustomPreset> = Vec::new();
        for index in 0.. {
            let key = index.to_string();
            if recovery.skipped(&key) {
                if map.next_key::<IgnoredAny>()?.is_none() {
                    break;
                }
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let read = recovery.within(&key, || {
                let Some(PresetName(name)) = map.next_key_seed(NewPresetName { before: &out, recovery })? else { return Ok(None) };
                match map.next_value_seed(MutateSeed::new(recovery, PRESET_EMPTY)) {
                    Ok(mut operators) => {
                        operators.sort_by_key(|o| o.kind);
                        Ok(Some(CustomPreset { name, operators }))
                    }
                    Err(e) => {
                        recovery.broken_preset(&name);
                        Err(e)
                    }
                }
            })?;
            match read {
                Some(preset) => out.push(preset),
                None => break,
            }
        }
        Ok(out)
    }
}

/// The first pass over a scenario: its own presets, which the hops need whether `presets:`
/// comes before or after `chain:` in the file. Every other field is skipped unread (and
/// checked by the second pass, [`TopLevelSeed`]). Read as serde's derive reads a struct
/// without `deny_unknown_fields`.
pub struct PresetsFirst<'r>(pub &'r Recovery);

impl<'de> DeserializeSeed<'de> for PresetsFirst<'_> {
    type Value = Vec<CustomPreset>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<CustomPreset>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PresetsFirst<'_> {
    type Value = Vec<CustomPreset>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("struct PresetsFirst")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<CustomPreset>, A::Error> {
        let mut presets = None;
        while let Some(key) = map.next_key_seed(FieldKey { fields: &["presets"], deny: false })? {
            if key.is_none() {
                map.next_value::<IgnoredAny>()?;
            } else if presets.is_some() {
                return Err(de::Error::duplicate_field("presets"));
            } else {
                presets = Some(map.next_value_seed(PresetsSeed(self.0))?);
            }
        }
        Ok(presets.unwrap_or_default())
    }
}

/// A name for a scenario's own preset: letters, digits, `_` and `-`, and neither a built-in
/// name nor one of the presets before it, nor one that reads the same (a hop naming it would
/// be ambiguous).
struct PresetName(String);

/// Reads a [`PresetName`], given the presets defined `before` it; checked inside the key's
/// visitor so that the error points at this key, not at the mapping.
struct NewPresetName<'a> {
    before: &'a [CustomPreset],
    recovery: &'a Recovery,
}

impl<'de> DeserializeSeed<'de> for NewPresetName<'_> {
    type Value = PresetName;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<PresetName, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for NewPresetName<'_> {
    type Value = PresetName;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a preset name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<PresetName, E> {
        let checked = self.check(name);
        if checked.is_err() {
            // reported here: a hop naming it gets no second error
            self.recovery.broken_preset(name);
        }
        checked
    }
}

impl NewPresetName<'_> {
    fn check<E: de::Error>(&self, name: &str) -> Result<PresetName, E> {
        let marker = field_marker(name);
        if let Some(twin) = self.before.iter().find(|p| super::looks_like(&p.name, name)) {
            let how = if twin.name == name { "is defined twice".to_string() } else { format!("reads the same as preset `{}`", twin.name) };
            return Err(E::custom(format!("{marker}preset `{name}` {how}: give each preset a name of its own")));
        }
        match super::check_preset_name(name) {
            Ok(()) => Ok(PresetName(name.to_string())),
            Err(super::BadPresetName::Characters) => Err(de::Error::custom(format!(
                "{marker}preset name `{name}` may hold only letters, digits, `_` and `-`, e.g. `retell_our_room`"
            ))),
            Err(super::BadPresetName::BuiltIn(built_in)) => Err(de::Error::custom(format!(
                "{marker}{}: give yours another name, e.g. `{built_in}_ours`, and use that in the chain",
                super::built_in_clash(name, built_in)
            ))),
        }
    }
}

/// The message for an empty `mutate`.
const MUTATE_EMPTY: &str = "`mutate` is empty: name at least one operator, e.g. `{ jargon: 0.3 }`";

/// The message for an empty preset of one's own.
const PRESET_EMPTY: &str = "the preset is empty: name at least one operator, e.g. `{ jargon: 0.3 }`";

/// `mutate:` (and a preset of one's own) — operator name → rate, or the long form
/// `{ rate, to | text }`; each operator a slot of its own.
#[derive(Clone, Copy)]
struct MutateSeed<'r> {
    recovery: &'r Recovery,
    /// The message for an empty map.
    empty: &'static str,
}

impl<'r> MutateSeed<'r> {
    fn new(recovery: &'r Recovery, empty: &'static str) -> MutateSeed<'r> {
        MutateSeed { recovery, empty }
    }
}

impl<'de> DeserializeSeed<'de> for MutateSeed<'_> {
    type Value = Vec<Operator>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Operator>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for MutateSeed<'_> {
    type Value = Vec<Operator>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of operator names to rates, e.g. `{ jargon: 0.3, omit: 0.1 }`")
    }

    /// Each operator is a slot of its own (see [`super::recover`]): one hop can have several
    /// wrong.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<Operator>, A::Error> {
        let recovery = self.recovery;
        let mut ops: Vec<Operator> = Vec::new();
        let mut count = 0;
        loop {
            let key = count.to_string();
            if recovery.skipped(&key) {
                if map.next_key::<IgnoredAny>()?.is_none() {
                    break;
                }
                map.next_value::<IgnoredAny>()?;
            } else {
                let read = recovery.within(&key, || {
                    let Some(OperatorName(kind)) = map.next_key()? else { return Ok(None) };
                    if ops.iter().any(|o| o.kind == kind) {
                        return Err(de::Error::custom(format!("{}operator `{}` is given twice", field_marker(kind.name()), kind.name())));
                    }
                    map.next_value_seed(OperatorSpec(kind)).map(Some)
                })?;
                match read {
                    Some(op) => ops.push(op),
                    None => break,
                }
            }
            count += 1;
        }
        if count == 0 {
            return Err(de::Error::custom(self.empty));
        }
        Ok(ops)
    }
}

struct OperatorName(OperatorKind);

impl<'de> Deserialize<'de> for OperatorName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        match OperatorKind::from_name(&name) {
            Some(k) => Ok(OperatorName(k)),
            None => {
                let known: Vec<&str> = OperatorKind::ALL.iter().map(|k| k.name()).collect();
                Err(de::Error::custom(format!("{}{}", field_marker(&name), unknown("operator", &name, &known))))
            }
        }
    }
}

/// One operator's value: a rate, or the long form `{ rate, … }` with the operator's other
/// parameters (`to` or `text`; `clause`, `sentence`, `capacity`).
struct OperatorSpec(OperatorKind);

impl<'de> DeserializeSeed<'de> for OperatorSpec {
    type Value = Operator;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Operator, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for OperatorSpec {
    type Value = Operator;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.0.text_param() {
            Some(p) => write!(f, "a rate from 0 to 1, or `{{ rate: 0.6, {p}: … }}`"),
            None => f.write_str("a rate from 0 to 1"),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Operator, E> {
        Ok(Operator::new(self.0, check_rate(v)?))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Operator, E> {
        self.visit_f64(v as f64)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Operator, E> {
        self.visit_f64(v as f64)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Operator, A::Error> {
        let text_param = self.0.text_param();
        let numbers = self.0.number_params();
        let mut allowed = vec!["rate"];
        allowed.extend(text_param);
        allowed.extend(numbers.iter().map(|p| p.name()));
        let mut rate = None;
        let mut text = None;
        let mut op = Operator::new(self.0, 0.0);
        while let Some(key) = map.next_key::<String>()? {
            if key == "rate" {
                rate = Some(map.next_value::<Rate>()?.0);
            } else if let Some(param) = Param::from_name(&key).filter(|p| numbers.contains(p)) {
                let value: f64 = map.next_value()?;
                let checked = if param.is_rate() { check_rate::<A::Error>(value) } else { check_capacity::<A::Error>(value) };
                let value = checked.map_err(|e| de::Error::custom(format!("{}{e}", field_marker(&key))))?;
                op.set_param(param, value);
            } else if Some(key.as_str()) == text_param {
                let value: String = map.next_value()?;
                if value.trim().is_empty() {
                    return Err(de::Error::custom(format!("{}`{key}` is empty: write what the hop says", field_marker(&key))));
                }
                text = Some(value.trim().to_string());
            } else {
                // in serde's words, so that the message names the suggestion and the fields
                let expected: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
                return Err(de::Error::custom(format!(
                    "{}unknown field `{key}`, expected one of {}",
                    field_marker(&key),
                    expected.join(", ")
                )));
            }
        }
        let Some(rate) = rate else {
            return Err(de::Error::custom(format!("missing field `rate` for operator `{}`", self.0.name())));
        };
        Ok(Operator { rate, text, ..op })
    }
}

/// `capacity`: a number of words, from 1.
fn check_capacity<E: de::Error>(v: f64) -> Result<f64, E> {
    if v.is_finite() && (1.0..=MAX_CAPACITY).contains(&v) {
        Ok(v)
    } else {
        Err(E::custom(format!(
            "capacity {v} is outside 1..{MAX_CAPACITY}: it is a number of words (a message that long is handled at half the rates)"
        )))
    }
}

struct Rate(f64);

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        check_rate(f64::deserialize(d)?).map(Rate)
    }
}

fn check_rate<E: de::Error>(v: f64) -> Result<f64, E> {
    if v.is_finite() && (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(E::custom(format!("rate {v} is outside 0..1: a rate is a probability, 0 never, 1 always")))
    }
}

/// The scenario file's top level, as written.
#[derive(Debug)]
pub struct ScenarioFile {
    pub name: String,
    pub description: Option<String>,
    pub seed: u64,
    pub runs: u64,
    pub customer: Customer,
    pub metrics: Vec<Metric>,
    pub lexicon: LexiconData,
    pub presets: Vec<CustomPreset>,
    pub chain: Vec<Hop>,
}

/// The top-level fields, in the order unknown-field messages list them.
pub const TOP_LEVEL: &[&str] = &["version", "name", "description", "seed", "runs", "customer", "metrics", "lexicon", "presets", "chain"];

/// A scenario file's top level, read field by field so that each field is a slot of its own
/// (see [`super::recover`]): `None` when a field was left out because it failed before.
pub struct TopLevel(pub Option<ScenarioFile>);

/// Reads a [`TopLevel`] with what the reading knows.
pub struct TopLevelSeed<'a>(pub Reading<'a>);

impl<'de> DeserializeSeed<'de> for TopLevelSeed<'_> {
    type Value = TopLevel;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<TopLevel, D::Error> {
        d.deserialize_map(self)
    }
}

/// The top-level fields' values, each with the deserialiser the format gives it.
macro_rules! field_types {
    ($($name:ident($ty:ty) = $with:path;)*) => {$(
        struct $name($ty);
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $with(d).map($name)
            }
        }
    )*};
}

field_types! {
    VersionField(u64) = version;
    NameField(String) = words;
    RunsField(u64) = runs;
}

/// A top-level key: one of [`TOP_LEVEL`], else an error naming them (at the key, as serde's
/// own message for an unknown field).
struct TopLevelKey;

impl<'de> DeserializeSeed<'de> for TopLevelKey {
    type Value = &'static str;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<&'static str, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for TopLevelKey {
    type Value = &'static str;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<&'static str, E> {
        TOP_LEVEL.iter().find(|k| **k == key).copied().ok_or_else(|| E::unknown_field(key, TOP_LEVEL))
    }

    fn visit_u64<E: de::Error>(self, key: u64) -> Result<&'static str, E> {
        self.visit_str(&key.to_string())
    }

    fn visit_i64<E: de::Error>(self, key: i64) -> Result<&'static str, E> {
        self.visit_str(&key.to_string())
    }

    fn visit_bool<E: de::Error>(self, key: bool) -> Result<&'static str, E> {
        self.visit_str(&key.to_string())
    }
}

impl<'de> Visitor<'de> for TopLevelSeed<'_> {
    type Value = TopLevel;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("struct ScenarioFile")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
        #[derive(Default)]
        struct Fields {
            version: Option<u64>,
            name: Option<String>,
            description: Option<Option<String>>,
            seed: Option<u64>,
            runs: Option<u64>,
            customer: Option<Customer>,
            metrics: Option<Vec<Metric>>,
            lexicon: Option<LexiconData>,
            presets: Option<Vec<CustomPreset>>,
            chain: Option<Vec<Hop>>,
        }
        let Reading { recovery, .. } = self.0;
        let mut f = Fields::default();
        // a field that failed before is given but left out: the file is not complete, but
        // the field is not missing either
        let mut left_out = false;
        let mut given: Vec<&'static str> = Vec::new();
        for index in 0.. {
            // unknown keys are slots too, named by their place among the keys
            let place = format!("key {index}");
            let key = if recovery.skipped(&place) {
                match map.next_key::<IgnoredAny>()? {
                    Some(_) => {
                        map.next_value::<IgnoredAny>()?;
                        continue;
                    }
                    None => break,
                }
            } else {
                match recovery.within(&place, || map.next_key_seed(TopLevelKey))? {
                    Some(key) => key,
                    None => break,
                }
            };
            given.push(key);
            macro_rules! read {
                ($field:ident, $seed:expr, $get:expr) => {
                    match map.next_value_seed(Slot::new(recovery, key, $seed))? {
                        Some(v) => f.$field = Some($get(v)),
                        None => left_out = true,
                    }
                };
            }
            use std::marker::PhantomData as Plain;
            match key {
                "version" => read!(version, Plain::<VersionField>, |v: VersionField| v.0),
                "name" => read!(name, Plain::<NameField>, |v: NameField| v.0),
                "description" => read!(description, Plain::<Option<String>>, |v| v),
                "seed" => read!(seed, Plain::<u64>, |v| v),
                "runs" => read!(runs, Plain::<RunsField>, |v: RunsField| v.0),
                "customer" => read!(customer, Plain::<Customer>, |v| v),
                "metrics" => read!(metrics, MetricsSeed(recovery), |v| v),
                "lexicon" => read!(lexicon, Plain::<LexiconData>, |v| v),
                "presets" => read!(presets, PresetsSeed(recovery), |v| v),
                _ => read!(chain, ChainSeed(self.0), |v| v),
            }
        }
        for name in ["version", "name", "customer", "chain"] {
            if !given.contains(&name) {
                recovery.check(&format!("missing {name}"), || de::Error::missing_field(name))?;
                left_out = true;
            }
        }
        if left_out {
            return Ok(TopLevel(None));
        }
        let (Some(name), Some(customer), Some(chain)) = (f.name, f.customer, f.chain) else { return Ok(TopLevel(None)) };
        Ok(TopLevel(Some(ScenarioFile {
            name,
            description: f.description.flatten(),
            seed: f.seed.unwrap_or(super::DEFAULT_SEED),
            runs: f.runs.unwrap_or(super::DEFAULT_RUNS),
            customer,
            metrics: f.metrics.unwrap_or_else(|| Metric::DEFAULT.to_vec()),
            lexicon: f.lexicon.unwrap_or_default(),
            presets: f.presets.unwrap_or_default(),
            chain,
        })))
    }
}
