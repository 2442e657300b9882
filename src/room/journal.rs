//! A room's journal: its events, one JSON line each, written and synced to disk as each one
//! happens, so that a room's typed words survive a crash, a Ctrl-C or a pulled plug. Resuming
//! a room is replaying its journal.
//!
//! The first line is a [`Header`]: which scenario, seed and teams, and the room's code and
//! screen key, so a resumed room answers at the same addresses and the phones reconnect by
//! themselves. Only an event the room accepted is written, and it is on disk before anyone is
//! told it happened. A crash in the middle of a write leaves a last line without its newline:
//! replay leaves that line out (nobody was told of it) and says so.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Event;

/// The longest line a journal may hold: an event with the longest text, escaped, fits many
/// times over. A longer line is not a journal drift wrote.
const MAX_LINE_BYTES: usize = 1 << 20;

/// The journal's format, written in its header: a later drift that changes it says so.
pub const FORMAT: u32 = 1;

/// What the room is: the journal's first line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// [`FORMAT`].
    pub drift_room: u32,
    /// The scenario file's fingerprint ([`crate::play::recovery::fingerprint`]), in hex: a
    /// room resumes only with the scenario it was played with.
    pub scenario: String,
    pub seed: u64,
    pub teams: usize,
    /// The room code in the players' join address.
    pub code: String,
    /// The key in the screen's address: whoever has it drives the game.
    pub screen: String,
}

/// One event of one team's chain (teams are numbered from 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub team: usize,
    #[serde(flatten)]
    pub event: Event,
}

/// Why a journal cannot be read.
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
    /// Creates the journal at `path` with its header; fails if the file exists.
    pub fn create(path: &Path, header: &Header) -> io::Result<Journal> {
        let file = OpenOptions::new().create_new(true).append(true).open(path)?;
        let mut journal = Journal { file };
        journal.write(&serde_json::to_string(header).map_err(io::Error::other)?)?;
        Ok(journal)
    }

    /// Opens an existing journal at `path` to append to it after its first `complete` bytes
    /// ([`Replay::complete_bytes`]): a torn last line after them, which nobody was told of, goes.
    pub fn append(path: &Path, complete: u64) -> io::Result<Journal> {
        let file = OpenOptions::new().append(true).open(path)?;
        if file.metadata()?.len() > complete {
            file.set_len(complete)?;
            file.sync_data()?;
        }
        Ok(Journal { file })
    }

    /// Writes `line` (an event the room has accepted) and syncs it to disk.
    pub fn record(&mut self, line: &Line) -> io::Result<()> {
        self.write(&serde_json::to_string(line).map_err(io::Error::other)?)
    }

    fn write(&mut self, json: &str) -> io::Result<()> {
        let mut bytes = Vec::with_capacity(json.len() + 1);
        bytes.extend_from_slice(json.as_bytes());
        bytes.push(b'\n');
        // one write, so a crash leaves at most a torn last line, never two half lines
        self.file.write_all(&bytes)?;
        self.file.sync_data()
    }
}

/// A journal as read back: its header, its lines (each with its line number), and whether a
/// torn last line (a write a crash cut short) was left out.
pub struct Replay {
    pub header: Header,
    pub lines: Vec<(usize, Line)>,
    pub torn_tail: bool,
    /// The bytes of the lines read whole: where the journal goes on.
    pub complete_bytes: u64,
}

/// Reads a journal from `input`. The events are not checked here: the room that replays them
/// says which line breaks its rules.
pub fn read(mut input: impl BufRead) -> Result<Replay, JournalError> {
    let mut buf = Vec::new();
    let mut number = 0;
    let mut header = None;
    let mut lines = Vec::new();
    let mut torn_tail = false;
    let mut complete_bytes = 0;
    loop {
        buf.clear();
        let read = (&mut input).take(MAX_LINE_BYTES as u64 + 1).read_until(b'\n', &mut buf)?;
        if read == 0 {
            break;
        }
        number += 1;
        if buf.last() != Some(&b'\n') {
            if buf.len() > MAX_LINE_BYTES {
                return Err(JournalError::Line { line: number, message: format!("longer than {MAX_LINE_BYTES} bytes") });
            }
            // the last write, cut short: nobody was told it happened
            torn_tail = true;
            break;
        }
        complete_bytes += read as u64;
        let bad = |e: serde_json::Error| JournalError::Line { line: number, message: e.to_string() };
        match header {
            None => {
                let h: Header = serde_json::from_slice(&buf)
                    .map_err(|e| JournalError::Line { line: number, message: format!("not the header of a drift room journal ({e})") })?;
                if h.drift_room != FORMAT {
                    return Err(JournalError::Line {
                        line: number,
                        message: format!("a room journal of format {} (this drift reads format {FORMAT})", h.drift_room),
                    });
                }
                header = Some(h);
            }
            Some(_) => lines.push((number, serde_json::from_slice(&buf).map_err(bad)?)),
        }
    }
    let header = header.ok_or(JournalError::Line { line: 1, message: "the journal is empty: it has no header".to_string() })?;
    Ok(Replay { header, lines, torn_tail, complete_bytes })
}

#[cfg(test)]
mod tests {
    use super::super::By;
    use super::*;

    fn header() -> Header {
        Header { drift_room: FORMAT, scenario: "00ff".into(), seed: 7, teams: 2, code: "ABCDEF".into(), screen: "s3cr3t".into() }
    }

    #[test]
    fn a_journal_reads_back_what_it_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("room.jsonl");
        let lines = [
            Line { team: 1, event: Event::Joined { player: 1, name: "Ana".into(), key: "k".into() } },
            Line { team: 0, event: Event::Started },
            Line { team: 0, event: Event::Passed { hop: 0, by: By::Player(1), text: "Paperwork, \"again\"\nand again".into() } },
        ];
        let mut journal = Journal::create(&path, &header()).unwrap();
        journal.record(&lines[0]).unwrap();
        drop(journal);
        assert!(Journal::create(&path, &header()).is_err(), "a journal is never written over");
        let mut journal = Journal::append(&path, std::fs::metadata(&path).unwrap().len()).unwrap();
        journal.record(&lines[1]).unwrap();
        journal.record(&lines[2]).unwrap();
        let read = read(io::BufReader::new(File::open(&path).unwrap())).unwrap();
        assert_eq!(read.header, header());
        assert_eq!(read.lines.iter().map(|(_, l)| l.clone()).collect::<Vec<_>>(), lines);
        assert_eq!(read.lines.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [2, 3, 4]);
        assert!(!read.torn_tail);
    }

    #[test]
    fn a_torn_last_line_is_left_out_and_said() {
        let text = format!(
            "{}\n{{\"team\":0,\"event\":\"joined\",\"player\":1,\"name\":\"Ana\",\"key\":\"k\"}}\n{{\"team\":0,\"event\":\"sea",
            serde_json::to_string(&header()).unwrap()
        );
        let read = read(text.as_bytes()).unwrap();
        assert!(read.torn_tail);
        assert_eq!(read.lines.len(), 1);
        // the journal goes on after the last whole line
        let whole = text.rfind('\n').unwrap() + 1;
        assert_eq!(read.complete_bytes, whole as u64);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("room.jsonl");
        std::fs::write(&path, &text).unwrap();
        let mut journal = Journal::append(&path, read.complete_bytes).unwrap();
        journal.record(&Line { team: 0, event: Event::Started }).unwrap();
        let after = std::fs::read_to_string(&path).unwrap();
        assert_eq!(after, format!("{}{{\"team\":0,\"event\":\"started\"}}\n", &text[..whole]));
    }

    #[test]
    fn what_is_not_a_journal_says_where() {
        let err = |text: &str| match read(text.as_bytes()) {
            Err(JournalError::Line { line, message }) => (line, message),
            other => panic!("{:?}", other.map(|r| r.lines)),
        };
        assert_eq!(err("").0, 1);
        assert!(err("not json\n").1.contains("not the header"));
        let h = serde_json::to_string(&header()).unwrap();
        assert_eq!(err(&format!("{h}\n{{\"team\":0,\"event\":\"flew\"}}\n")).0, 2);
        let future = h.replace("\"drift_room\":1", "\"drift_room\":9");
        assert!(err(&format!("{future}\n")).1.contains("format 9"));
    }
}
