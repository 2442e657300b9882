//! Writing outputs: every file goes to a temporary file beside it and is renamed into place
//! once all of them are written, so an interrupted run leaves the previous complete outputs
//! or the new complete ones, never a half-written file. Nothing is written outside `--out`:
//! a symbolic link where drift would write a folder is refused, and one where it would write
//! a file is replaced, never followed.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::interrupt;

/// Files drift writes into an output folder, besides the charts: a file of one of these names
/// left from an earlier run that this run does not write is removed, so the folder always
/// describes one run. Anything else in the folder is left alone.
const OWN_FILES: [&str; 9] = [
    "trace.md",
    "hops.csv",
    "summary.json",
    "report.html",
    "compare.json",
    "sweep.csv",
    "calibration.json",
    "calibration.csv",
    "preset.yaml",
];

/// Writes `files` (plain names) into `out/sub`, creating both folders as needed; returns the
/// paths written. `sub` is a slug, one plain name; `None` writes into `out` itself.
pub fn write_folder(out: &Path, sub: Option<&str>, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, Error> {
    let _cancellable = interrupt::Cancellable::begin();
    fs::create_dir_all(out).map_err(|source| Error::Io {
        action: "create the output folder",
        path: out.to_path_buf(),
        source,
        help: "choose another folder with --out",
    })?;
    let dir = match sub {
        Some(sub) => {
            debug_assert!(is_plain_name(sub), "{sub:?} is not a plain name");
            let dir = out.join(sub);
            refuse_link(&dir)?;
            if !dir.is_dir() {
                fs::create_dir(&dir).map_err(|source| Error::Io {
                    action: "create the output folder",
                    path: dir.clone(),
                    source,
                    help: "check the folder's permissions, or choose another folder with --out",
                })?;
            }
            dir
        }
        None => out.to_path_buf(),
    };
    let mut staged = Staged { temps: Vec::new() };
    for (name, bytes) in files {
        debug_assert!(is_plain_name(name), "{name:?} is not a plain name");
        let path = dir.join(name);
        if path.is_dir() && !path.is_symlink() {
            return Err(Error::Io {
                action: "replace",
                path,
                source: std::io::Error::other("a folder is in the way"),
                help: "move the folder away, or choose another folder with --out",
            });
        }
        staged.temps.push((stage(&dir, name, bytes)?, path));
        interrupt::check().map_err(|_| Error::Interrupted)?;
    }
    // everything is written: put it in place (renaming replaces a link, never follows it)
    let written = staged.commit()?;
    // in drift's own folder, outputs of an earlier run that this one did not write go
    if sub.is_some() {
        let own = OWN_FILES.iter().map(|f| f.to_string()).chain(crate::chart::file_names());
        for name in own.filter(|f| !files.iter().any(|(name, _)| name == f)) {
            let path = dir.join(name);
            if path.symlink_metadata().is_ok_and(|m| m.is_file() || m.is_symlink()) {
                let _ = fs::remove_file(path);
            }
        }
    }
    interrupt::check().map_err(|_| Error::Interrupted)?;
    Ok(written)
}

/// Writes one file atomically (a scenario saved by `drift play`, a starter from `drift new`).
/// With `overwrite` false an existing file is kept and [`Error::Exists`] returned.
pub fn write_file(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), Error> {
    let _cancellable = interrupt::Cancellable::begin();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let temp = stage(&dir, &name, bytes)?;
    let staged = Staged { temps: vec![(temp, path.to_path_buf())] };
    if !overwrite && path.symlink_metadata().is_ok() {
        drop(staged);
        return Err(Error::Exists { path: path.to_path_buf() });
    }
    interrupt::check().map_err(|_| Error::Interrupted)?;
    staged.commit()?;
    Ok(())
}

/// True for a name that stays in its folder: no separators, not `.` or `..`.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\']) && !name.contains('\0')
}

/// A symbolic link where drift would write a folder could lead anywhere: refuse it.
fn refuse_link(path: &Path) -> Result<(), Error> {
    match path.symlink_metadata() {
        Ok(m) if m.is_symlink() => Err(Error::Unsafe {
            path: path.to_path_buf(),
            why: format!("it is a symbolic link (to {})", fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default()),
        }),
        Ok(m) if !m.is_dir() => {
            Err(Error::Unsafe { path: path.to_path_buf(), why: "it is a file, and drift needs a folder there".to_string() })
        }
        _ => Ok(()),
    }
}

/// Writes `bytes` to a new temporary file in `dir`, named after `name`; never opens an
/// existing file (or a link planted under the temporary name).
fn stage(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, Error> {
    for attempt in 0u32.. {
        let temp = dir.join(format!(".{name}.{}-{attempt}.drift-tmp", std::process::id()));
        let file = OpenOptions::new().write(true).create_new(true).open(&temp);
        match file {
            Ok(mut f) => {
                let written = f.write_all(bytes).and_then(|()| f.flush());
                if let Err(source) = written {
                    let _ = fs::remove_file(&temp);
                    return Err(Error::Io {
                        action: "write",
                        path: dir.join(name),
                        source,
                        help: "check the folder's permissions and free space, or choose another folder with --out",
                    });
                }
                return Ok(temp);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => continue,
            Err(source) => {
                return Err(Error::Io {
                    action: "write",
                    path: dir.join(name),
                    source,
                    help: "check the folder's permissions and free space, or choose another folder with --out",
                });
            }
        }
    }
    unreachable!("the loop returns")
}

/// Temporary files waiting to be renamed into place; dropped uncommitted, they are removed.
struct Staged {
    temps: Vec<(PathBuf, PathBuf)>,
}

impl Staged {
    fn commit(mut self) -> Result<Vec<PathBuf>, Error> {
        let mut written = Vec::new();
        for (temp, path) in std::mem::take(&mut self.temps) {
            if let Err(source) = fs::rename(&temp, &path) {
                let _ = fs::remove_file(&temp);
                return Err(Error::Io {
                    action: "write",
                    path,
                    source,
                    help: "check the folder's permissions, or choose another folder with --out",
                });
            }
            written.push(path);
        }
        Ok(written)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (temp, _) in &self.temps {
            let _ = fs::remove_file(temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_in_their_folder() {
        assert!(is_plain_name("summary.json"));
        for bad in ["", ".", "..", "a/b", "a\\b", "../x"] {
            assert!(!is_plain_name(bad), "{bad}");
        }
    }

    #[test]
    fn a_failed_write_leaves_the_old_files_and_no_temporaries() {
        let out = tempfile::tempdir().unwrap();
        let files = vec![("summary.json".to_string(), b"old".to_vec()), ("hops.csv".to_string(), b"old".to_vec())];
        write_folder(out.path(), Some("s"), &files).unwrap();
        // a folder where the second file goes: nothing may change
        fs::remove_file(out.path().join("s/hops.csv")).unwrap();
        fs::create_dir(out.path().join("s/hops.csv")).unwrap();
        let new = vec![("summary.json".to_string(), b"new".to_vec()), ("hops.csv".to_string(), b"new".to_vec())];
        assert!(write_folder(out.path(), Some("s"), &new).is_err());
        assert_eq!(fs::read(out.path().join("s/summary.json")).unwrap(), b"old");
        let left: Vec<String> =
            fs::read_dir(out.path().join("s")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
        assert!(left.iter().all(|n| !n.ends_with(".drift-tmp")), "{left:?}");
    }

    #[test]
    fn files_of_an_earlier_run_this_run_does_not_write_are_removed_and_others_kept() {
        let out = tempfile::tempdir().unwrap();
        let first = vec![("summary.json".to_string(), b"1".to_vec()), ("drift.png".to_string(), b"1".to_vec())];
        write_folder(out.path(), Some("s"), &first).unwrap();
        fs::write(out.path().join("s/notes.txt"), "mine").unwrap();
        let second = vec![("summary.json".to_string(), b"2".to_vec())];
        write_folder(out.path(), Some("s"), &second).unwrap();
        assert!(!out.path().join("s/drift.png").exists());
        assert_eq!(fs::read_to_string(out.path().join("s/notes.txt")).unwrap(), "mine");
    }
}
