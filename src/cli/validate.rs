//! `drift validate`: scenario files checked without running them.

use super::*;

pub(super) fn run(files: &[PathBuf]) -> Result<(), Error> {
    if let [file] = files {
        let s = Scenario::load(file)?;
        return print(&format!("ok: {} ({}, {} hops)\n", file.display(), s.name, s.chain.len()));
    }
    let mut invalid = 0;
    let mut ok = String::new();
    for file in files {
        match Scenario::load(file) {
            Ok(s) => ok.push_str(&format!("ok: {} ({}, {} hops)\n", file.display(), s.name, s.chain.len())),
            Err(e) => {
                invalid += 1;
                crate::error::report(&Error::from(e));
            }
        }
    }
    print(&ok)?;
    match invalid {
        0 => Ok(()),
        _ => Err(Error::Invalid { invalid, total: files.len() }),
    }
}
