//! `drift lexicon`: the built-in lexicon, with a scenario's extensions.

use super::*;

pub(super) fn run(scenario: Option<&Path>) -> Result<(), Error> {
    let mut data = LexiconData::built_in();
    let mut header = String::from("# drift's built-in lexicon");
    if let Some(path) = scenario {
        let s = Scenario::load(path)?;
        data.extend(s.lexicon);
        header.push_str(&format!(", extended by {}", crate::scenario::diagnose::file_name(path)));
    }
    let counts: Vec<String> = data.counts().iter().map(|(n, c)| format!("{c} {n}")).collect();
    let yaml = serde_yaml::to_string(&data).map_err(|e| Error::Usage(format!("cannot print the lexicon: {e}")))?;
    print(&format!("{header}\n# {}\n{yaml}", counts.join(", ")))
}
