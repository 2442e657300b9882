//! Reading a user's file with a limit, whatever kind of file it is.
//!
//! A file's size in its metadata is 0 for devices, pipes and /proc files, so a size check
//! before reading lets `/dev/zero` or `<(yes)` through to read until memory runs out. Every
//! read of user input here stops at its limit plus one byte, which is enough to tell "too big"
//! from "exactly the limit" without ever holding more.

use std::io::{IsTerminal, Read};
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    NotFound,
    Directory,
    /// More than the limit; `size` is the size from the metadata when it says so (a regular
    /// file), `None` when only reading found out (a device, a pipe).
    TooBig {
        size: Option<u64>,
    },
    Io(std::io::Error),
}

/// A [`ReadError`] in a few words, for a message that has its own context.
pub fn describe(e: &ReadError) -> String {
    match e {
        ReadError::NotFound => "not found".to_string(),
        ReadError::Directory => "is a directory".to_string(),
        ReadError::TooBig { size } => ReadError::too_big_phrase(*size, 0),
        ReadError::Io(e) => e.to_string(),
    }
}

impl ReadError {
    /// "the file is 3000000 bytes" or "the file holds more than 1048576 bytes": the first
    /// half of a too-big message, in the caller's words after it.
    pub fn too_big_phrase(size: Option<u64>, limit: u64) -> String {
        match size {
            Some(size) => format!("the file is {size} bytes"),
            None => format!("the file holds more than {limit} bytes"),
        }
    }
}

/// Reads at most `limit` bytes of the file at `path`: all of it, or [`ReadError::TooBig`].
/// A named pipe (FIFO) waits for a writer; at a terminal drift says so on stderr rather than
/// hanging silently, and Ctrl-C stops the wait.
pub fn read_at_most(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    })?;
    if meta.is_dir() {
        return Err(ReadError::Directory);
    }
    if meta.is_file() && meta.len() > limit {
        return Err(ReadError::TooBig { size: Some(meta.len()) });
    }
    if is_fifo(&meta) && std::io::stderr().is_terminal() {
        eprintln!("Waiting for data on the pipe {} (Ctrl-C to stop)…", path.display());
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    read_stream_at_most(file, limit)
}

/// Reads at most `limit` bytes from `reader` (standard input, an opened file).
pub fn read_stream_at_most(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    reader.take(limit + 1).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooBig { size: None });
    }
    Ok(bytes)
}

#[cfg(unix)]
fn is_fifo(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::Metadata) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_stops_one_byte_past_the_limit() {
        let endless = std::io::repeat(b'x');
        assert!(matches!(read_stream_at_most(endless, 10), Err(ReadError::TooBig { size: None })));
        assert_eq!(read_stream_at_most(&b"0123456789"[..], 10).unwrap().len(), 10);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_device_is_read_to_its_limit_only() {
        assert!(matches!(read_at_most(Path::new("/dev/zero"), 1024), Err(ReadError::TooBig { size: None })));
        assert_eq!(read_at_most(Path::new("/dev/null"), 1024).unwrap(), Vec::<u8>::new());
    }
}
