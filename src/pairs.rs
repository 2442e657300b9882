//! Batch scoring: a table of (customer, message) pairs in, the same table out with a column per
//! metric added.
//!
//! Copywriters keep their variants in a spreadsheet, and the benchmarks that say what a metric
//! is worth (human-rated sentence pairs) come as CSV or TSV files: `drift score --pairs FILE`
//! serves both. The delimiter is found from the header line (comma, semicolon as European
//! spreadsheets write it, or tab), every input column is passed through in order, and the
//! texts are held to the limits of any text drift scores.

use std::path::Path;

use crate::lexicon::Lexicon;
use crate::metrics::Metric;
use crate::read::{ReadError, read_at_most};
use crate::scenario::ScenarioError;
use crate::scenario::diagnose::{in_table, table_error};
use crate::table::{self, TableError};

/// The largest pairs file drift reads: a benchmark of thousands of pairs is a megabyte.
pub const MAX_PAIRS_BYTES: u64 = 64 * 1024 * 1024;

/// The most rows a pairs file may hold.
pub const MAX_PAIRS: usize = 1_000_000;

/// A pairs table as read: its delimiter, header and rows, and where the two texts are.
#[derive(Debug, Clone, PartialEq)]
pub struct Pairs {
    pub delimiter: u8,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The columns holding the customer's words and the message.
    pub customer: usize,
    pub message: usize,
}

/// One row's scores: every metric of [`Metric::ALL`], in that order.
pub type Scores = Vec<f64>;

/// Reads a pairs file; `file` names it in errors.
pub fn load(path: &Path) -> Result<Pairs, ScenarioError> {
    let file = path.display().to_string();
    let bytes = read_at_most(path, MAX_PAIRS_BYTES).map_err(|e| match e {
        ReadError::NotFound => ScenarioError::new(&file, "no such file")
            .with_help("give a CSV or TSV file with a header naming `customer` and `message` columns"),
        ReadError::Directory => ScenarioError::new(&file, "is a directory, not a CSV or TSV file"),
        ReadError::TooBig { size } => ScenarioError::new(
            &file,
            format!("{}; drift reads pairs files up to {MAX_PAIRS_BYTES} bytes", ReadError::too_big_phrase(size, MAX_PAIRS_BYTES)),
        ),
        ReadError::Io(e) => ScenarioError::new(&file, format!("cannot read the file: {e}")),
    })?;
    let text = crate::scenario::diagnose::decode(&file, &bytes)?;
    parse(&file, &text)
}

/// Parses a pairs table.
pub fn parse(file: &str, text: &str) -> Result<Pairs, ScenarioError> {
    let columns_help = "the first line names the columns; two of them must be `customer` and `message`";
    let table = match table::read(text, MAX_PAIRS) {
        Ok(Some(table)) => table,
        Ok(None) => return Err(ScenarioError::new(file, "the file is empty").with_help(columns_help)),
        Err(TableError::TooManyRows { .. }) => {
            return Err(ScenarioError::new(file, format!("more than {MAX_PAIRS} rows; drift scores at most that many pairs at once"))
                .with_help("split the table and score each part"));
        }
        Err(e) => return Err(table_error(file, text, &e)),
    };
    let header: Vec<String> = table.header.cells.iter().map(|h| h.value.trim().to_string()).collect();
    let column = |name: &str| {
        header.iter().position(|h| h.eq_ignore_ascii_case(name)).ok_or_else(|| {
            in_table(file, text, (table.header.line(), 1), format!("no `{name}` column in the header (found {})", header.join(", ")))
                .with_help(columns_help)
        })
    };
    let (customer, message) = (column("customer")?, column("message")?);
    let mut rows = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        if row.cells.len() != header.len() {
            // point at the first field too many, or where the missing one would start
            let at = row.cells.get(header.len()).map_or(row.end, |c| (c.line, c.column));
            return Err(in_table(file, text, at, format!("this row has {} fields where the header has {}", row.cells.len(), header.len()))
                .with_help(format!(
                    "quote a text that holds the delimiter ({}), e.g. \"We keep losing adjusters, sadly\"",
                    table::delimiter_name(table.delimiter)
                )));
        }
        for (k, name) in [(customer, "customer"), (message, "message")] {
            let cell = &row.cells[k];
            let value = cell.value.trim();
            let problem = if value.is_empty() {
                Some("is empty: every row needs both texts".to_string())
            } else {
                crate::text::problem(value).map(|p| p.to_string())
            };
            if let Some(problem) = problem {
                let mut err = in_table(file, text, (cell.line, cell.column), problem);
                err.field = Some(name.to_string());
                return Err(err);
            }
        }
        rows.push(row.cells.iter().map(|c| c.value.clone()).collect());
    }
    if rows.is_empty() {
        return Err(in_table(file, text, (1, 1), "the table has a header but no rows"));
    }
    Ok(Pairs { delimiter: table.delimiter, header, rows, customer, message })
}

/// Every metric for every row, in row order (rows are scored on all cores; the order and the
/// numbers do not depend on how many).
pub fn score(pairs: &Pairs, lexicon: &Lexicon) -> Vec<Scores> {
    use rayon::prelude::*;
    pairs
        .rows
        .par_iter()
        .map(|row| {
            let (customer, message) = (row[pairs.customer].trim(), row[pairs.message].trim());
            Metric::ALL.iter().map(|m| m.score(customer, message, lexicon)).collect()
        })
        .collect()
}
