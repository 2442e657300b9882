//! Never lose the room's typed hops. After every hop a person types, the game so far is
//! written to a recovery file: the played scenario with the typed hops as `said:` (so
//! `drift run` scores it, the hops not yet played simulated) under a header naming the
//! scenario it came from, the seed and the typed hops. It sits beside the file the game is
//! saved to (`--save played.yaml` → `played.yaml.drift-recovery`), or beside the scenario
//! without `--save`, so a facilitator finds it where the work would have gone; the name does
//! not end in `.yaml`, so `scenarios/*.yaml` and `drift calibrate`'s folders leave it alone.
//!
//! `q`, Ctrl-C, SIGTERM, a closed terminal or a crash leave it behind, and the next
//! `drift play` of the same scenario (and `--save`) offers it back. It goes once the played
//! chain is saved (or, without `--save`, once the game is finished).
//!
//! Each write is atomic and durable: a new temporary file beside it, synced, then renamed
//! over the old one, so a crash at any moment leaves the previous copy or the new one.

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::interrupt::Signals;
use crate::scenario::{Scenario, diagnose};

/// What the recovery file's name adds to its target's.
pub const SUFFIX: &str = ".drift-recovery";

/// How much of a file is read to find the header: its comment lines come first.
const HEAD_BYTES: u64 = 16 * 1024;

/// The header line that marks a file as drift's recovery file and says what it holds.
const MARK: &str = "# drift-recovery:";

/// The recovery file for a game saved to (or, without `--save`, played from) `target`.
pub fn path_for(target: &Path) -> PathBuf {
    let name = target.file_name().map_or_else(|| "played".into(), |n| n.to_os_string());
    let mut name = name;
    name.push(SUFFIX);
    target.with_file_name(name)
}

/// What game a recovery file belongs to, and which hops it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// [`fingerprint`] of the scenario file's text as it was played.
    pub scenario: u64,
    pub seed: u64,
    /// Hops typed in the room (0-based), in chain order.
    pub hops: Vec<usize>,
}

impl Header {
    /// `# drift-recovery: scenario=… seed=… hops=2,4` (hops numbered from 1, as traces do).
    pub fn line(&self) -> String {
        let hops: Vec<String> = self.hops.iter().map(|i| (i + 1).to_string()).collect();
        format!("{MARK} scenario={:016x} seed={} hops={}\n", self.scenario, self.seed, hops.join(","))
    }

    /// The header of a recovery file's text, if it has one (in its leading comments).
    pub fn parse(text: &str) -> Option<Header> {
        let line = text.lines().take_while(|l| l.starts_with('#')).find_map(|l| l.strip_prefix(MARK))?;
        let (mut scenario, mut seed, mut hops) = (None, None, None);
        for field in line.split_whitespace() {
            match field.split_once('=')? {
                ("scenario", v) => scenario = u64::from_str_radix(v, 16).ok(),
                ("seed", v) => seed = v.parse().ok(),
                ("hops", v) => {
                    hops = v.split(',').map(|n| n.parse::<usize>().ok().and_then(|n| n.checked_sub(1))).collect::<Option<Vec<_>>>()
                }
                _ => {}
            }
        }
        Some(Header { scenario: scenario?, seed: seed?, hops: hops.filter(|h| !h.is_empty())? })
    }
}

/// A stable fingerprint of a scenario file's text (64-bit FNV-1a): a recovery file is offered
/// back only to a game of the very scenario it was typed in.
pub fn fingerprint(source: &str) -> u64 {
    crate::hash::fnv1a(source.as_bytes())
}

/// An unfinished game found on disk.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub header: Header,
    /// (0-based hop, text), in chain order.
    pub typed: Vec<(usize, String)>,
}

impl Found {
    /// "2. Web agency, 4. Investor"
    pub fn hop_list(&self, scenario: &Scenario) -> String {
        let names: Vec<String> = self
            .typed
            .iter()
            .map(|(i, _)| match scenario.chain.get(*i) {
                Some(hop) => format!("{}. {}", i + 1, hop.role),
                None => (i + 1).to_string(),
            })
            .collect();
        names.join(", ")
    }
}

/// The unfinished game at `path`, if there is one: `Some(Err(why))` when the file is drift's
/// recovery file but cannot be resumed (it was edited, say). Anything else there is refused
/// (exit 2): a file drift did not write, a folder, a link or a device is never read,
/// replaced or removed.
pub fn find(path: &Path) -> Result<Option<Result<Found, String>>, Error> {
    let shown = path.display();
    let meta = match path.symlink_metadata() {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(Error::Io {
                action: "look for an unfinished game at",
                path: path.to_path_buf(),
                source,
                help: "check the folder's permissions, or give --save a file in a folder you can write",
            });
        }
    };
    if !meta.is_file() {
        return Err(Error::Usage(format!(
            "{shown} is in the way: drift play keeps the typed hops of a game there, and it is {}; move it away",
            kind_of(&meta)
        )));
    }
    // the header first, from the head of the file: a file of ours that cannot be read whole
    // (grown past the scenario size limit, say) can still be discarded
    let mut head = Vec::new();
    fs::File::open(path).and_then(|f| f.take(HEAD_BYTES).read_to_end(&mut head)).map_err(|source| Error::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
        help: "check the file's permissions, or move it away",
    })?;
    let Some(header) = Header::parse(&String::from_utf8_lossy(&head)) else {
        return Err(Error::Usage(format!(
            "{shown} exists and was not written by drift play, which keeps the typed hops of a game there and never replaces a file it did not write; move it away (or give --save another name)"
        )));
    };
    let text = match diagnose::read_source(path) {
        Ok(text) => text,
        Err(e) => return Ok(Some(Err(e.to_string()))),
    };
    let scenario = match Scenario::parse(&shown.to_string(), &text) {
        Ok(s) => s,
        Err(e) => return Ok(Some(Err(e.to_string()))),
    };
    let mut typed = Vec::new();
    for &i in &header.hops {
        match scenario.chain.get(i).and_then(|h| h.said.clone()) {
            Some(said) => typed.push((i, said)),
            None => return Ok(Some(Err(format!("hop {} has no `said:`", i + 1)))),
        }
    }
    Ok(Some(Ok(Found { path: path.to_path_buf(), header, typed })))
}

/// "a folder", "a symbolic link", "a device"…: what is at a path that is not a regular file.
pub fn kind_of(meta: &fs::Metadata) -> &'static str {
    let t = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_file() {
        "a file"
    } else {
        "not a regular file"
    }
}

/// Writes the recovery file atomically and durably: a new temporary file beside it, synced,
/// renamed over the old copy, and the folder synced. Ctrl-C (or SIGTERM) meanwhile is held
/// back until the copy is in place: the room's words come first; the caller then ends the
/// game. Refuses to replace anything but a regular file.
pub fn write(path: &Path, bytes: &[u8], signals: &Signals) -> io::Result<()> {
    let _held = signals.begin_cancellable();
    if let Ok(meta) = path.symlink_metadata()
        && !meta.is_file()
    {
        return Err(io::Error::other(format!("{} is in the way", kind_of(&meta))));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let mut attempt = 0u32;
    let (temp, mut file) = loop {
        let temp = dir.join(format!(".{name}.{}-{attempt}.drift-tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(f) => break (temp, f),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let written = file.write_all(bytes).and_then(|()| file.sync_all()).and_then(|()| fs::rename(&temp, path));
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    // the rename itself is durable once the folder is synced (not possible everywhere)
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Removes the recovery file (the game was saved, finished or discarded); a file that is no
/// longer there is fine.
pub fn remove(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recovery_file_sits_beside_its_target() {
        assert_eq!(path_for(Path::new("out/played.yaml")), PathBuf::from("out/played.yaml.drift-recovery"));
        assert_eq!(path_for(Path::new("s.yaml")), PathBuf::from("s.yaml.drift-recovery"));
    }

    #[test]
    fn the_header_reads_back() {
        let h = Header { scenario: 0xabc, seed: 42, hops: vec![1, 3] };
        let text = format!("# a comment\n{}version: 1\n", h.line());
        assert!(h.line().contains("hops=2,4"), "{}", h.line());
        assert_eq!(Header::parse(&text), Some(h));
        assert_eq!(Header::parse("version: 1\n# drift-recovery: scenario=1 seed=2 hops=1\n"), None, "only in the leading comments");
        assert_eq!(Header::parse("# drift-recovery: scenario=1 seed=2 hops=0\n"), None, "hops count from 1");
        assert_eq!(Header::parse("# drift-recovery: scenario=1 seed=x hops=1\n"), None);
        assert_ne!(fingerprint("a: 1\n"), fingerprint("a: 2\n"));
    }

    #[test]
    fn writing_replaces_the_old_copy_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.yaml.drift-recovery");
        let signals = Signals::new();
        write(&path, b"one", &signals).unwrap();
        write(&path, b"two", &signals).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        remove(&path).unwrap();
        remove(&path).unwrap();
        fs::create_dir(&path).unwrap();
        assert!(write(&path, b"three", &signals).is_err(), "a folder in the way is not replaced");
    }
}
