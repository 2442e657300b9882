//! Fitting what a command prints to the terminal's width.
//!
//! The text reports are laid out for a wide terminal (tables of up to ~110 columns, prose
//! wrapped at 88). In a narrower one every long line wraps where the terminal cuts it, and a
//! table's columns no longer line up. This works on the rendered text, so every report gets
//! it the same way and the renderers keep one layout (the files drift writes, and output that
//! is not going to a terminal, are unchanged):
//! - a table (consecutive lines whose columns are separated by two spaces or more at the
//!   same places) is narrowed: it keeps as many columns as fit with their words shortened to
//!   [`MIN_TEXT_COLUMN`], dropping the rightmost (the details: spreads, intervals) beyond
//!   that; then its columns of words are shortened, each cell with an ellipsis at a word,
//!   the rightmost first, until it fits;
//! - any other line longer than the width is wrapped at a word, its continuation indented as
//!   the line is.
//!
//! Widths are display widths (a CJK character takes two cells). Lines that need fitting lose
//! their colour codes; the others keep them.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The narrowest a column of words is shortened to before columns are dropped.
pub const MIN_TEXT_COLUMN: usize = 10;

/// The narrowest width drift fits to; narrower terminals get this.
pub const MIN_WIDTH: usize = 40;

/// The width to fit stdout to: `COLUMNS` when set to a number (as shells export it, and as a
/// test or a script can), else the terminal's when stdout is one, else `None`: output to a
/// file or a pipe is left as it is.
pub fn stdout_width() -> Option<usize> {
    use std::io::IsTerminal;
    if let Some(n) = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()).filter(|&n| n > 0) {
        return Some(n.max(MIN_WIDTH));
    }
    if !std::io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size().ok().map(|(w, _)| usize::from(w).max(MIN_WIDTH))
}

/// `text` fitted to `width` columns, as the module documentation says.
pub fn fit(text: &str, width: usize) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        while i < lines.len() && is_table_line(&strip_ansi(lines[i])) {
            i += 1;
        }
        // a table of two rows or more: its columns are fitted together
        if i - start >= 2 {
            let block = &lines[start..i];
            if block.iter().all(|l| strip_ansi(l).width() <= width) {
                out.extend(block.iter().map(|l| l.to_string()));
            } else {
                let plain: Vec<String> = block.iter().map(|l| strip_ansi(l)).collect();
                out.extend(fit_table(&plain, width));
            }
            continue;
        }
        i = start;
        let plain = strip_ansi(lines[i]);
        i += 1;
        if plain.width() <= width {
            out.push(lines[i - 1].to_string());
            continue;
        }
        // prose the report wrapped wider: the rest of its sentence on the lines after it
        // (indented as its continuations are, or deeper) is wrapped again with it
        let mut paragraph = plain.clone();
        let mut continued = None;
        if !is_table_line(&plain) {
            let hang = hang(&plain).len();
            while i < lines.len() && !paragraph.trim_end().ends_with(['.', '!', '?', ')', '”', ':', ';']) {
                let next = strip_ansi(lines[i]);
                let indent = next.chars().take_while(|c| *c == ' ').count();
                let words = next.trim_start();
                // at the same indentation only a lower-case word goes on the sentence; a
                // label (`jargon:`) starts a line of its own
                let same =
                    indent == hang && words.starts_with(char::is_lowercase) && !words.split(' ').next().is_some_and(|w| w.ends_with(':'));
                if next.trim().is_empty() || is_table_line(&next) || !(indent > hang || same) || words.starts_with(['“', '"']) {
                    break;
                }
                continued.get_or_insert(indent);
                paragraph.push(' ');
                paragraph.push_str(next.trim());
                i += 1;
            }
        }
        out.extend(wrap_line(&paragraph, width, continued));
    }
    out.join("\n")
}

/// The indentation of a line's continuations: its own, and one more after an opening quote
/// (as the reports write quotes).
fn hang(line: &str) -> String {
    let indent: String = line.chars().take_while(|c| *c == ' ').collect();
    if line[indent.len()..].starts_with(['“', '"']) { format!("{indent} ") } else { indent }
}

/// True for a line with two spaces or more between two of its words: a row of a table.
fn is_table_line(line: &str) -> bool {
    line.trim().contains("  ")
}

/// `line` without terminal colour codes (CSI sequences).
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A line of prose wrapped at `width`, continuations indented by `hang` spaces where given,
/// else as the line is (one more space after an opening quote, as the reports write quotes).
fn wrap_line(line: &str, width: usize, hang_by: Option<usize>) -> Vec<String> {
    let indent: String = line.chars().take_while(|c| *c == ' ').collect();
    let rest = &line[indent.len()..];
    let hang = hang_by.map_or_else(|| hang(line), |n| " ".repeat(n));
    let mut out = Vec::new();
    let mut current = indent.clone();
    let mut empty = true;
    for word in rest.split(' ').filter(|w| !w.is_empty()) {
        let room = if empty { 0 } else { 1 };
        if !empty && current.width() + room + word.width() > width {
            out.push(std::mem::replace(&mut current, hang.clone()));
            empty = true;
        }
        if !empty {
            current.push(' ');
        }
        current.push_str(word);
        empty = false;
    }
    out.push(current);
    out
}

/// A cell of a table row: where it starts and ends (in display cells) and its text.
struct Column {
    start: usize,
    end: usize,
}

/// The columns of a table: the spans between gaps of two blank cells or more that every row
/// has at the same place.
fn columns(rows: &[Vec<char>]) -> Vec<Column> {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let blank: Vec<bool> = (0..width).map(|x| rows.iter().all(|r| r.get(x).is_none_or(|c| *c == ' '))).collect();
    let mut out = Vec::new();
    let mut x = 0;
    while x < width {
        while x < width && blank[x] {
            x += 1;
        }
        if x >= width {
            break;
        }
        let start = x;
        // a column ends at a gap of two blank cells or more (or the end)
        while x < width && !(blank[x] && blank.get(x + 1).is_none_or(|b| *b)) {
            x += 1;
        }
        out.push(Column { start, end: x });
    }
    out
}

/// Each row as one `char` per display cell (a wide character, then a NUL for its second
/// cell), so that columns line up by position.
fn cells(line: &str) -> Vec<char> {
    let mut out = Vec::new();
    for c in line.chars() {
        let w = c.width().unwrap_or(0);
        if w == 0 {
            continue;
        }
        out.push(c);
        out.extend(std::iter::repeat_n('\0', w - 1));
    }
    out
}

fn cell_text(row: &[char], col: &Column) -> String {
    let end = col.end.min(row.len());
    if col.start >= end {
        return String::new();
    }
    row[col.start..end].iter().filter(|c| **c != '\0').collect::<String>().trim_end().to_string()
}

/// A table narrowed to `width`: its widest column of words shortened, then its rightmost
/// columns dropped, until every row fits.
fn fit_table(lines: &[String], width: usize) -> Vec<String> {
    let rows: Vec<Vec<char>> = lines.iter().map(|l| cells(l)).collect();
    let cols = columns(&rows);
    if cols.len() < 2 {
        return lines.iter().flat_map(|l| if l.width() > width { wrap_line(l, width, None) } else { vec![l.clone()] }).collect();
    }
    let texts: Vec<Vec<String>> = rows.iter().map(|r| cols.iter().map(|c| cell_text(r, c)).collect()).collect();
    // each column's width, and whether it holds words (more than one letter in a row)
    let mut widths: Vec<usize> = (0..cols.len()).map(|k| texts.iter().map(|t| t[k].width()).max().unwrap_or(0)).collect();
    let wordy = |k: usize| texts.iter().any(|t| t[k].chars().filter(|c| c.is_alphabetic()).count() > 3 && t[k].contains(' '));
    let left = cols[0].start;
    let total = |widths: &[usize], n: usize| left + widths[..n].iter().sum::<usize>() + 2 * n.saturating_sub(1);
    // the first column of words names the rows (a role, a variant): it keeps a third of the
    // width, so that the rows can still be told apart
    let label = (0..cols.len()).find(|&k| wordy(k));
    let floor = |k: usize| match k {
        _ if Some(k) == label => widths[k].min(MIN_TEXT_COLUMN.max(width / 3)),
        _ if wordy(k) => widths[k].min(MIN_TEXT_COLUMN),
        _ => widths[k],
    };
    let floors: Vec<usize> = (0..cols.len()).map(floor).collect();
    // keep as many columns as fit with their words shortened as far as they go; drop the
    // rightmost (the details: spreads, intervals) beyond that
    let mut shown = cols.len();
    while shown > 1 && total(&floors, shown) > width {
        shown -= 1;
    }
    // then shorten its columns of words, the rightmost (least important) first, until the
    // table fits
    while total(&widths, shown) > width {
        let Some(k) = (0..shown).rev().find(|&k| widths[k] > floors[k]) else { break };
        widths[k] -= 1;
    }
    // a shortened column is as wide as its widest shortened cell
    for k in 0..shown {
        widths[k] = texts.iter().map(|t| shorten(&t[k], widths[k]).width()).max().unwrap_or(0);
    }
    // a column whose cells all end at its right edge is right-aligned (numbers)
    let right_aligned: Vec<bool> = cols
        .iter()
        .map(|c| {
            let mut ends = rows.iter().filter_map(|r| (c.start..c.end.min(r.len())).rev().find(|&x| r[x] != ' ').map(|x| x + 1));
            ends.all(|e| e == c.end)
        })
        .collect();
    texts
        .iter()
        .map(|row| {
            let mut line = " ".repeat(left);
            for k in 0..shown {
                let cell = shorten(&row[k], widths[k]);
                let pad = widths[k].saturating_sub(cell.width());
                let last = k + 1 == shown;
                if right_aligned[k] {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(&cell);
                } else {
                    line.push_str(&cell);
                    if !last {
                        line.push_str(&" ".repeat(pad));
                    }
                }
                if !last {
                    line.push_str("  ");
                }
            }
            line.trim_end().to_string()
        })
        .collect()
}

/// `text` in at most `width` cells: whole, or cut at a word with "…".
pub fn shorten(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut last_space = None;
    for c in text.chars() {
        if out.width() + c.width().unwrap_or(0) + 1 > width {
            break;
        }
        if c == ' ' {
            last_space = Some(out.len());
        }
        out.push(c);
    }
    // at a word, unless that would leave less than half of it
    if let Some(at) = last_space.filter(|&at| at * 2 >= out.len()) {
        out.truncate(at);
    }
    format!("{}…", out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_keeps_its_columns_in_a_narrow_terminal() {
        let table = " hop  role                     p10   median   drop  if passed through (p25 to p75)\n   1  Friend \"in marketing\"    38%      50%   49.6    +8.9 (+2.0 to +17.6)\n   2  Web agency               25%      36%   15.1    +4.0 (−1.1 to +8.3)";
        let fitted = fit(table, 60);
        for line in fitted.lines() {
            assert!(line.width() <= 60, "{line:?} in\n{fitted}");
        }
        assert!(fitted.contains("Friend \"in marketing\""), "{fitted}");
        assert!(fitted.contains(" 38% "), "{fitted}");
        let narrow = fit(table, 40);
        assert!(narrow.lines().all(|l| l.width() <= 40), "{narrow}");
        assert!(narrow.contains("Friend…") || narrow.contains("Friend \"in…"), "{narrow}");
        let narrowest = fit(table, 30);
        assert!(narrowest.lines().all(|l| l.width() <= 30), "{narrowest}");
        assert!(narrowest.contains("median") && !narrowest.contains("drop"), "{narrowest}");
    }

    #[test]
    fn prose_is_wrapped_at_a_word_and_short_lines_are_kept() {
        let text = "Costliest hop across runs: passing the message on unchanged there would leave it closer\n\nshort";
        let fitted = fit(text, 40);
        assert!(fitted.lines().all(|l| l.width() <= 40), "{fitted}");
        assert!(fitted.ends_with("\n\nshort"));
        // a paragraph wrapped wider is wrapped again as a whole
        assert_eq!(fit("one two three four\nfive six", 12), "one two\nthree four\nfive six");
        assert_eq!(fit(text, 200), text);
    }

    #[test]
    fn wide_characters_count_two_cells() {
        assert_eq!(shorten("東京 大阪 名古屋", 10), "東京 大阪…");
        assert_eq!(shorten("東京 大阪 名古屋", 9), "東京…");
        let fitted = fit("名前  値\n東京の営業部長  一二三四五六七八九十一二三四五六七八九十", 30);
        assert!(fitted.lines().all(|l| l.width() <= 30), "{fitted}");
    }

    #[test]
    fn colour_codes_do_not_count() {
        let line = "\u{1b}[1mbold\u{1b}[0m text";
        assert_eq!(strip_ansi(line), "bold text");
        assert_eq!(fit(line, 40), line);
    }
}
