//! One test per bug the fuzzers (fuzz/, see docs/ARCHITECTURE.md, Fuzzing) found, each
//! feeding the input that exposed it, minimised.

use super::drift;

/// `drift validate` on a file holding `bytes`: its exit code and stderr.
fn validate(bytes: &[u8]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fuzz.yaml");
    std::fs::write(&path, bytes).unwrap();
    let out = drift().arg("validate").arg(&path).output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).to_string())
}

/// Fuzz target `scenario`: YAML ends a line at a lone "\r" (and at NEL, LS and PS), but the
/// error's source line was looked up with `str::lines`, which only knows "\n": the error named
/// line 3 and showed no line (or the wrong one).
#[test]
fn an_error_shows_its_line_in_a_file_with_carriage_return_line_breaks() {
    let (code, stderr) = validate(b"\r\re");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("fuzz.yaml:3:1"), "{stderr}");
    assert!(stderr.contains("3| e\n"), "{stderr}");

    let (code, stderr) = validate(b"version: 1\rname: Demo\rseeed: 3\rchain: []\r");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("unknown field `seeed`: did you mean `seed`?"), "{stderr}");
    assert!(stderr.contains("fuzz.yaml:3:1"), "{stderr}");
    assert!(stderr.contains("3| seeed: 3\n"), "{stderr}");

    let (code, stderr) = validate("version: 1\u{2028}name: Demo\u{2029}seeed: 3\n".as_bytes());
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("fuzz.yaml:3:1") && stderr.contains("3| seeed: 3\n"), "{stderr}");
}

/// The same line breaks for the checks drift makes before the YAML parser: a tab indenting a
/// line after a "\r", and a byte that is not UTF-8.
#[test]
fn tabs_and_bad_bytes_are_placed_on_lines_as_yaml_counts_them() {
    let (code, stderr) = validate(b"version: 1\r\tname: Demo\r");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("a tab character in the indentation"), "{stderr}");
    assert!(stderr.contains("fuzz.yaml:2:1"), "{stderr}");

    let (code, stderr) = validate(b"version: 1\rname: D\xffmo\r");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("not UTF-8"), "{stderr}");
    assert!(stderr.contains("fuzz.yaml:2:8"), "{stderr}");
    assert!(stderr.contains("2| name: D\u{fffd}mo\n"), "{stderr}");
}

/// Fuzz target `scenario`: the parser reports the end of a file that does not end with a line
/// break on a line after the last, so the error named a line the file does not have (line 2 of
/// a one-line file) and showed none.
#[test]
fn an_error_at_the_end_of_a_file_without_a_final_line_break_points_at_its_last_line() {
    let (code, stderr) = validate(b"#");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("fuzz.yaml:1:2"), "{stderr}");
    assert!(stderr.contains("1| #\n"), "{stderr}");

    let (code, stderr) = validate(b"# a scenario\n# still to be written");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("fuzz.yaml:2:22"), "{stderr}");
    assert!(stderr.contains("2| # still to be written\n"), "{stderr}");
}
