//! Arbitrary bytes through a pipe → the readers of user files (a scenario, a text to score, a
//! calibration CSV), as `drift validate <(…)` or a FIFO would give them.
//!
//! A pipe's metadata says nothing of its size, as for devices and /proc files; issue 13 found
//! every reader trusting that size and reading `/dev/zero` until memory ran out. The input is
//! repeated `repeat` times (its first byte, up to 255 × the input) so that small inputs reach
//! past the limits.
//!
//! Invariants: no panic; a reader holds at most its limit plus one byte whatever arrives; too
//! much is an error, never a partial success.

#![no_main]

use std::io::Write;

use drift::read::{ReadError, read_at_most};
use libfuzzer_sys::fuzz_target;

const LIMIT: u64 = 64 * 1024;

fuzz_target!(|data: &[u8]| {
    let [repeat, body @ ..] = data else { return };
    let (reader, mut writer) = std::io::pipe().expect("a pipe");
    let sent = body.len() as u64 * u64::from(*repeat);
    let body = body.to_vec();
    let repeat = *repeat;
    let feeder = std::thread::spawn(move || {
        for _ in 0..repeat {
            // the reader stops at its limit and closes the pipe: a broken pipe is expected
            if writer.write_all(&body).is_err() {
                break;
            }
        }
    });
    use std::os::fd::AsRawFd;
    let path = format!("/dev/fd/{}", reader.as_raw_fd());
    let read = read_at_most(std::path::Path::new(&path), LIMIT);
    drop(reader);
    feeder.join().expect("the feeder finishes");
    match read {
        Ok(bytes) => {
            assert!(sent <= LIMIT, "read {} bytes of {sent} with a limit of {LIMIT}", bytes.len());
            assert_eq!(bytes.len() as u64, sent);
            if let Ok(text) = String::from_utf8(bytes) {
                let _ = drift::scenario::Scenario::parse("pipe.yaml", &text);
            }
        }
        Err(ReadError::TooBig { size }) => assert!(sent > LIMIT && size.is_none()),
        Err(e) => panic!("reading a pipe failed: {e:?}"),
    }
});
