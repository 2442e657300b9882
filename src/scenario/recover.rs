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
//!
//! What the readings remember lives in a [`Recovery`], a value owned by the one call that
//! reads the file and handed down to each slot by serde's seeds ([`Slot`]). Nothing is kept
//! anywhere else, so no reading can see what a reading of another file left behind.

use std::cell::RefCell;
use std::collections::HashSet;

use serde::de::{Deserialize, DeserializeSeed, Deserializer, IgnoredAny};

/// What the readings of one scenario file remember between them. `RefCell` because serde
/// hands a seed out by value and reads through shared references; one reading at a time.
#[derive(Default)]
pub struct Recovery {
    state: RefCell<State>,
    /// Names of the scenario's own presets whose definitions failed: hops may still name
    /// them without a second, misleading "unknown preset". Kept from the presets' pass to
    /// the main one.
    broken_presets: RefCell<Vec<String>>,
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

impl Recovery {
    /// Nothing failed yet: the state for one file.
    pub fn new() -> Recovery {
        Recovery::default()
    }

    fn id(&self, key: &str) -> String {
        match self.state.borrow().open.last() {
            Some(parent) => format!("{parent}/{key}"),
            None => key.to_string(),
        }
    }

    /// True when the slot `key` (inside the slot being read) failed before and is to be
    /// skipped.
    pub fn skipped(&self, key: &str) -> bool {
        let id = self.id(key);
        self.state.borrow().reported.contains(&id)
    }

    /// Reads the slot `key` with `read`, noting it as the one that failed if it fails.
    pub fn within<T, E>(&self, key: &str, read: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        let id = self.id(key);
        self.state.borrow_mut().open.push(id.clone());
        // no borrow is held while `read` runs: it opens slots of its own
        let out = read();
        let mut s = self.state.borrow_mut();
        s.open.pop();
        if out.is_err() && s.failed.is_none() {
            s.failed = Some(id);
        }
        out
    }

    /// Reads the value `d` as the slot `key`: `None` when it failed in an earlier reading.
    pub fn slot<'de, D: Deserializer<'de>, T>(
        &self,
        d: D,
        key: &str,
        read: impl FnOnce(D) -> Result<T, D::Error>,
    ) -> Result<Option<T>, D::Error> {
        if self.skipped(key) {
            IgnoredAny::deserialize(d)?;
            return Ok(None);
        }
        self.within(key, || read(d)).map(Some)
    }

    /// A problem found after a value was read (a missing field, a list too long): raised as
    /// the slot `key`, unless it was reported before, when `Ok` lets the reading go on.
    pub fn check<E>(&self, key: &str, err: impl FnOnce() -> E) -> Result<(), E> {
        if self.skipped(key) { Ok(()) } else { self.within(key, || Err(err())) }
    }

    /// Notes that the scenario's own preset `name` failed to read.
    pub fn broken_preset(&self, name: &str) {
        self.broken_presets.borrow_mut().push(name.to_string());
    }

    /// True when the scenario's own preset `name` failed to read (and was reported).
    pub fn is_broken_preset(&self, name: &str) -> bool {
        self.broken_presets.borrow().iter().any(|b| b == name)
    }

    /// Reads with `read` again and again, skipping each slot that failed, until a reading
    /// succeeds, an error belongs to no slot (nothing after it can be trusted), or `most`
    /// errors are found. Returns the value of the last reading that succeeded (the real one
    /// when there are no errors, else one with the failed slots left out), and every error.
    /// `skip` names slots to leave out from the start (found wrong by an earlier pass). The
    /// slots of an earlier call are forgotten; the broken presets are kept.
    pub fn collect<T, E>(&self, skip: &[&str], most: usize, mut read: impl FnMut() -> Result<T, E>) -> (Option<T>, Vec<E>) {
        *self.state.borrow_mut() = State { reported: skip.iter().map(|k| k.to_string()).collect(), ..State::default() };
        let mut errors = Vec::new();
        let value = loop {
            {
                let mut s = self.state.borrow_mut();
                s.failed = None;
                s.open.clear();
            }
            match read() {
                Ok(v) => break Some(v),
                Err(e) => {
                    errors.push(e);
                    let mut s = self.state.borrow_mut();
                    let again = match s.failed.take() {
                        Some(id) => s.reported.insert(id),
                        None => false,
                    };
                    if !again || errors.len() >= most {
                        break None;
                    }
                }
            }
        };
        (value, errors)
    }
}

/// A [`Recovery::slot`] as a seed: a list's element (named by its index) or a field, read by
/// `seed` unless it failed before.
pub struct Slot<'r, S> {
    recovery: &'r Recovery,
    key: String,
    seed: S,
}

impl<'r, S> Slot<'r, S> {
    pub fn new(recovery: &'r Recovery, key: impl ToString, seed: S) -> Slot<'r, S> {
        Slot { recovery, key: key.to_string(), seed }
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Slot<'_, S> {
    type Value = Option<S::Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<S::Value>, D::Error> {
        let seed = self.seed;
        self.recovery.slot(d, &self.key, |d| seed.deserialize(d))
    }
}
