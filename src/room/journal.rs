//! A room's journal: its events, one JSON line each, written and synced to disk as each one
//! happens, so that a room's typed words survive a crash, a Ctrl-C or a pulled plug. Resuming
//! a room is replaying its journal.
//!
//! Only an event the room accepted is written, and it is on disk before anyone is told it
//! happened. A crash in the middle of a write leaves a last line without its newline: replay
//! leaves that line out (nobody was told of it) and says so.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, Read, Write};
use std::path::Path;

use super::{Event, Room, RoomError};

/// The longest line a journal may hold: an event with the longest text, escaped, fits many
/// times over. A longer line is not a journal drift wrote.
const MAX_LINE_BYTES: usize = 1 << 20;

/// Why a journal cannot be replayed.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("line {line}: {message}")]
    Line { line: usize, message: String },
}

/// A journal open for appending.
pub struct Journal {
    file: File,
}

impl Journal {
    /// Opens (or creates) the journal at `path` for appending.
    pub fn open(path: &Path) -> io::Result<Journal> {
        Ok(Journal { file: OpenOptions::new().create(true).append(true).open(path)? })
    }

    /// Applies `event` to `room` and, when the room accepts it, writes it and syncs it to
    /// disk. The room is unchanged when the event is refused; a write that fails leaves the
    /// event applied but reports the error, for the caller to stop the room.
    pub fn record(&mut self, room: &mut Room, event: &Event) -> Result<Result<(), RoomError>, io::Error> {
        if let Err(e) = room.apply(event) {
            return Ok(Err(e));
        }
        let mut line = serde_json::to_string(event).map_err(io::Error::other)?;
        line.push('\n');
        self.file.write_all(line.as_bytes())?;
        self.file.sync_data()?;
        Ok(Ok(()))
    }
}

/// What replaying a journal gave: the room, its events, and whether a torn last line (a write
/// a crash cut short) was left out.
pub struct Replayed {
    pub room: Room,
    pub events: Vec<Event>,
    pub torn_tail: bool,
}

/// Replays the journal read from `input` into a room with a chain of `chain` hops.
pub fn replay(input: impl BufRead, chain: usize) -> Result<Replayed, JournalError> {
    let mut room = Room::new(chain);
    let mut events = Vec::new();
    let mut torn_tail = false;
    let mut input = input;
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        let read = input.by_ref().take(MAX_LINE_BYTES as u64 + 1).read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        number += 1;
        if line.last() != Some(&b'\n') {
            if line.len() > MAX_LINE_BYTES {
                return Err(JournalError::Line { line: number, message: format!("longer than {MAX_LINE_BYTES} bytes") });
            }
            // the last write, cut short: nobody was told it happened
            torn_tail = true;
            break;
        }
        let event: Event = serde_json::from_slice(&line).map_err(|e| JournalError::Line { line: number, message: e.to_string() })?;
        room.apply(&event).map_err(|e| JournalError::Line { line: number, message: e.to_string() })?;
        events.push(event);
    }
    Ok(Replayed { room, events, torn_tail })
}

#[cfg(test)]
mod tests {
    use super::super::By;
    use super::*;

    #[test]
    fn a_journal_replays_to_the_room_it_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("room.jsonl");
        let mut room = Room::new(3);
        let mut journal = Journal::open(&path).unwrap();
        for e in room.join("Ana").unwrap() {
            journal.record(&mut room, &e).unwrap().unwrap();
        }
        let refused = Event::Passed { hop: 0, by: By::Bot, text: "not the bot's turn".into() };
        assert!(journal.record(&mut room, &refused).unwrap().is_err(), "refused, and not written");
        journal
            .record(&mut room, &Event::Passed { hop: 0, by: By::Player(1), text: "Paperwork, \"again\"\nand again".into() })
            .unwrap()
            .unwrap();
        let replayed = replay(io::BufReader::new(File::open(&path).unwrap()), 3).unwrap();
        assert_eq!(replayed.room, room);
        assert_eq!(replayed.events.len(), 3);
        assert!(!replayed.torn_tail);
    }

    #[test]
    fn a_torn_last_line_is_left_out_and_said() {
        let text = "{\"event\":\"joined\",\"player\":1,\"name\":\"Ana\"}\n{\"event\":\"seated\",\"pla";
        let replayed = replay(text.as_bytes(), 2).unwrap();
        assert!(replayed.torn_tail);
        assert_eq!(replayed.events.len(), 1);
        assert_eq!(replayed.room.player(1).unwrap().name, "Ana");
    }

    #[test]
    fn a_journal_that_breaks_the_rules_says_where() {
        let text = "{\"event\":\"joined\",\"player\":1,\"name\":\"Ana\"}\n{\"event\":\"seated\",\"player\":1,\"hop\":9}\n";
        match replay(text.as_bytes(), 2) {
            Err(JournalError::Line { line, message }) => {
                assert_eq!((line, message.as_str()), (2, "the chain has 2 hops; there is no hop 10"))
            }
            other => panic!("{:?}", other.map(|r| r.events)),
        }
        assert!(matches!(replay("not json\n".as_bytes(), 2), Err(JournalError::Line { line: 1, .. })));
    }
}
