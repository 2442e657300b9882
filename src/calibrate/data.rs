//! Observed retelling chains: a CSV of `chain`, `generation`, `text` rows, or a folder of
//! scenarios saved by `drift play --human --save`.
//!
//! The CSV is read by [`crate::table`] (the csv crate; comma, `;` or tab, found from the
//! header). Mistakes in the data are reported like scenario mistakes: the file, the line and column,
//! the field, what is wrong and what to do, and nothing is written.

use std::collections::BTreeMap;
use std::path::Path;

use crate::read::{ReadError, read_at_most};
use crate::scenario::ScenarioError;
use crate::scenario::diagnose::{in_table, table_error, utf8_error_at};
use crate::table::{self, Cell, Table};

/// One chain: the original (generation 0) and each retelling, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Chain {
    /// As the data names it (the CSV's `chain`, or the saved scenario's file name).
    pub id: String,
    pub texts: Vec<String>,
}

impl Chain {
    /// How many retellings it has.
    pub fn generations(&self) -> usize {
        self.texts.len() - 1
    }
}

/// The largest data file drift reads: a room's retellings are a few kilobytes, a study's a
/// few megabytes.
pub const MAX_DATA_BYTES: u64 = 64 * 1024 * 1024;

/// The most saved games a folder of them may hold: a season of workshops is dozens.
pub const MAX_SAVED_GAMES: usize = 10_000;

/// The most generations a chain may have.
pub const MAX_GENERATIONS: usize = 100;

/// Reads DATA: a CSV file, or a folder of saved `drift play` scenarios.
pub fn load(path: &Path) -> Result<Vec<Chain>, ScenarioError> {
    let file = path.display().to_string();
    let bytes = match read_at_most(path, MAX_DATA_BYTES) {
        Ok(bytes) => bytes,
        Err(ReadError::Directory) => return saved_play::load(path),
        Err(ReadError::NotFound) => {
            return Err(ScenarioError::new(&file, "no such file or folder").with_help(
                "give a CSV of retellings (chain, generation, text) or a folder of scenarios saved by drift play --human --save",
            ));
        }
        Err(ReadError::TooBig { size }) => {
            return Err(ScenarioError::new(
                &file,
                format!("{}; drift reads data files up to {MAX_DATA_BYTES} bytes", ReadError::too_big_phrase(size, MAX_DATA_BYTES)),
            ));
        }
        Err(ReadError::Io(e)) => return Err(ScenarioError::new(&file, format!("cannot read the file: {e}"))),
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column, source) = utf8_error_at(bytes, &e);
        let mut err = ScenarioError::new(
            &file,
            format!("the file is not UTF-8 text (byte 0x{:02X} cannot start a character)", bytes[e.valid_up_to()]),
        )
        .with_help("save the CSV as UTF-8 (most spreadsheets: File › Save As › CSV UTF-8)");
        err.location = Some((line, column));
        err.source_line = Some(source);
        err
    })?;
    parse_csv(&file, text)
}

const COLUMNS: [&str; 3] = ["chain", "generation", "text"];

/// Chains from CSV text: a header naming `chain`, `generation` and `text` (in any order, other
/// columns ignored), then a row per text. Fields are separated by commas, `;` or tabs, found
/// from the header as for `drift score --pairs` ([`crate::table`]).
pub fn parse_csv(file: &str, text: &str) -> Result<Vec<Chain>, ScenarioError> {
    let Some(Table { delimiter, header, rows }) = table::read(text, usize::MAX).map_err(|e| table_error(file, text, &e))? else {
        return Err(ScenarioError::new(file, "the file is empty")
            .with_help("the first line names the columns: chain,generation,text; then one row per text, generation 0 being the original"));
    };
    let mut at = [usize::MAX; 3];
    for (k, name) in COLUMNS.iter().enumerate() {
        match header.cells.iter().position(|f| f.value.trim().eq_ignore_ascii_case(name)) {
            Some(i) => at[k] = i,
            None => {
                let found: Vec<String> = header.cells.iter().map(|f| format!("`{}`", f.value.trim())).collect();
                let mut err =
                    in_table(file, text, (header.line(), 1), format!("no `{name}` column in the header (found {})", found.join(", ")));
                err.field = Some(name.to_string());
                return Err(err.with_help("the first line names the columns: chain,generation,text"));
            }
        }
    }
    let mut chains: BTreeMap<String, (usize, BTreeMap<usize, String>)> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for row in &rows {
        let field = |k: usize| row.get(at[k]);
        let missing = |name: &str| {
            let mut err = in_table(file, text, row.end, format!("this row has no `{name}` value"));
            err.field = Some(name.to_string());
            err.with_help(format!(
                "every row has the {} columns of the header, separated by {} (quote a text that holds one)",
                header.cells.len(),
                table::delimiter_name(delimiter)
            ))
        };
        let chain = field(0).ok_or_else(|| missing("chain"))?;
        let generation = field(1).ok_or_else(|| missing("generation"))?;
        let said = field(2).ok_or_else(|| missing("text"))?;
        let bad = |f: &Cell, name: &str, message: String| {
            let mut err = in_table(file, text, (f.line, f.column), message);
            err.field = Some(name.to_string());
            err
        };
        let id = chain.value.trim().to_string();
        if id.is_empty() {
            return Err(bad(chain, "chain", "is empty: name the chain this text belongs to".to_string()));
        }
        let g: usize = generation.value.trim().parse().map_err(|_| {
            bad(
                generation,
                "generation",
                format!("`{}` is not a whole number: 0 for the original, 1 for the first retelling, …", generation.value),
            )
        })?;
        if g > MAX_GENERATIONS {
            return Err(bad(generation, "generation", format!("{g} generations: drift calibrates chains of up to {MAX_GENERATIONS}")));
        }
        if said.value.trim().is_empty() {
            return Err(bad(
                said,
                "text",
                "is empty: a retelling that says nothing is still a retelling; write `(nothing)` if that is what was said".to_string(),
            ));
        }
        let said_text = said.value.trim().replace("\r\n", "\n");
        if let Some(problem) = crate::text::problem(&said_text) {
            return Err(bad(said, "text", problem.to_string()));
        }
        if let Some(c) = id.chars().find(|&c| crate::text::is_unsafe_control(c)) {
            return Err(bad(chain, "chain", format!("holds a control character ({})", crate::text::describe_control(c))));
        }
        let entry = chains.entry(id.clone()).or_insert_with(|| {
            order.push(id.clone());
            (generation.line, BTreeMap::new())
        });
        if entry.1.insert(g, said_text).is_some() {
            return Err(bad(generation, "generation", format!("chain `{id}` has generation {g} twice")));
        }
    }
    let mut out = Vec::new();
    for id in order {
        let (line, texts) = &chains[&id];
        let at_chain = |message: String| {
            let mut err = in_table(file, text, (*line, 1), message);
            err.field = Some("generation".to_string());
            err
        };
        if !texts.contains_key(&0) {
            return Err(
                at_chain(format!("chain `{id}` has no generation 0")).with_help("generation 0 is the original text the chain starts from")
            );
        }
        if let Some(gap) = (0..texts.len()).find(|g| !texts.contains_key(g)) {
            return Err(at_chain(format!("chain `{id}` has no generation {gap} but has later ones")));
        }
        if texts.len() < 2 {
            return Err(
                at_chain(format!("chain `{id}` has only its original")).with_help("give each chain at least one retelling (generation 1)")
            );
        }
        out.push(Chain { id, texts: texts.values().cloned().collect() });
    }
    if out.is_empty() {
        return Err(ScenarioError::new(file, "the file has a header but no rows").with_help("add one row per text: chain,generation,text"));
    }
    Ok(out)
}

/// Scenarios saved by `drift play --human --save`: the customer's words are generation 0 and
/// the words each person passed on (a hop's `said:`) the generations after it.
pub mod saved_play {
    use std::path::Path;

    use super::Chain;
    use crate::scenario::{Scenario, ScenarioError};

    /// The hop field holding a person's words, as `drift play --save` writes it.
    pub const HUMAN_FIELD: &str = "said";

    pub fn load(dir: &Path) -> Result<Vec<Chain>, ScenarioError> {
        let folder = dir.display().to_string();
        let mut files: Vec<std::path::PathBuf> = Vec::new();
        let entries = std::fs::read_dir(dir).map_err(|e| ScenarioError::new(&folder, format!("cannot read the folder: {e}")))?;
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.is_file() && path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                if files.len() == super::MAX_SAVED_GAMES {
                    return Err(ScenarioError::new(
                        &folder,
                        format!(
                            "the folder holds more than {} .yaml files; drift reads at most that many saved games",
                            super::MAX_SAVED_GAMES
                        ),
                    )
                    .with_help("give the folder of one season's games, or a CSV of retellings"));
                }
                files.push(path);
            }
        }
        files.sort();
        if files.is_empty() {
            return Err(ScenarioError::new(&folder, "the folder holds no .yaml files")
                .with_help("save played chains with drift play --human --save, or give a CSV of retellings (chain, generation, text)"));
        }
        files.iter().map(|f| chain(f)).collect()
    }

    /// One saved scenario as a chain: the customer's words, then each hop's `said:` up to the
    /// first hop a person did not play. The file is checked as any scenario is.
    pub fn chain(path: &Path) -> Result<Chain, ScenarioError> {
        let file = path.display().to_string();
        let scenario = Scenario::load(path)?;
        let mut texts = vec![scenario.customer.told().trim().to_string()];
        texts.extend(scenario.chain.iter().map_while(|hop| hop.said.as_deref().map(|s| s.trim().to_string())));
        if texts.len() < 2 {
            let mut err = ScenarioError::new(&file, format!("its first hop has no `{HUMAN_FIELD}:` (the words a person passed on)"));
            err.field = Some(format!("chain[0].{HUMAN_FIELD}"));
            return Err(err.with_help("calibrate on chains played by people, each hop typed: drift play SCENARIO --human --save FILE"));
        }
        let id = path.file_stem().map_or_else(|| file.clone(), |s| s.to_string_lossy().to_string());
        Ok(Chain { id, texts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_quotes_line_breaks_and_any_column_order() {
        let text = "text,chain,generation,who\r\n\"The bridge closed, after \"\"heavy\"\" rain.\nBuses detour.\",a,0,x\r\nThe bridge closed.,a,1,y\n\nIt shut.,a,2,z";
        let chains = parse_csv("t.csv", text).unwrap();
        assert_eq!(chains.len(), 1);
        assert_eq!(chains[0].texts, ["The bridge closed, after \"heavy\" rain.\nBuses detour.", "The bridge closed.", "It shut."]);
        assert_eq!(chains[0].generations(), 2);
    }

    #[test]
    fn semicolons_and_tabs_separate_as_commas_do() {
        for d in [";", "\t"] {
            let text = format!("chain{d}generation{d}text\na{d}0{d}\"One; two,\tthree.\"\na{d}1{d}One.\n");
            let chains = parse_csv("t.csv", &text).unwrap();
            assert_eq!(chains[0].texts, ["One; two,\tthree.", "One."]);
            let err = parse_csv("t.csv", &format!("chain{d}generation{d}text\na{d}zero{d}x\n")).unwrap_err();
            assert_eq!((err.field.as_deref(), err.location), (Some("generation"), Some((2, 3))));
        }
    }

    #[test]
    fn rows_may_come_in_any_order() {
        let chains = parse_csv("t.csv", "chain,generation,text\nb,1,B1\na,1,A1\na,0,A0\nb,0,B0\n").unwrap();
        assert_eq!(
            chains.iter().map(|c| (c.id.as_str(), c.texts.clone())).collect::<Vec<_>>(),
            [("b", vec!["B0".to_string(), "B1".to_string()]), ("a", vec!["A0".to_string(), "A1".to_string()])]
        );
    }

    #[test]
    fn mistakes_name_the_line_column_and_field() {
        /// A CSV, what its message says, the field it names and where.
        type Case<'a> = (&'a str, &'a str, Option<&'a str>, (usize, usize));
        let cases: &[Case] = &[
            ("chain,generation,text\na,0,x\na,two,y\n", "`two` is not a whole number", Some("generation"), (3, 3)),
            ("chain,generation,text\na,0,x\na,0,y\n", "generation 0 twice", Some("generation"), (3, 3)),
            ("chain,generation,text\na,1,x\n", "has no generation 0", Some("generation"), (2, 1)),
            ("chain,generation,text\na,0,x\na,2,y\n", "has no generation 1", Some("generation"), (2, 1)),
            ("chain,generation,text\na,0,x\n", "has only its original", Some("generation"), (2, 1)),
            ("chain,gen,text\na,0,x\n", "no `generation` column", Some("generation"), (1, 1)),
            ("chain,generation,text\na,0,\"x\na,1,y\n", "never closed", None, (2, 5)),
            ("chain,generation,text\na,0,x\n,1,y\n", "is empty", Some("chain"), (3, 1)),
            ("chain,generation,text\na,0,x\na,1,  \n", "is empty", Some("text"), (3, 5)),
            ("chain,generation,text\na,0\n", "no `text` value", Some("text"), (2, 4)),
            ("chain,generation,text\na,0,\"x\"y\n", "after a quoted field's closing quote", None, (2, 8)),
        ];
        for (text, needle, field, (line, column)) in cases {
            let err = parse_csv("t.csv", text).unwrap_err();
            assert!(err.message.contains(needle), "{text:?}: {err}");
            assert_eq!(err.field.as_deref(), *field, "{text:?}: {err}");
            assert_eq!(err.location, Some((*line, *column)), "{text:?}: {err}");
        }
        assert!(parse_csv("t.csv", "").unwrap_err().message.contains("empty"));
        assert!(parse_csv("t.csv", "chain,generation,text\n").unwrap_err().message.contains("no rows"));
    }

    #[test]
    fn saved_play_scenarios_are_chains() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(
            dir.join("room-1.yaml"),
            "version: 1\nname: Played\ncustomer:\n  said: The bridge closed after heavy rain.\nchain:\n  - role: Ana\n    said: The bridge closed after rain.\n  - role: Ben\n    said: A bridge closed.\n  - role: Sim\n    preset: retell\n",
        )
        .unwrap();
        let chains = saved_play::load(dir).unwrap();
        assert_eq!(chains[0].id, "room-1");
        assert_eq!(chains[0].texts, ["The bridge closed after heavy rain.", "The bridge closed after rain.", "A bridge closed."]);
        std::fs::write(
            dir.join("room-2.yaml"),
            "version: 1\nname: Not played\ncustomer:\n  said: Hello.\nchain:\n  - role: A\n    preset: retell\n",
        )
        .unwrap();
        let err = saved_play::load(dir).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("chain[0].said"));
    }
}
