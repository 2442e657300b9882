//! Every independent error in a scenario, not just the first.
//!
//! serde stops at the first error, and the YAML reader cannot be resumed in the middle of a
//! value. So a scenario is read again after each error, with the part that failed — a *slot*:
//! a top-level field, a hop, a metric name, a preset, one operator of a `mutate` — read as
//! anything and left out. Every slot that fails once is reported once, at the place the
//! reader gives (line, column, field path), and a file with N mistakes costs N + 1 readings.
//!
//! A slot is named by where it is (`chain/3`, `chain/3/0`), never by what it holds, so a
//! reading that skips it still counts it: the next slot keeps its name. A valid file is read
//! exactly once, and the first reading of any file is the plain one: nothing is skipped until
//! something has failed, so what a valid file means cannot change.

use std::cell::RefCell;
use std::collections::HashSet;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny};

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

#[derive(Default)]
struct State {
    /// Slots that failed in an earlier reading: read as anything and left out from now on.
    reported: HashSet<String>,
    /// The slots being read, innermost last.
    open: Vec<String>,
    /// The slot this reading failed in, the innermost.
    failed: Option<String>,
}

thread_local! {
    /// Names of the scenario's own presets whose definitions failed: hops may still name
    /// them without a second, misleading "unknown preset". Kept from the presets' pass to
    /// the main one; [`fresh`] clears it.
    static BROKEN_PRESETS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn id(key: &str) -> String {
    STATE.with_borrow(|s| match s.open.last() {
        Some(parent) => format!("{parent}/{key}"),
        None => key.to_string(),
    })
}

/// True when the slot `key` (inside the slot being read) failed before and is to be skipped.
pub fn skipped(key: &str) -> bool {
    let id = id(key);
    STATE.with_borrow(|s| s.reported.contains(&id))
}

/// Reads the slot `key` with `read`, noting it as the one that failed if it fails.
pub fn within<T, E>(key: &str, read: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    let id = id(key);
    STATE.with_borrow_mut(|s| s.open.push(id.clone()));
    let out = read();
    STATE.with_borrow_mut(|s| {
        s.open.pop();
        if out.is_err() && s.failed.is_none() {
            s.failed = Some(id);
        }
    });
    out
}

/// Reads the value `d` as the slot `key`: `None` when it failed in an earlier reading.
pub fn slot<'de, D: Deserializer<'de>, T>(d: D, key: &str, read: impl FnOnce(D) -> Result<T, D::Error>) -> Result<Option<T>, D::Error> {
    if skipped(key) {
        IgnoredAny::deserialize(d)?;
        return Ok(None);
    }
    within(key, || read(d)).map(Some)
}

/// A problem found after a value was read (a missing field, a list too long): raised as the
/// slot `key`, unless it was reported before, when `Ok` lets the reading go on.
pub fn check<E>(key: &str, err: impl FnOnce() -> E) -> Result<(), E> {
    if skipped(key) { Ok(()) } else { within(key, || Err(err())) }
}

/// A [`slot`] read as `T`: a list's element (named by its index) or a field.
pub struct Slot<T>(pub String, pub std::marker::PhantomData<T>);

impl<T> Slot<T> {
    pub fn new(key: impl ToString) -> Slot<T> {
        Slot(key.to_string(), std::marker::PhantomData)
    }
}

impl<'de, T: de::Deserialize<'de>> DeserializeSeed<'de> for Slot<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        slot(d, &self.0, T::deserialize)
    }
}

/// Notes that the scenario's own preset `name` failed to read.
pub fn broken_preset(name: &str) {
    BROKEN_PRESETS.with_borrow_mut(|b| b.push(name.to_string()));
}

/// The scenario's own presets that failed to read, by name.
pub fn broken_presets() -> Vec<String> {
    BROKEN_PRESETS.with_borrow(|b| b.clone())
}

/// Reads with `read` again and again, skipping each slot that failed, until a reading
/// succeeds, an error belongs to no slot (nothing after it can be trusted), or `most` errors
/// are found. Returns the value of the last reading that succeeded (the real one when there
/// are no errors, else one with the failed slots left out), and every error. `skip` names
/// slots to leave out from the start (found wrong by an earlier pass).
pub fn collect<T, E>(skip: &[&str], most: usize, mut read: impl FnMut() -> Result<T, E>) -> (Option<T>, Vec<E>) {
    let fresh = State { reported: skip.iter().map(|k| k.to_string()).collect(), ..State::default() };
    let before = STATE.with_borrow_mut(|s| std::mem::replace(s, fresh));
    let mut errors = Vec::new();
    let value = loop {
        STATE.with_borrow_mut(|s| {
            s.failed = None;
            s.open.clear();
        });
        match read() {
            Ok(v) => break Some(v),
            Err(e) => {
                errors.push(e);
                let again = match STATE.with_borrow_mut(|s| s.failed.take()) {
                    Some(id) => STATE.with_borrow_mut(|s| s.reported.insert(id)),
                    None => false,
                };
                if !again || errors.len() >= most {
                    break None;
                }
            }
        }
    };
    STATE.with_borrow_mut(|s| *s = before);
    (value, errors)
}

/// Runs `parse` with nothing remembered from a file read before.
pub fn fresh<T>(parse: impl FnOnce() -> T) -> T {
    let before = STATE.with_borrow_mut(std::mem::take);
    let broken = BROKEN_PRESETS.with_borrow_mut(std::mem::take);
    let out = parse();
    STATE.with_borrow_mut(|s| *s = before);
    BROKEN_PRESETS.with_borrow_mut(|b| *b = broken);
    out
}
