//! A folder opened once and then used by handle (`openat`, `mkdirat`, `renameat`, …), so a
//! name swapped for a symbolic link between two steps cannot send a write somewhere else:
//! every name below the handle is opened without following links.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io;
use std::os::fd::OwnedFd;
use std::path::Path;

use rustix::fs::{self as rfs, AtFlags, FileType, FlockOperation, Mode, OFlags, RenameFlags};

/// An open folder.
pub(super) struct Dir {
    fd: OwnedFd,
}

/// What a name in a folder is, seen without following a link.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub kind: FileType,
    /// Hard links to it: above 1, the same file is also reachable under another name.
    pub links: u64,
    /// Last change, seconds since 1970.
    pub modified: i64,
    id: (u64, u64),
}

impl Entry {
    pub fn is_folder(&self) -> bool {
        self.kind == FileType::Directory
    }

    pub fn is_file(&self) -> bool {
        self.kind == FileType::RegularFile
    }

    pub fn is_link(&self) -> bool {
        self.kind == FileType::Symlink
    }
}

// the field types differ between systems: the casts are no-ops on some
#[allow(clippy::unnecessary_cast)]
fn entry(stat: &rfs::Stat) -> Entry {
    Entry {
        kind: FileType::from_raw_mode(stat.st_mode as _),
        links: stat.st_nlink as u64,
        modified: stat.st_mtime as i64,
        id: (stat.st_dev as u64, stat.st_ino as u64),
    }
}

/// The error [`Dir::read_small`] gives for a name that is not a regular file.
pub(super) const NOT_A_FILE: &str = "not a regular file";

const READ_DIR: OFlags = OFlags::RDONLY.union(OFlags::DIRECTORY).union(OFlags::CLOEXEC);

impl Dir {
    /// Opens a folder by path, following links: the user named it (`--out`, a file's folder).
    pub fn open(path: &Path) -> io::Result<Dir> {
        Ok(Dir { fd: rfs::open(path, READ_DIR, Mode::empty())? })
    }

    /// Opens the folder `name` inside this one; a symbolic link there is an error (`ELOOP`).
    pub fn open_folder(&self, name: &OsStr) -> io::Result<Dir> {
        Ok(Dir { fd: rfs::openat(&self.fd, name, READ_DIR | OFlags::NOFOLLOW, Mode::empty())? })
    }

    /// What `name` is, without following a link; `None` when nothing has that name.
    pub fn entry(&self, name: &OsStr) -> io::Result<Option<Entry>> {
        match rfs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => Ok(Some(entry(&stat))),
            Err(rustix::io::Errno::NOENT) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// What `name` leads to, following a link (`None` for nothing, or a dangling link).
    pub fn target(&self, name: &OsStr) -> io::Result<Option<Entry>> {
        match rfs::statat(&self.fd, name, AtFlags::empty()) {
            Ok(stat) => Ok(Some(entry(&stat))),
            Err(rustix::io::Errno::NOENT) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// This folder itself.
    pub fn itself(&self) -> io::Result<Entry> {
        Ok(entry(&rfs::fstat(&self.fd)?))
    }

    /// True when `other` is this very folder (same device and inode).
    pub fn is_same(&self, other: &Entry) -> bool {
        self.itself().is_ok_and(|me| me.id == other.id)
    }

    /// Creates a new file for writing; an existing name, link or not, is an error.
    pub fn create_new(&self, name: &OsStr) -> io::Result<File> {
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        Ok(File::from(rfs::openat(&self.fd, name, flags, Mode::from_raw_mode(0o666))?))
    }

    /// Opens (creating it if need be) a file to hold a lock on; a link there is an error.
    pub fn open_lock(&self, name: &OsStr) -> io::Result<File> {
        let flags = OFlags::RDWR | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        Ok(File::from(rfs::openat(&self.fd, name, flags, Mode::from_raw_mode(0o666))?))
    }

    /// Reads a small file (at most `limit` bytes are kept), refusing a link.
    pub fn read_small(&self, name: &OsStr, limit: u64) -> io::Result<Vec<u8>> {
        use std::io::Read;
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let file = File::from(rfs::openat(&self.fd, name, flags, Mode::empty())?);
        if !file.metadata()?.is_file() {
            return Err(io::Error::other(NOT_A_FILE));
        }
        let mut bytes = Vec::new();
        file.take(limit).read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    pub fn mkdir(&self, name: &OsStr, mode: u32) -> io::Result<()> {
        Ok(rfs::mkdirat(&self.fd, name, Mode::from_raw_mode(mode as _))?)
    }

    /// Sets this folder's permission bits.
    pub fn set_mode(&self, mode: u32) -> io::Result<()> {
        Ok(rfs::fchmod(&self.fd, Mode::from_raw_mode(mode as _))?)
    }

    /// The permission bits of this folder.
    pub fn mode(&self) -> io::Result<u32> {
        Ok(rfs::fstat(&self.fd)?.st_mode as u32 & 0o7777)
    }

    /// The names in this folder, without `.` and `..`.
    pub fn names(&self) -> io::Result<Vec<OsString>> {
        use std::os::unix::ffi::OsStrExt;
        let mut names = Vec::new();
        for item in rfs::Dir::read_from(&self.fd)? {
            let item = item?;
            let name = item.file_name().to_bytes();
            if name != b"." && name != b".." {
                names.push(OsStr::from_bytes(name).to_os_string());
            }
        }
        names.sort();
        Ok(names)
    }

    /// A second name for `name` in `to` (the link itself when `name` is a link).
    pub fn link(&self, name: &OsStr, to: &Dir) -> io::Result<()> {
        Ok(rfs::linkat(&self.fd, name, &to.fd, name, AtFlags::empty())?)
    }

    /// Moves `name` to `new` in `to`, replacing what is there (as `rename` does).
    pub fn rename(&self, name: &OsStr, to: &Dir, new: &OsStr) -> io::Result<()> {
        Ok(rfs::renameat(&self.fd, name, &to.fd, new)?)
    }

    /// Moves `name` to `new` in `to` only if nothing has that name; `Ok(false)` when the
    /// system cannot promise that (the caller checks and renames instead).
    pub fn rename_new(&self, name: &OsStr, to: &Dir, new: &OsStr) -> io::Result<bool> {
        #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
        match rfs::renameat_with(&self.fd, name, &to.fd, new, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(true),
            Err(e) if unsupported(e) => {}
            Err(e) => return Err(e.into()),
        }
        let _ = (name, to, new);
        Ok(false)
    }

    /// Swaps the two names in one step; `Ok(false)` when the system cannot.
    pub fn exchange(&self, a: &OsStr, b: &OsStr) -> io::Result<bool> {
        #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
        match rfs::renameat_with(&self.fd, a, &self.fd, b, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(true),
            Err(e) if unsupported(e) => {}
            Err(e) => return Err(e.into()),
        }
        let _ = (a, b);
        Ok(false)
    }

    pub fn remove_file(&self, name: &OsStr) -> io::Result<()> {
        Ok(rfs::unlinkat(&self.fd, name, AtFlags::empty())?)
    }

    /// Removes an empty folder.
    pub fn remove_folder(&self, name: &OsStr) -> io::Result<()> {
        Ok(rfs::unlinkat(&self.fd, name, AtFlags::REMOVEDIR)?)
    }

    /// Makes this folder's entries (new names, renames) durable.
    pub fn sync(&self) -> io::Result<()> {
        Ok(rfs::fsync(&self.fd)?)
    }
}

/// The file system or kernel does not offer the flag (old kernels, some network file systems).
#[allow(dead_code)]
fn unsupported(e: rustix::io::Errno) -> bool {
    use rustix::io::Errno;
    e == Errno::INVAL || e == Errno::NOSYS || e == Errno::NOTSUP || e == Errno::OPNOTSUPP
}

/// An exclusive advisory lock (`flock`) held while the value lives.
pub(super) struct Lock {
    _file: File,
}

/// Tries to lock `file`: `Ok(None)` when another process holds the lock, `Err` when the file
/// system offers no locks.
pub(super) fn try_lock(file: File) -> io::Result<Option<Lock>> {
    match rfs::flock(&file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(Some(Lock { _file: file })),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// True while a process with this id exists (a process we may not signal exists too).
pub(super) fn process_exists(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e != rustix::io::Errno::SRCH,
    }
}
