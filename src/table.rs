//! Tables in and out: every CSV drift reads or writes goes through here, and through the csv
//! crate, so that all of them quote, split and detect delimiters the same way.
//!
//! Writing: RFC 4180, a field quoted only when it holds the delimiter, a quote or a line break
//! (a quote inside doubled), `\n` after every row. Reading: the delimiter is found from the
//! header line (comma, `;` as European spreadsheets write it, or tab), values are read by the
//! csv crate, and every field keeps the line and column it starts at, so that a reader can
//! point at the very field that is wrong. A leaf: it knows nothing of what the columns mean.

/// The delimiter of a table whose first line is `header`: the most frequent of tab, `;` and
/// `,` outside quotes (a comma wins ties, being the default).
pub fn delimiter(header: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
            c.1 += 1;
        }
    }
    counts.iter().fold((b',', 0), |best, &(d, n)| if n > best.1 { (d, n) } else { best }).0
}

/// How help texts name a delimiter: "commas", "semicolons", "tabs".
pub fn delimiter_name(delimiter: u8) -> &'static str {
    match delimiter {
        b';' => "semicolons",
        b'\t' => "tabs",
        _ => "commas",
    }
}

/// Rows written as CSV text, one shape for every file: see the module's documentation.
pub struct Writer(csv::Writer<Vec<u8>>);

impl Writer {
    /// A table separated by commas.
    pub fn new() -> Writer {
        Writer::with_delimiter(b',')
    }

    /// A table separated by `delimiter` (a pairs table is written back in its own).
    pub fn with_delimiter(delimiter: u8) -> Writer {
        Writer(csv::WriterBuilder::new().delimiter(delimiter).flexible(true).from_writer(Vec::new()))
    }

    /// Appends one row.
    pub fn row<I, T>(&mut self, fields: I)
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        // writing to memory cannot fail, and a flexible writer takes rows of any length
        let _ = self.0.write_record(fields.into_iter().map(|f| f.as_ref().to_string()));
    }

    /// The text written.
    pub fn finish(self) -> String {
        // the fields were `str`s, so the bytes are UTF-8; the buffer is memory, so it flushes
        let bytes = self.0.into_inner().unwrap_or_else(|e| e.into_inner().get_ref().clone());
        String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

impl Default for Writer {
    fn default() -> Writer {
        Writer::new()
    }
}

/// A 1-based line and column (counted in characters).
pub type At = (usize, usize);

/// One field as read, with where it starts in the text (1-based line and column, the column
/// counted in characters).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: String,
    pub line: usize,
    pub column: usize,
}

/// One record: its fields, and where it ends (just after the last field), where a missing
/// field would have been.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub end: At,
}

impl Row {
    /// The line the row starts on.
    pub fn line(&self) -> usize {
        self.cells.first().map_or(self.end.0, |c| c.line)
    }

    /// The field at `index`, if the row is that long.
    pub fn get(&self, index: usize) -> Option<&Cell> {
        self.cells.get(index)
    }
}

/// A table as read: the delimiter found, the header and the rows. Blank lines, and lines of
/// nothing but spaces, are no rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub delimiter: u8,
    pub header: Row,
    pub rows: Vec<Row>,
}

/// What keeps a text from being read as a table, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableError {
    #[error("a quoted field is never closed")]
    Unclosed { line: usize, column: usize },
    #[error("text after a quoted field's closing quote")]
    AfterQuote { line: usize, column: usize },
    #[error("cannot read this row: {message}")]
    Unreadable { line: usize, message: String },
    #[error("the table has more than {max} rows")]
    TooManyRows { line: usize, max: usize },
}

impl TableError {
    /// The 1-based line and column the error points at.
    pub fn location(&self) -> At {
        match *self {
            TableError::Unclosed { line, column } | TableError::AfterQuote { line, column } => (line, column),
            TableError::Unreadable { line, .. } | TableError::TooManyRows { line, .. } => (line, 1),
        }
    }

    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            TableError::Unclosed { .. } => "close the field with \" (a quote inside a field is written \"\")",
            TableError::AfterQuote { .. } => "a quote inside a quoted field is written \"\"",
            TableError::Unreadable { .. } => "save the table as CSV (comma, `;` or tab between fields, UTF-8)",
            TableError::TooManyRows { .. } => "split the table into smaller ones",
        }
    }
}

/// Reads `text` as a table whose first row is the header and at most `max_rows` rows after
/// it; `None` when it holds no row at all.
/// A quoted field left open, or text after a closing quote, is an error (the csv crate would
/// take both as they come, and the first swallows the rest of the file).
pub fn read(text: &str, max_rows: usize) -> Result<Option<Table>, TableError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = delimiter(text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default());
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut walk = Walk { text: text.as_bytes(), delimiter, at: 0, line: 1, column: 1 };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record
            .map_err(|e| TableError::Unreadable { line: e.position().map_or(walk.line, |p| p.line() as usize), message: e.to_string() })?;
        let (starts, end) = walk.record()?;
        let cells = record
            .iter()
            .enumerate()
            .map(|(k, value)| {
                let (line, column) = starts.get(k).copied().unwrap_or(end);
                Cell { value: value.to_string(), line, column }
            })
            .collect::<Vec<_>>();
        if !(cells.len() == 1 && cells[0].value.trim().is_empty()) {
            // the header is the first row
            if rows.len() > max_rows {
                return Err(TableError::TooManyRows { line: cells[0].line, max: max_rows });
            }
            rows.push(Row { cells, end });
        }
    }
    if rows.is_empty() {
        return Ok(None);
    }
    let header = rows.remove(0);
    Ok(Some(Table { delimiter, header, rows }))
}

/// A walk over the text beside the csv crate's reader, record for record by the same rules
/// (a field is quoted when it starts with `"`; `\n`, `\r\n` or `\r` ends a record; empty lines
/// are skipped): it finds where each field starts, which the crate does not tell.
struct Walk<'a> {
    text: &'a [u8],
    delimiter: u8,
    at: usize,
    line: usize,
    column: usize,
}

impl Walk<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn step(&mut self) {
        let b = self.text[self.at];
        self.at += 1;
        if b == b'\n' {
            self.line += 1;
            self.column = 1;
        } else if b & 0xC0 != 0x80 {
            // a character's first byte (continuation bytes do not move the column)
            self.column += 1;
        }
    }

    fn ends_field(&self, b: Option<u8>) -> bool {
        b.is_none_or(|b| b == self.delimiter || b == b'\n' || b == b'\r')
    }

    /// The start of each field of the next record, and where the record ends.
    fn record(&mut self) -> Result<(Vec<At>, At), TableError> {
        while matches!(self.peek(), Some(b'\n' | b'\r')) {
            self.step();
        }
        let mut starts = Vec::new();
        loop {
            let start = (self.line, self.column);
            starts.push(start);
            if self.peek() == Some(b'"') {
                self.step();
                loop {
                    match self.peek() {
                        None => return Err(TableError::Unclosed { line: start.0, column: start.1 }),
                        Some(b'"') if self.text.get(self.at + 1) == Some(&b'"') => {
                            self.step();
                            self.step();
                        }
                        Some(b'"') => {
                            self.step();
                            break;
                        }
                        Some(_) => self.step(),
                    }
                }
                if !self.ends_field(self.peek()) {
                    return Err(TableError::AfterQuote { line: self.line, column: self.column });
                }
            } else {
                while !self.ends_field(self.peek()) {
                    self.step();
                }
            }
            let end = (self.line, self.column);
            match self.peek() {
                Some(b) if b == self.delimiter => self.step(),
                Some(b'\r') => {
                    self.step();
                    if self.peek() == Some(b'\n') {
                        self.step();
                    }
                    return Ok((starts, end));
                }
                Some(_) => {
                    self.step();
                    return Ok((starts, end));
                }
                None => return Ok((starts, end)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str) -> Result<Option<Table>, TableError> {
        read(text, usize::MAX)
    }

    fn values(row: &Row) -> Vec<&str> {
        row.cells.iter().map(|c| c.value.as_str()).collect()
    }

    #[test]
    fn the_delimiter_is_found_from_the_header() {
        assert_eq!(delimiter("customer,message"), b',');
        assert_eq!(delimiter("customer;message;note"), b';');
        assert_eq!(delimiter("customer\tmessage"), b'\t');
        assert_eq!(delimiter("\"a;b\",c"), b',', "a delimiter inside quotes does not count");
        assert_eq!(delimiter("single"), b',');
    }

    #[test]
    fn fields_keep_where_they_start() {
        let t = read_all("a;b;c\r\n\"x;\n\"\"y\"\"\";é;z\n\n   \nlast;;\n").unwrap().unwrap();
        assert_eq!(t.delimiter, b';');
        assert_eq!(values(&t.header), ["a", "b", "c"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(values(&t.rows[0]), ["x;\n\"y\"", "é", "z"]);
        let at: Vec<(usize, usize)> = t.rows[0].cells.iter().map(|c| (c.line, c.column)).collect();
        assert_eq!(at, [(2, 1), (3, 8), (3, 10)]);
        assert_eq!(t.rows[0].end, (3, 11));
        assert_eq!(values(&t.rows[1]), ["last", "", ""]);
        assert_eq!((t.rows[1].line(), t.rows[1].cells[2].column), (6, 7));
    }

    #[test]
    fn quoting_mistakes_are_located() {
        assert_eq!(read_all("a,b\nx,\"open\ny,z\n"), Err(TableError::Unclosed { line: 2, column: 3 }));
        assert_eq!(read_all("a,b\n\"said \"hi\"\",z\n"), Err(TableError::AfterQuote { line: 2, column: 8 }));
        assert_eq!(read_all("").unwrap(), None);
        assert_eq!(read_all("\n \n").unwrap(), None);
        assert_eq!(read("h\n1\n2\n", 2).unwrap().unwrap().rows.len(), 2);
        assert_eq!(read("h\n1\n2\n3\n", 2), Err(TableError::TooManyRows { line: 4, max: 2 }));
    }

    #[test]
    fn written_tables_quote_only_what_needs_it_and_read_back() {
        let mut w = Writer::with_delimiter(b'\t');
        w.row(["plain", "with\ttab", "with \"quote\"", "two\nlines", "a,comma", ""]);
        w.row(["0.5", "1"]);
        let text = w.finish();
        assert_eq!(text, "plain\t\"with\ttab\"\t\"with \"\"quote\"\"\"\t\"two\nlines\"\ta,comma\t\n0.5\t1\n");
        let t = read_all(&text).unwrap().unwrap();
        assert_eq!(values(&t.header), ["plain", "with\ttab", "with \"quote\"", "two\nlines", "a,comma", ""]);
        assert_eq!(values(&t.rows[0]), ["0.5", "1"]);
    }
}
