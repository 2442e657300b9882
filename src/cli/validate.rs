//! `drift validate`: scenario files checked without running them.

use super::*;
use crate::scenario::report::{Checked, json, ok_line};

/// How `drift validate` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// For people: "ok: …" per good file on stdout, every error of each bad one on stderr.
    Text,
    /// For editors and CI: one JSON document on stdout, an object per file with `ok` and
    /// `name` and `hops`, or `errors`; the errors are not repeated on stderr.
    Json,
}

pub(super) fn run(files: &[PathBuf], format: ValidateFormat) -> Result<(), Error> {
    one_stdin(files)?;
    let results: Vec<(String, Result<Scenario, _>)> =
        files.iter().map(|f| (crate::scenario::diagnose::file_name(f), Scenario::load(f))).collect();
    let invalid = results.iter().filter(|(_, r)| r.is_err()).count();
    match format {
        ValidateFormat::Json => {
            let checked: Vec<Checked> = results.iter().map(|(file, r)| Checked::new(file, r)).collect();
            print(&json(&checked))?;
            if invalid > 0 {
                return Err(Error::Invalid { invalid, total: files.len() });
            }
            Ok(())
        }
        ValidateFormat::Text => {
            if let [(_, Err(e))] = results.as_slice() {
                return Err(Error::from(e.clone()));
            }
            let mut ok = String::new();
            for (file, result) in &results {
                match result {
                    Ok(s) => ok.push_str(&ok_line(file, s)),
                    Err(e) => crate::error::report(&Error::from(e.clone())),
                }
            }
            print(&ok)?;
            match invalid {
                0 => Ok(()),
                _ => Err(Error::Invalid { invalid, total: files.len() }),
            }
        }
    }
}
