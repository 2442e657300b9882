//! Writing outputs. A command's files for one scenario appear all at once: drift builds the
//! whole folder beside the old one (a hidden staging folder in `--out`), syncs it to disk,
//! then swaps it in with one rename and removes the old copy, so a reader only ever sees the
//! complete set of one run. While it writes, drift holds a lock on `--out/.drift.lock`, so two
//! drift processes writing into the same `--out` take turns instead of mixing their files.
//!
//! Each command owns its own files in a folder: `run` its trace, tables, report and charts,
//! `sweep` its sweep files, and so on. The new folder gets a link to (or, for a folder, the
//! very entry of) everything else that was there: the other command's outputs and the user's
//! own files. drift never removes a file it did not write. A hidden `.drift-source` file
//! records which scenario file the outputs come from; another scenario file with the same
//! `name:` gets a folder of its own beside it (`-2`, `-3`, …).
//!
//! Nothing is written outside `--out`: every step goes through an opened folder handle and
//! never follows a symbolic link below `--out` (a link where the folder goes is refused).

#[cfg(not(unix))]
compile_error!("drift writes its outputs through folder handles (openat, renameat2, flock): it builds on Unix-like systems only");

mod dir;

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use dir::{Dir, Entry};

use crate::error::{Error, warn};
use crate::interrupt::{Cancel, Signals};

/// The lock file in `--out`, held while a command writes there. It stays (removing a lock
/// file races with the next process that opens it).
const LOCK: &str = ".drift.lock";
/// In an output folder: the scenario files its outputs come from, one path a line.
const SOURCE: &str = ".drift-source";
/// Staging and temporary names left by a process that died are removed once they are this old
/// even if a process with that id exists (ids are reused).
const STALE_AFTER_SECONDS: i64 = 600;
/// How many folders of one name (`slug`, `slug-2`, …) drift tries before giving up.
const SAME_NAME_FOLDERS: usize = 100;
/// [`Dir::read_small`]'s error for a name that is not a regular file.
const NOT_A_FILE: &str = dir::NOT_A_FILE;

/// The command that writes a folder: it replaces its own files there and keeps the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    Run,
    Sweep,
    Compare,
    Calibrate,
}

impl Writer {
    const ALL: [Writer; 4] = [Writer::Run, Writer::Sweep, Writer::Compare, Writer::Calibrate];

    /// True for a file name this command writes (in some run, with some options).
    pub fn owns(self, name: &str) -> bool {
        let (fixed, charts): (Vec<&str>, Vec<&str>) = match self {
            Writer::Run => (
                crate::output::FILE_FORMATS.iter().map(|f| f.file_name()).chain(["report.html"]).collect(),
                crate::chart::ChartKind::ALL.iter().map(|k| k.name()).collect(),
            ),
            Writer::Sweep => (vec!["sweep.csv", "sweep.json"], vec!["sweep"]),
            Writer::Compare => (vec!["compare.json"], vec!["compare"]),
            Writer::Calibrate => (vec!["calibration.json", "calibration.csv", "folds.csv", "preset.yaml"], vec!["calibration"]),
        };
        fixed.contains(&name) || name.rsplit_once('.').is_some_and(|(stem, ext)| charts.contains(&stem) && ["png", "svg"].contains(&ext))
    }
}

/// Where a command's outputs go: the folder `name` (a slug) in `out`.
#[derive(Debug)]
pub struct Folder<'a> {
    pub out: &'a Path,
    pub name: &'a str,
    pub writer: Writer,
    /// The files the outputs are made from (scenarios, data): a folder made from other files
    /// is not replaced; empty when they come from drift's own data only.
    pub sources: &'a [&'a Path],
}

/// What [`write_folder`] did.
#[derive(Debug)]
pub struct Written {
    /// The folder the files are in (`out/slug`, or `out/slug-2` beside another scenario's).
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
}

/// Fails at once, before any work, when `--out` (or a folder above it) is a file: the outputs
/// could never be written there.
pub fn check_out(out: &Path) -> Result<(), Error> {
    for above in out.ancestors().filter(|p| !p.as_os_str().is_empty()) {
        match std::fs::metadata(above) {
            Ok(m) if m.is_dir() => return Ok(()),
            Ok(_) => return Err(Error::OutNotAFolder { out: out.to_path_buf(), file: above.to_path_buf() }),
            Err(_) => continue,
        }
    }
    Ok(())
}

/// Writes `files` (plain names) as the command's outputs in `folder`, replacing its earlier
/// outputs there at once and keeping everything it does not own. Ctrl-C (as `signals` report
/// it) is seen until the moment of the swap ([`Error::Interrupted`]: nothing changed); after
/// it, the write finishes.
pub fn write_folder(folder: &Folder, files: &[(String, Vec<u8>)], signals: &Signals) -> Result<Written, Error> {
    debug_assert!(is_plain_name(folder.name), "{:?} is not a plain name", folder.name);
    let _cancellable = signals.begin_cancellable();
    let out = open_out(folder.out)?;
    let _lock = lock(&out, folder.out, signals.cancel())?;
    tidy(&out);
    let source = source_text(folder.sources);
    let (name, old) = choose_folder(&out, folder, &source)?;
    let path = folder.out.join(&name);
    let mut names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    names.push(SOURCE);
    if let Some(old) = &old {
        for name in &names {
            if old.entry(OsStr::new(name)).map_err(|e| io_error("read", &path, e))?.is_some_and(|e| !e.is_file() && !e.is_link()) {
                return Err(Error::Io {
                    action: "replace",
                    path: path.join(name),
                    source: std::io::Error::other("something that is not a file is in the way"),
                    help: "move it away, or choose another folder with --out",
                });
            }
        }
    }
    let mode = old.as_ref().and_then(|d| d.mode().ok());
    let stage = Stage::new(&out, &name, mode, &path)?;
    for (file, bytes) in files {
        debug_assert!(is_plain_name(file), "{file:?} is not a plain name");
        stage.write(file, bytes, &path)?;
        signals.check()?;
    }
    stage.write(SOURCE, &source, &path)?;
    let mut keep = Keep::default();
    if let Some(old) = &old {
        keep = carry(old, &stage.dir, folder.writer, &names).map_err(|e| io_error("copy the other files of", &path, e))?;
    }
    stage.dir.sync().map_err(|e| io_error("write", &path, e))?;
    // the last moment Ctrl-C can stop the write with the earlier outputs as they were
    signals.check()?;
    stage.commit(&out, &name, old, keep, &path)?;
    Ok(Written { files: files.iter().map(|(n, _)| path.join(n)).collect(), dir: path })
}

/// Writes `files` straight into `out` (the manual pages of `drift man --out`, which share a
/// folder such as man1 with other programs' pages): each replaces its earlier version at once,
/// after all are written and synced. No lock file is left in such a shared folder: two drifts
/// writing the same pages at once write the same bytes.
pub fn write_into(out_path: &Path, files: &[(String, Vec<u8>)], signals: &Signals) -> Result<Vec<PathBuf>, Error> {
    let _cancellable = signals.begin_cancellable();
    let out = open_out(out_path)?;
    tidy(&out);
    let mut temps = Temps { dir: &out, names: Vec::new() };
    for (name, bytes) in files {
        debug_assert!(is_plain_name(name), "{name:?} is not a plain name");
        let target = out_path.join(name);
        if out.entry(OsStr::new(name)).map_err(|e| io_error("read", &target, e))?.is_some_and(|e| !e.is_file() && !e.is_link()) {
            return Err(Error::Io {
                action: "replace",
                path: target,
                source: std::io::Error::other("something that is not a file is in the way"),
                help: "move it away, or choose another folder with --out",
            });
        }
        temps.names.push((temp_file(&out, name, bytes, &target)?, name.clone()));
        signals.check()?;
    }
    let mut written = Vec::new();
    for (temp, name) in std::mem::take(&mut temps.names) {
        let target = out_path.join(&name);
        if let Err(e) = out.rename(&temp, &out, OsStr::new(&name)) {
            let _ = out.remove_file(&temp);
            return Err(io_error("write", &target, e));
        }
        written.push(target);
    }
    out.sync().map_err(|e| io_error("write", out_path, e))?;
    Ok(written)
}

/// Writes one file at once (a scenario saved by `drift play`, a starter from `drift new`).
/// With `overwrite` false an existing file is kept and [`Error::Exists`] returned. Only a
/// regular file (or a link to one, which is replaced, not followed) is ever replaced: a
/// device, a pipe, a socket or a folder is refused with [`Error::NotAFile`]. Ctrl-C before
/// the rename leaves no temporary file and the old file as it was.
pub fn write_file(path: &Path, bytes: &[u8], overwrite: bool, signals: &Signals) -> Result<(), Error> {
    let _cancellable = signals.begin_cancellable();
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Some(name) = path.file_name().filter(|n| is_plain_name(&n.to_string_lossy())) else {
        return Err(Error::NotAFile { path: path.to_path_buf(), what: "not a file name".into() });
    };
    let dir = Dir::open(&folder).map_err(|e| io_error("open the folder", &folder, e))?;
    let replaceable = |dir: &Dir| -> Result<bool, Error> {
        let Some(entry) = dir.entry(name).map_err(|e| io_error("read", path, e))? else {
            return Ok(false);
        };
        let refuse = |what: &str| Error::NotAFile { path: path.to_path_buf(), what: what.to_string() };
        if entry.is_link() {
            match dir.target(name).map_err(|e| io_error("read", path, e))? {
                Some(target) if !target.is_file() => return Err(refuse(&format!("a symbolic link to {}", kind_name(&target)))),
                _ => {}
            }
        } else if !entry.is_file() {
            return Err(refuse(kind_name(&entry)));
        }
        if !overwrite {
            return Err(Error::Exists { path: path.to_path_buf() });
        }
        Ok(true)
    };
    replaceable(&dir)?;
    let temp = temp_file(&dir, &name.to_string_lossy(), bytes, path)?;
    let mut temps = Temps { dir: &dir, names: vec![(temp.clone(), String::new())] };
    signals.check()?;
    // looked at again just before: what is there now is what gets replaced
    let exists = replaceable(&dir)?;
    let renamed = if exists {
        dir.rename(&temp, &dir, name).map(|()| true)
    } else {
        dir.rename_new(&temp, &dir, name).and_then(|done| {
            if done {
                Ok(true)
            } else if dir.entry(name)?.is_some() {
                Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists))
            } else {
                dir.rename(&temp, &dir, name).map(|()| true)
            }
        })
    };
    match renamed {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(Error::Exists { path: path.to_path_buf() }),
        Err(e) => return Err(io_error("write", path, e)),
        Ok(_) => {}
    }
    temps.names.clear();
    dir.sync().map_err(|e| io_error("write", path, e))?;
    Ok(())
}

/// "a FIFO (named pipe)", "a folder", … for a message.
fn kind_name(entry: &Entry) -> &'static str {
    use rustix::fs::FileType;
    match entry.kind {
        FileType::Directory => "a folder",
        FileType::CharacterDevice => "a character device",
        FileType::BlockDevice => "a block device",
        FileType::Fifo => "a FIFO (named pipe)",
        FileType::Socket => "a socket",
        FileType::Symlink => "a symbolic link",
        FileType::RegularFile => "a file",
        _ => "not a regular file",
    }
}

/// True for a name that stays in its folder: no separators, not `.` or `..`.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\']) && !name.contains('\0')
}

fn io_error(action: &'static str, path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        action,
        path: path.to_path_buf(),
        source,
        help: "check the folder's permissions and free space, or choose another folder with --out",
    }
}

/// Creates `--out` if needed and opens it (following a link: the user chose it).
fn open_out(out: &Path) -> Result<Dir, Error> {
    let created = std::fs::create_dir_all(out).and_then(|()| Dir::open(out));
    created.map_err(|source| Error::Io {
        action: "create the output folder",
        path: out.to_path_buf(),
        source,
        help: "choose another folder with --out",
    })
}

/// Takes the lock on `--out`, waiting (`cancel`, Ctrl-C, stops the wait) while another drift
/// writes.
fn lock(out: &Dir, path: &Path, cancel: &Cancel) -> Result<Option<dir::Lock>, Error> {
    let file = out.open_lock(OsStr::new(LOCK)).map_err(|e| match e.raw_os_error() {
        Some(code) if code == rustix::io::Errno::LOOP.raw_os_error() => {
            Error::Unsafe { path: path.join(LOCK), why: "it is a symbolic link, and drift keeps its lock file there".into() }
        }
        _ => io_error("lock", &path.join(LOCK), e),
    })?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(Error::Unsafe { path: path.join(LOCK), why: "it is not a regular file, and drift keeps its lock file there".into() });
    }
    let mut waited = false;
    loop {
        match dir::try_lock(file.try_clone().map_err(|e| io_error("lock", &path.join(LOCK), e))?) {
            Ok(Some(lock)) => return Ok(Some(lock)),
            Ok(None) => {
                if !waited {
                    warn(&format!("another drift is writing to {}/; waiting for it to finish", path.display()));
                    waited = true;
                }
                cancel.check()?;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(e) => {
                warn(&format!(
                    "cannot lock {} ({e}); another drift writing to {}/ at the same time could mix its files in",
                    path.join(LOCK).display(),
                    path.display()
                ));
                return Ok(None);
            }
        }
    }
}

/// The contents of [`SOURCE`]: the files' full paths, one a line.
fn source_text(sources: &[&Path]) -> Vec<u8> {
    let mut text = Vec::new();
    for source in sources {
        let full = std::fs::canonicalize(source).or_else(|_| std::path::absolute(source)).unwrap_or_else(|_| source.to_path_buf());
        text.extend_from_slice(full.as_os_str().as_bytes());
        text.push(b'\n');
    }
    text
}

/// The folder to write: `name`, or the first of `name-2`, `name-3`, … that holds no other
/// sources' outputs, and that folder opened if it exists.
fn choose_folder(out: &Dir, folder: &Folder, source: &[u8]) -> Result<(String, Option<Dir>), Error> {
    for n in 1..=SAME_NAME_FOLDERS {
        let name = if n == 1 { folder.name.to_string() } else { format!("{}-{n}", folder.name) };
        let path = folder.out.join(&name);
        let unsafe_here = |why: String| Error::Unsafe { path: path.clone(), why };
        let entry = out.entry(OsStr::new(&name)).map_err(|e| io_error("read", &path, e))?;
        let dir = match entry {
            None => return Ok((name, None)),
            Some(e) if e.is_link() => {
                let to = std::fs::read_link(&path).map(|t| t.display().to_string()).unwrap_or_default();
                return Err(unsafe_here(format!("it is a symbolic link (to {to})")));
            }
            Some(e) if !e.is_folder() => return Err(unsafe_here("it is a file, and drift needs a folder there".into())),
            Some(_) => out.open_folder(OsStr::new(&name)).map_err(|e| match e.raw_os_error() {
                Some(c) if c == rustix::io::Errno::LOOP.raw_os_error() || c == rustix::io::Errno::NOTDIR.raw_os_error() => {
                    unsafe_here("it was replaced by a symbolic link or a file while drift looked at it".into())
                }
                _ => io_error("open", &path, e),
            })?,
        };
        let recorded = match dir.read_small(OsStr::new(SOURCE), 64 * 1024) {
            Ok(bytes) => bytes,
            // a folder from before drift recorded its sources, or made by hand: drift's own
            // (a link or anything but a file there records nothing, and is replaced)
            Err(e) if e.kind() == std::io::ErrorKind::NotFound || e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => {
                return Ok((name, Some(dir)));
            }
            Err(e) if e.to_string() == NOT_A_FILE => return Ok((name, Some(dir))),
            Err(e) => return Err(io_error("read", &path.join(SOURCE), e)),
        };
        if recorded == source || !recorded_live(&recorded) {
            return Ok((name, Some(dir)));
        }
        let theirs = String::from_utf8_lossy(&recorded).lines().collect::<Vec<_>>().join(", ");
        if n == 1 {
            warn(&format!(
                "{}/ holds the outputs of {theirs}, another scenario with the same name; these go to a folder of their own beside it (give the scenarios different names to avoid this)",
                path.display()
            ));
        }
    }
    Err(Error::Io {
        action: "find a folder for",
        path: folder.out.join(folder.name),
        source: std::io::Error::other(format!("{SAME_NAME_FOLDERS} scenarios with that name already have folders")),
        help: "give the scenario another name, or choose another folder with --out",
    })
}

/// True while one of the recorded source files still exists: a folder whose sources are all
/// gone (the scenario was renamed or moved) is taken over.
fn recorded_live(recorded: &[u8]) -> bool {
    let paths: Vec<&[u8]> = recorded.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    paths.is_empty() || paths.iter().any(|p| Path::new(OsStr::from_bytes(p)).exists())
}

/// drift's own temporary names in `--out` and in output folders.
#[derive(Debug, PartialEq, Eq)]
enum Temporary {
    /// `.NAME.drift-new-PID-N`: a folder being built.
    New { of: String, pid: u32 },
    /// `.NAME.drift-old-PID-N`: an old folder moved aside.
    Old { of: String, pid: u32 },
    /// `.NAME.PID-N.drift-tmp`: a file being written.
    File { pid: u32 },
}

fn temporary(name: &OsStr) -> Option<Temporary> {
    let name = name.to_str()?.strip_prefix('.')?;
    let pid_n = |s: &str| -> Option<u32> {
        let (pid, n) = s.split_once('-')?;
        (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then_some(())?;
        pid.parse().ok()
    };
    if let Some(rest) = name.strip_suffix(".drift-tmp") {
        let (_, id) = rest.rsplit_once('.')?;
        return Some(Temporary::File { pid: pid_n(id)? });
    }
    for (marker, new) in [(".drift-new-", true), (".drift-old-", false)] {
        if let Some((of, id)) = name.rsplit_once(marker) {
            let (of, pid) = (of.to_string(), pid_n(id)?);
            if !is_plain_name(&of) {
                return None;
            }
            return Some(if new { Temporary::New { of, pid } } else { Temporary::Old { of, pid } });
        }
    }
    None
}

/// True for a temporary of a process that is gone, or of any process long ago.
fn stale(pid: u32, entry: &Entry) -> bool {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    pid != std::process::id() && (!dir::process_exists(pid) || now - entry.modified > STALE_AFTER_SECONDS)
}

/// With the lock held: removes what killed drift processes left in `--out` (staging folders,
/// old copies, temporary files), putting back anything in them drift did not write.
fn tidy(out: &Dir) {
    let Ok(names) = out.names() else { return };
    for name in names {
        let Some(found) = temporary(&name) else { continue };
        let Ok(Some(entry)) = out.entry(&name) else { continue };
        let is_old = matches!(found, Temporary::Old { .. });
        match found {
            Temporary::File { pid } if entry.is_file() && stale(pid, &entry) => {
                let _ = out.remove_file(&name);
            }
            Temporary::New { of, pid } | Temporary::Old { of, pid } if entry.is_folder() && stale(pid, &entry) => {
                if is_old && matches!(out.entry(OsStr::new(&of)), Ok(None)) {
                    // killed between moving the old folder aside and moving the new one in
                    if out.rename_new(&name, out, OsStr::new(&of)).unwrap_or(false) {
                        continue;
                    }
                }
                empty_old_copy(out, &name, &of, None);
            }
            _ => {}
        }
    }
}

/// True for what may go from an old copy or a dead staging folder: a file (or link) drift
/// wrote, or a second name of a file that lives on in the live folder.
fn disposable(name: &OsStr, entry: &Entry) -> bool {
    if entry.is_folder() {
        return false;
    }
    let text = name.to_string_lossy();
    Writer::ALL.iter().any(|w| w.owns(&text)) || text == SOURCE || temporary(name).is_some() || entry.links > 1
}

/// Empties the folder `name` in `out` (an old copy, or a dead staging folder of folder `of`):
/// removes what is [`disposable`], moves anything else into `of` (never over a name there),
/// then removes the folder. What cannot be moved stays, with a warning.
fn empty_old_copy(out: &Dir, name: &OsStr, of: &str, expected: Option<&Dir>) {
    let Ok(old) = out.open_folder(name) else { return };
    if let Some(expected) = expected
        && !old.itself().is_ok_and(|me| expected.is_same(&me))
    {
        warn(&format!("{} was replaced while drift wrote beside it; drift left it as it is", Path::new(name).display()));
        return;
    }
    let live = out.open_folder(OsStr::new(of)).ok();
    for item in old.names().unwrap_or_default() {
        let Ok(Some(entry)) = old.entry(&item) else { continue };
        if disposable(&item, &entry) {
            let _ = old.remove_file(&item);
        } else if let Some(live) = &live {
            let _ = old.rename_new(&item, live, &item);
        }
    }
    if out.remove_folder(name).is_err() {
        warn(&format!(
            "kept {} in the output folder: it holds files drift did not write; move them where they belong and remove it",
            Path::new(name).display()
        ));
    }
}

/// What the old folder hands on to the new one.
#[derive(Default)]
struct Keep {
    /// Given a second name in the new folder.
    linked: Vec<OsString>,
    /// To be moved into it just before the swap (folders, and files that cannot be linked).
    moved: Vec<OsString>,
}

/// Links every entry of `old` this command does not own into `new` (a folder, or a file that
/// cannot be linked, is moved at the swap instead).
fn carry(old: &Dir, new: &Dir, writer: Writer, written: &[&str]) -> std::io::Result<Keep> {
    let mut keep = Keep::default();
    for name in old.names()? {
        let Some(entry) = old.entry(&name)? else { continue };
        let text = name.to_string_lossy();
        let own = (entry.is_file() || entry.is_link()) && (writer.owns(&text) || written.contains(&text.as_ref()));
        let dead = match temporary(&name) {
            Some(Temporary::File { pid }) => entry.is_file() && stale(pid, &entry),
            _ => false,
        };
        if own || dead {
            continue;
        }
        if !entry.is_folder() && old.link(&name, new).is_ok() {
            keep.linked.push(name);
        } else {
            keep.moved.push(name);
        }
    }
    Ok(keep)
}

/// A folder being built in `--out`; dropped before it is swapped in, it is removed.
struct Stage<'a> {
    out: &'a Dir,
    name: OsString,
    dir: Dir,
    /// The old folder's permissions, given to the new one once it is written.
    mode: Option<u32>,
    done: bool,
}

impl<'a> Stage<'a> {
    fn new(out: &'a Dir, of: &str, mode: Option<u32>, path: &Path) -> Result<Stage<'a>, Error> {
        for n in 0u32..100 {
            let name = OsString::from(format!(".{of}.drift-new-{}-{n}", std::process::id()));
            match out.mkdir(&name, 0o777) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(io_error("create the output folder", path, e)),
            }
            let dir = out.open_folder(&name).map_err(|e| io_error("create the output folder", path, e))?;
            return Ok(Stage { out, name, dir, mode, done: false });
        }
        Err(io_error("create the output folder", path, std::io::Error::from(std::io::ErrorKind::AlreadyExists)))
    }

    fn write(&self, name: &str, bytes: &[u8], path: &Path) -> Result<(), Error> {
        let target = path.join(name);
        let mut file = self.dir.create_new(OsStr::new(name)).map_err(|e| io_error("write", &target, e))?;
        file.write_all(bytes).and_then(|()| file.sync_all()).map_err(|e| io_error("write", &target, e))
    }

    /// Swaps the staged folder in for `name` (or moves it there), then empties and removes the
    /// old copy. Ctrl-C is not looked at any more: once begun, this finishes.
    fn commit(mut self, out: &Dir, name: &str, old: Option<Dir>, keep: Keep, path: &Path) -> Result<(), Error> {
        let target = OsStr::new(name);
        let fail = |e: std::io::Error| io_error("write", path, e);
        let mut moved: Vec<&OsStr> = Vec::new();
        let undo = |moved: &[&OsStr], old: &Dir, stage: &Dir| {
            for item in moved {
                let _ = stage.rename(item, old, item);
            }
        };
        if let Some(old) = &old {
            for item in &keep.moved {
                if let Err(e) = old.rename(item, &self.dir, item) {
                    undo(&moved, old, &self.dir);
                    return Err(fail(e));
                }
                moved.push(item);
            }
        }
        if let Some(mode) = self.mode {
            let _ = self.dir.set_mode(mode);
        }
        let _ = self.dir.sync();
        let aside = match &old {
            None => {
                let placed = out.rename_new(&self.name, out, target).and_then(|done| {
                    if done {
                        Ok(())
                    } else if out.entry(target)?.is_some() {
                        Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists))
                    } else {
                        out.rename(&self.name, out, target)
                    }
                });
                placed.map_err(fail)?;
                None
            }
            Some(old_dir) => match out.exchange(&self.name, target) {
                Ok(true) => Some(self.name.clone()),
                Ok(false) => {
                    // no exchange here: move the old folder aside, then the new one in
                    let aside = OsString::from(format!(".{name}.drift-old-{}-0", std::process::id()));
                    let steps = out.rename(target, out, &aside).and_then(|()| {
                        out.rename(&self.name, out, target).inspect_err(|_| {
                            let _ = out.rename(&aside, out, target);
                        })
                    });
                    if let Err(e) = steps {
                        undo(&moved, old_dir, &self.dir);
                        return Err(fail(e));
                    }
                    Some(aside)
                }
                Err(e) => {
                    undo(&moved, old_dir, &self.dir);
                    return Err(fail(e));
                }
            },
        };
        self.done = true;
        let _ = out.sync();
        if let (Some(aside), Some(old)) = (aside, old) {
            empty_old_copy(out, &aside, name, Some(&old));
        }
        Ok(())
    }
}

impl Drop for Stage<'_> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        for item in self.dir.names().unwrap_or_default() {
            if self.dir.entry(&item).is_ok_and(|e| e.is_some_and(|e| !e.is_folder())) {
                let _ = self.dir.remove_file(&item);
            }
        }
        let _ = self.out.remove_folder(&self.name);
    }
}

/// Writes `bytes` to a new temporary file in `dir` named after `name`, synced to disk; never
/// opens an existing file (or a link planted under the temporary name).
fn temp_file(dir: &Dir, name: &str, bytes: &[u8], target: &Path) -> Result<OsString, Error> {
    for attempt in 0u32..100 {
        let temp = OsString::from(format!(".{name}.{}-{attempt}.drift-tmp", std::process::id()));
        match dir.create_new(&temp) {
            Ok(mut file) => {
                if let Err(e) = file.write_all(bytes).and_then(|()| file.sync_all()) {
                    let _ = dir.remove_file(&temp);
                    return Err(io_error("write", target, e));
                }
                return Ok(temp);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_error("write", target, e)),
        }
    }
    Err(io_error("write", target, std::io::Error::from(std::io::ErrorKind::AlreadyExists)))
}

/// Temporary files not yet renamed into place; dropped, they are removed.
struct Temps<'a> {
    dir: &'a Dir,
    names: Vec<(OsString, String)>,
}

impl Drop for Temps<'_> {
    fn drop(&mut self) {
        for (temp, _) in &self.names {
            let _ = self.dir.remove_file(temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn folder<'a>(out: &'a Path, writer: Writer, sources: &'a [&'a Path]) -> Folder<'a> {
        Folder { out, name: "s", writer, sources }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
        v.sort();
        v
    }

    #[test]
    fn names_stay_in_their_folder() {
        assert!(is_plain_name("summary.json"));
        for bad in ["", ".", "..", "a/b", "a\\b", "../x"] {
            assert!(!is_plain_name(bad), "{bad}");
        }
    }

    #[test]
    fn drifts_temporary_names_are_recognised_and_nothing_else() {
        assert_eq!(temporary(OsStr::new(".summary.json.123-0.drift-tmp")), Some(Temporary::File { pid: 123 }));
        assert_eq!(temporary(OsStr::new(".my-slug.drift-new-77-3")), Some(Temporary::New { of: "my-slug".into(), pid: 77 }));
        assert_eq!(temporary(OsStr::new(".my-slug.drift-old-77-0")), Some(Temporary::Old { of: "my-slug".into(), pid: 77 }));
        for other in
            ["summary.json", ".drift-tmp", ".x.drift-tmp", ".x.12.drift-tmp", "x.drift-new-1-1", ".x.drift-new-a-1", ".x.drift-new-1-"]
        {
            assert_eq!(temporary(OsStr::new(other)), None, "{other}");
        }
    }

    #[test]
    fn a_failed_write_leaves_the_old_files_and_no_temporaries() {
        let out = tempfile::tempdir().unwrap();
        let files = vec![("summary.json".to_string(), b"old".to_vec()), ("hops.csv".to_string(), b"old".to_vec())];
        write_folder(&folder(out.path(), Writer::Run, &[]), &files, &Signals::new()).unwrap();
        // a folder where the second file goes: nothing may change
        fs::remove_file(out.path().join("s/hops.csv")).unwrap();
        fs::create_dir(out.path().join("s/hops.csv")).unwrap();
        let new = vec![("summary.json".to_string(), b"new".to_vec()), ("hops.csv".to_string(), b"new".to_vec())];
        assert!(write_folder(&folder(out.path(), Writer::Run, &[]), &new, &Signals::new()).is_err());
        assert_eq!(fs::read(out.path().join("s/summary.json")).unwrap(), b"old");
        assert_eq!(names(out.path()), [".drift.lock", "s"]);
    }

    #[test]
    fn a_signal_before_the_swap_leaves_the_old_files_and_no_temporaries() {
        let out = tempfile::tempdir().unwrap();
        let files = vec![("summary.json".to_string(), b"old".to_vec())];
        write_folder(&folder(out.path(), Writer::Run, &[]), &files, &Signals::new()).unwrap();
        let signals = Signals::new();
        signals.cancel().cancel();
        let new = vec![("summary.json".to_string(), b"new".to_vec())];
        assert!(matches!(write_folder(&folder(out.path(), Writer::Run, &[]), &new, &signals), Err(Error::Interrupted)));
        assert_eq!(fs::read(out.path().join("s/summary.json")).unwrap(), b"old");
        assert_eq!(names(out.path()), [".drift.lock", "s"]);
        let file = out.path().join("one.txt");
        assert!(matches!(write_file(&file, b"x", false, &signals), Err(Error::Interrupted)));
        assert_eq!(names(out.path()), [".drift.lock", "s"], "no file and no temporary");
    }

    #[test]
    fn each_command_replaces_its_own_files_and_keeps_the_rest() {
        let out = tempfile::tempdir().unwrap();
        let run = vec![("summary.json".to_string(), b"1".to_vec()), ("drift.png".to_string(), b"1".to_vec())];
        write_folder(&folder(out.path(), Writer::Run, &[]), &run, &Signals::new()).unwrap();
        fs::write(out.path().join("s/notes.txt"), "mine").unwrap();
        fs::create_dir(out.path().join("s/photos")).unwrap();
        fs::write(out.path().join("s/photos/a.jpg"), "jpg").unwrap();
        let sweep = vec![("sweep.csv".to_string(), b"1".to_vec())];
        write_folder(&folder(out.path(), Writer::Sweep, &[]), &sweep, &Signals::new()).unwrap();
        assert_eq!(names(&out.path().join("s")), [".drift-source", "drift.png", "notes.txt", "photos", "summary.json", "sweep.csv"]);
        let second = vec![("summary.json".to_string(), b"2".to_vec())];
        write_folder(&folder(out.path(), Writer::Run, &[]), &second, &Signals::new()).unwrap();
        assert_eq!(names(&out.path().join("s")), [".drift-source", "notes.txt", "photos", "summary.json", "sweep.csv"]);
        assert_eq!(fs::read_to_string(out.path().join("s/notes.txt")).unwrap(), "mine");
        assert_eq!(fs::read_to_string(out.path().join("s/photos/a.jpg")).unwrap(), "jpg");
        assert_eq!(names(out.path()), [".drift.lock", "s"]);
    }

    #[test]
    fn a_dead_processs_staging_folder_is_emptied_and_what_drift_did_not_write_put_back() {
        let out = tempfile::tempdir().unwrap();
        write_folder(&folder(out.path(), Writer::Run, &[]), &[("summary.json".to_string(), b"1".to_vec())], &Signals::new()).unwrap();
        // pid 4194304 is above the largest process id Linux hands out
        let dead = out.path().join(".s.drift-new-4194304-0");
        fs::create_dir(&dead).unwrap();
        fs::write(dead.join("summary.json"), "half").unwrap();
        fs::create_dir(dead.join("photos")).unwrap();
        fs::write(out.path().join(".x.4194304-0.drift-tmp"), "half").unwrap();
        let alive = out.path().join(format!(".s.drift-new-{}-9", std::process::id()));
        fs::create_dir(&alive).unwrap();
        write_folder(&folder(out.path(), Writer::Run, &[]), &[("summary.json".to_string(), b"2".to_vec())], &Signals::new()).unwrap();
        assert!(!dead.exists() && !out.path().join(".x.4194304-0.drift-tmp").exists());
        assert!(out.path().join("s/photos").is_dir());
        assert!(alive.exists());
    }
}
