//! What a screen of `drift play` shows, as a pure function of the game and the terminal's
//! size: lines of spans with semantic tones, no escape codes. The terminal paints the tones
//! (or not, under `NO_COLOR`); tests snapshot the text at any size.
//!
//! Made for a projector: one centred column of comfortable width, generous spacing, the
//! message in the middle of the screen. When the screen is small, the least important lines
//! go first (spacing, notes, the curve), then long messages are shortened with "…"; nothing
//! is ever wider than the screen.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::game::{Game, Step};
use crate::format::percent;
use crate::output::{Piece, bar, word_diff};

/// What a stretch of text is, for the painter to style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    /// Header and footer: the scenario's name, progress, the keys.
    Chrome,
    Title,
    Role,
    Note,
    /// The message itself.
    Quote,
    /// Words the hop dropped.
    Removed,
    /// Words the hop brought in.
    Added,
    /// A hop a person played.
    Human,
    Warn,
    /// A similarity that is still high, middling or low.
    Good,
    Fair,
    Poor,
    /// Captions.
    Faint,
    /// What a person is typing.
    Input,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub tone: Tone,
}

/// One row of the screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    pub spans: Vec<Span>,
}

impl Line {
    fn new() -> Line {
        Line::default()
    }

    fn of(text: impl Into<String>, tone: Tone) -> Line {
        let mut l = Line::new();
        l.push(text, tone);
        l
    }

    fn push(&mut self, text: impl Into<String>, tone: Tone) {
        let text = text.into();
        if text.is_empty() {
            return;
        }
        match self.spans.last_mut() {
            Some(last) if last.tone == tone => last.text.push_str(&text),
            _ => self.spans.push(Span { text, tone }),
        }
    }

    fn append(&mut self, other: Line) {
        for s in other.spans {
            self.push(s.text, s.tone);
        }
    }

    /// Columns it takes on screen.
    pub fn width(&self) -> usize {
        self.spans.iter().map(|s| s.text.width()).sum()
    }

    /// The text without tones.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }

    /// Cut to `width` columns, ending in "…" when something was cut.
    fn truncated(mut self, width: usize) -> Line {
        if self.width() <= width {
            return self;
        }
        let mut out = Line::new();
        let mut used = 0;
        let room = width.saturating_sub(1);
        'spans: for s in std::mem::take(&mut self.spans) {
            for c in s.text.chars() {
                let w = c.width().unwrap_or(0);
                if used + w > room {
                    break 'spans;
                }
                used += w;
                out.push(c.to_string(), s.tone);
            }
        }
        if width > 0 {
            out.push("…", Tone::Faint);
        }
        out
    }

    fn indented(mut self, columns: usize) -> Line {
        if columns > 0 && !self.spans.is_empty() {
            self.spans.insert(0, Span { text: " ".repeat(columns), tone: Tone::Plain });
        }
        self
    }
}

/// The terminal and how the message is shown right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    pub width: u16,
    pub height: u16,
    /// Colour is on: diffs are shown by tone alone. Without it, removed words are written
    /// `[-like this-]` and added ones `{+like this+}`, so the diff survives plain text.
    pub color: bool,
    /// `--flash` has run out: the message was heard once and is gone.
    pub hidden: bool,
    /// Whole seconds left before the message goes (`--flash`).
    pub flash_left: Option<u64>,
}

/// The screen for the game's current step: exactly `view.height` lines, none wider than
/// `view.width`.
pub fn render(game: &Game, view: &View) -> Vec<Line> {
    let (width, height) = (usize::from(view.width), usize::from(view.height));
    let measure = measure(width);
    let page = match game.step() {
        Step::Customer => customer(game, view, measure),
        Step::Hop(i) => hop(game, view, measure, *i),
        Step::Typing { hop, input } => typing(game, view, measure, *hop, input),
        Step::End => end(game, view, width),
    };
    lay_out(page, width, height)
}

/// The width of the text column: about two thirds of the screen, between 40 and 88 columns
/// (a comfortable line length), with a margin on each side.
fn measure(width: usize) -> usize {
    let m = (width * 7 / 10).clamp(40.min(width), 88);
    m.min(width.saturating_sub(4)).max(1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    /// In the centred column, left-aligned.
    Column,
    /// Each line centred on its own.
    Centre,
}

/// A group of lines that is shortened or dropped as a unit when the screen is small.
struct Part {
    lines: Vec<Line>,
    /// Lower goes first.
    priority: u8,
    /// Lines it keeps however small the screen (then shortened with "…").
    min: usize,
    /// Shortened from the start (what a person is typing: the end is where they are).
    keep_end: bool,
    align: Align,
}

impl Part {
    fn new(lines: Vec<Line>, priority: u8) -> Part {
        Part { lines, priority, min: 0, keep_end: false, align: Align::Column }
    }

    fn spacer() -> Part {
        Part::new(vec![Line::new()], 0)
    }

    fn keep(mut self, min: usize) -> Part {
        self.min = min;
        self
    }

    fn centred(mut self) -> Part {
        self.align = Align::Centre;
        self
    }

    fn shortened_at_start(mut self) -> Part {
        self.keep_end = true;
        self
    }

    /// Drops `cut` lines, marking the cut with "…".
    fn shorten(&mut self, cut: usize) {
        if cut == 0 {
            return;
        }
        let n = self.lines.len();
        if cut >= n {
            self.lines.clear();
        } else if self.keep_end {
            self.lines.drain(..cut);
            let mut first = Line::of("… ", Tone::Faint);
            first.append(std::mem::take(&mut self.lines[0]));
            self.lines[0] = first;
        } else {
            self.lines.truncate(n - cut);
            if let Some(last) = self.lines.last_mut() {
                last.push(" …", Tone::Faint);
            }
        }
    }
}

/// A screen before fitting: header, body, footer.
struct Page {
    header: Line,
    body: Vec<Part>,
    footer: Line,
    /// The body's column width (for centring the column).
    column: usize,
}

/// Fits the page into `height` rows of `width` columns: header on the first row, footer on
/// the last, the body centred between them.
fn lay_out(mut page: Page, width: usize, height: usize) -> Vec<Line> {
    let chrome = if height >= 3 { 2 } else { 0 };
    let breathing = if height >= 14 { 2 } else { 0 };
    let room = height - chrome - breathing;
    fit(&mut page.body, room);
    let left = width.saturating_sub(page.column) / 2;
    let mut body: Vec<Line> = Vec::new();
    for part in &page.body {
        for line in &part.lines {
            let line = line.clone().truncated(width);
            let pad = match part.align {
                Align::Column => left.min(width.saturating_sub(line.width())),
                Align::Centre => width.saturating_sub(line.width()) / 2,
            };
            body.push(line.indented(pad));
        }
    }
    let mut screen = Vec::with_capacity(height);
    if chrome > 0 {
        screen.push(page.header.truncated(width));
    }
    let free = height - chrome - body.len();
    let above = free / 2;
    screen.extend(std::iter::repeat_n(Line::new(), above));
    screen.extend(body);
    screen.extend(std::iter::repeat_n(Line::new(), free - above));
    if chrome > 0 {
        let footer = page.footer.truncated(width);
        let pad = width.saturating_sub(footer.width()) / 2;
        screen.push(footer.indented(pad));
    }
    screen
}

/// Shortens the least important parts first until the body fits in `room` lines.
fn fit(parts: &mut [Part], room: usize) {
    let total = |parts: &[Part]| parts.iter().map(|p| p.lines.len()).sum::<usize>();
    let mut priorities: Vec<u8> = parts.iter().map(|p| p.priority).collect();
    priorities.sort_unstable();
    priorities.dedup();
    for keep_minimum in [true, false] {
        for &priority in &priorities {
            for k in (0..parts.len()).rev() {
                if parts[k].priority != priority {
                    continue;
                }
                let over = total(parts).saturating_sub(room);
                if over == 0 {
                    return;
                }
                let floor = if keep_minimum { parts[k].min } else { 0 };
                let cut = over.min(parts[k].lines.len().saturating_sub(floor));
                parts[k].shorten(cut);
            }
        }
    }
}

/// Text made of toned segments, wrapped at `width` columns: words stay whole (unless longer
/// than a line), and the space between two words of the same tone keeps that tone, so a
/// struck-through phrase reads as one.
pub(super) fn wrap(segments: &[(String, Tone)], width: usize) -> Vec<Line> {
    // words: toned pieces with no space between them, and whether a space came before
    let mut words: Vec<(Vec<(String, Tone)>, bool)> = Vec::new();
    let mut space = false;
    let mut open = false;
    for (text, tone) in segments {
        for c in text.chars() {
            if c.is_whitespace() {
                space = true;
                open = false;
                continue;
            }
            if !open {
                words.push((Vec::new(), space && !words.is_empty()));
                space = false;
                open = true;
            }
            let parts = &mut words.last_mut().expect("a word was just opened").0;
            match parts.last_mut() {
                Some((s, t)) if t == tone => s.push(c),
                _ => parts.push((c.to_string(), *tone)),
            }
        }
    }
    let width = width.max(1);
    let mut lines: Vec<Line> = Vec::new();
    let mut line = Line::new();
    let mut last_tone: Option<Tone> = None;
    for (parts, spaced) in words {
        let w: usize = parts.iter().map(|(s, _)| s.width()).sum();
        let gap = usize::from(spaced && line.width() > 0);
        if line.width() > 0 && line.width() + gap + w > width {
            lines.push(std::mem::take(&mut line));
        } else if gap == 1 {
            let first = parts.first().map(|(_, t)| *t);
            let tone = if first == last_tone { first.unwrap_or(Tone::Plain) } else { Tone::Plain };
            line.push(" ", tone);
        }
        for (s, tone) in parts {
            for c in s.chars() {
                let cw = c.width().unwrap_or(0);
                if line.width() + cw > width && line.width() > 0 {
                    lines.push(std::mem::take(&mut line));
                }
                line.push(c.to_string(), tone);
            }
            last_tone = Some(tone);
        }
    }
    if line.width() > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn wrap_one(text: &str, tone: Tone, width: usize) -> Vec<Line> {
    wrap(&[(text.to_string(), tone)], width)
}

/// A message in quotation marks, wrapped.
fn quoted(mut segments: Vec<(String, Tone)>, width: usize) -> Vec<Line> {
    segments.insert(0, ("“".to_string(), Tone::Quote));
    segments.push(("”".to_string(), Tone::Quote));
    wrap(&segments, width)
}

/// The new message with what changed from the old one: by tone with colour, by markers
/// without.
pub(super) fn diff_segments(old: &str, new: &str, color: bool) -> Vec<(String, Tone)> {
    let mut out = Vec::new();
    for piece in word_diff(old, new) {
        match piece {
            Piece::Same(s) => out.push((s, Tone::Quote)),
            Piece::Changed { removed, added } => {
                let (lead, removed, added, tail) = Piece::change_parts(&removed, &added);
                out.push((lead, Tone::Quote));
                if !removed.is_empty() {
                    out.push((if color { removed } else { format!("[-{removed}-]") }, Tone::Removed));
                    if !added.is_empty() {
                        out.push((" ".to_string(), Tone::Quote));
                    }
                }
                if !added.is_empty() {
                    out.push((if color { added } else { format!("{{+{added}+}}") }, Tone::Added));
                }
                out.push((tail, Tone::Quote));
            }
        }
    }
    out
}

/// How a similarity reads: high, middling, low.
pub(super) fn level(x: f64) -> Tone {
    if x >= 0.7 {
        Tone::Good
    } else if x >= 0.4 {
        Tone::Fair
    } else {
        Tone::Poor
    }
}

/// The customer's name for captions: "Sam" from "Sam, owner of a bakery".
pub(super) fn short_who(game: &Game) -> String {
    let name = customer_name(game);
    if name == "the customer" { "the customer's".to_string() } else { format!("{name}'s") }
}

/// "Sam" from "Sam, owner of a two-person neighbourhood bakery"; "the customer" when there
/// is no short name.
fn customer_name(game: &Game) -> String {
    match game.scenario().customer.who.as_deref() {
        Some(who) => {
            let name = who.split([',', '(']).next().unwrap_or(who).trim();
            if name.is_empty() || name.width() > 24 { "the customer".to_string() } else { name.to_string() }
        }
        None => "the customer".to_string(),
    }
}

/// What the headline score says, in the room's words: "still says what Sam said" for
/// `meaning`; "like Sam's words (levenshtein)" for a measure of spelling or words.
pub(super) fn score_caption(game: &Game) -> String {
    match game.scenario().headline() {
        crate::metrics::Metric::Meaning => format!("still says what {} said", customer_name(game)),
        other => format!("like {} words ({})", short_who(game), other.name()),
    }
}

/// "████████░░░░  62%  still says what Sam said": the caption beside the bar when a
/// bar of at least 12 cells leaves room for it, under it otherwise.
fn score_bar(game: &Game, x: f64, measure: usize) -> Vec<Line> {
    let caption = score_caption(game);
    let beside = measure.saturating_sub(5 + 2 + caption.width()).min(30);
    let cells = if beside >= 12 { beside } else { measure.saturating_sub(5).clamp(4, 30) };
    let mut line = Line::of(bar(x, cells), level(x));
    line.push(format!(" {:>4}", percent(x)), Tone::Title);
    if beside >= 12 {
        line.push(format!("  {caption}"), Tone::Faint);
        vec![line]
    } else {
        vec![line, Line::of(caption, Tone::Faint)]
    }
}

/// The curve so far, one block per station (the customer first), human hops in their tone.
pub(super) fn sparkline(label: &str, curve: &[(f64, bool)], measure: usize) -> Line {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let label = format!("{label}  ");
    let spaced = label.width() + curve.len() * 2 <= measure;
    let room = measure.saturating_sub(label.width()).max(1);
    let per = if spaced { 2 } else { 1 };
    let shown = &curve[curve.len().saturating_sub(room / per)..];
    let mut line = Line::of(label, Tone::Faint);
    for (k, (x, human)) in shown.iter().enumerate() {
        let block = BLOCKS[(x.clamp(0.0, 1.0) * 7.0).round() as usize];
        if spaced && k > 0 {
            line.push(" ", Tone::Plain);
        }
        line.push(block.to_string(), if *human { Tone::Human } else { level(*x) });
    }
    line
}

/// "The bakery …                                 hop 3 of 5"
fn header(game: &Game, progress: &str, width: usize) -> Line {
    header_with(&game.scenario().name, progress, width)
}

fn header_with(name: &str, progress: &str, width: usize) -> Line {
    let room = width.saturating_sub(progress.width() + 4);
    let mut line = Line::new();
    if room >= 8 {
        let shown = Line::of(name, Tone::Chrome).truncated(room);
        let gap = width.saturating_sub(shown.width() + progress.width() + 2).max(2);
        line = Line::of(" ", Tone::Chrome);
        line.append(shown);
        line.push(" ".repeat(gap), Tone::Chrome);
    }
    line.push(progress, Tone::Chrome);
    line
}

fn keys(wide: &str, narrow: &str, width: usize) -> Line {
    Line::of(if wide.width() <= width { wide } else { narrow }, Tone::Chrome)
}

/// The message, or where it was when `--flash` has hidden it: the same number of lines, so
/// nothing else on the screen moves when it goes.
fn message(segments: Vec<(String, Tone)>, view: &View, measure: usize) -> Part {
    let mut lines = quoted(segments, measure);
    if view.flash_left.is_some() || view.hidden {
        let left = view.flash_left.map_or(String::new(), |s| format!("gone in {s} s"));
        lines.push(Line::of(left, Tone::Faint));
    }
    if view.hidden {
        let gone = wrap_one("(heard once: the words are gone)", Tone::Faint, measure);
        let n = lines.len().max(gone.len());
        lines = gone;
        lines.resize(n, Line::new());
    }
    Part::new(lines, 7).keep(1)
}

fn customer(game: &Game, view: &View, measure: usize) -> Page {
    let s = game.scenario();
    let width = usize::from(view.width);
    let mut body = vec![Part::new(wrap_one(&s.name, Tone::Title, measure), 6).keep(1).centred()];
    if let Some(d) = &s.description {
        body.push(Part::new(wrap_one(d, Tone::Note, measure), 1).keep(1).centred());
    }
    body.push(Part::spacer());
    body.push(Part::spacer());
    let who = s.customer.who.as_deref().unwrap_or("The customer");
    body.push(Part::new(wrap_one(&format!("{who} said:"), Tone::Role, measure), 8).keep(1));
    body.push(Part::spacer());
    body.push(message(vec![(s.customer.told().to_string(), Tone::Quote)], view, measure));
    body.push(Part::spacer());
    let mut chain: Vec<(String, Tone)> = vec![("The chain: ".to_string(), Tone::Faint)];
    for (i, hop) in s.chain.iter().enumerate() {
        if i > 0 {
            chain.push((" → ".to_string(), Tone::Faint));
        }
        if game.is_marked_human(i) {
            chain.push((format!("{} (human)", hop.role), Tone::Human));
        } else {
            chain.push((hop.role.clone(), Tone::Note));
        }
    }
    body.push(Part::new(wrap(&chain, measure), 2));
    let n = game.chain_len();
    Page {
        header: header_with("drift play · workshop mode", &format!("seed {} · {n} hops ", game.seed()), width),
        body,
        footer: keys("Enter or space: the first hop  ·  q: quit", "⏎ first hop · q quit", width),
        column: measure,
    }
}

fn role_line(game: &Game, i: usize, suffix: Option<&str>) -> Vec<(String, Tone)> {
    let mut out = vec![(format!("{}. {}", i + 1, game.scenario().chain[i].role), Tone::Role)];
    if let Some(s) = suffix {
        out.push((format!(" · {s}"), Tone::Human));
    }
    out
}

fn hop(game: &Game, view: &View, measure: usize, i: usize) -> Page {
    let width = usize::from(view.width);
    let h = &game.hops()[i];
    let score = game.scores()[i].vs_customer[0];
    let mut body = vec![Part::new(wrap(&role_line(game, i, h.human.then_some("typed in the room")), measure), 8).keep(1)];
    if let Some(note) = &h.note {
        body.push(Part::new(wrap_one(note, Tone::Note, measure), 2));
    }
    body.push(Part::spacer());
    body.push(message(diff_segments(game.incoming(i), &h.text, view.color), view, measure));
    if h.text == game.incoming(i) {
        body.push(Part::new(vec![Line::of("passed on unchanged", Tone::Faint)], 5));
    }
    body.push(Part::spacer());
    body.push(Part::new(score_bar(game, score, measure), 6).keep(1));
    body.push(Part::new(vec![sparkline("the curve so far", &game.curve(Some(i)), measure)], 3));
    if let Some(n) = game.notice() {
        // a notice is what the room must read now: it goes last
        body.push(Part::new(wrap_one(n, Tone::Warn, measure), 10).keep(1));
    }
    let last = i + 1 == game.chain_len();
    let next = if last { "the end" } else { "next hop" };
    let retype = if h.human { "  ·  r: type it again" } else { "" };
    Page {
        header: header(game, &format!("hop {} of {} ", i + 1, game.chain_len()), width),
        body,
        footer: keys(&format!("Enter or space: {next}  ·  b: back{retype}  ·  q: quit"), &format!("⏎ {next} · b back · q quit"), width),
        column: measure,
    }
}

fn typing(game: &Game, view: &View, measure: usize, i: usize, input: &str) -> Page {
    let width = usize::from(view.width);
    let hop = &game.scenario().chain[i];
    let mut body = vec![Part::new(wrap(&role_line(game, i, Some("your turn")), measure), 8).keep(1)];
    if let Some(note) = &hop.note {
        body.push(Part::new(wrap_one(note, Tone::Note, measure), 2));
    }
    body.push(Part::spacer());
    body.push(Part::new(vec![Line::of("You heard:", Tone::Note)], 4));
    body.push(message(vec![(game.incoming(i).to_string(), Tone::Quote)], view, measure));
    body.push(Part::spacer());
    body.push(Part::new(wrap_one("Pass it on in your own words, then press Enter:", Tone::Note, measure), 5));
    let typed = wrap(&[("› ".to_string(), Tone::Faint), (input.to_string(), Tone::Input), ("▏".to_string(), Tone::Input)], measure);
    body.push(Part::new(typed, 9).keep(1).shortened_at_start());
    if let Some(n) = game.notice() {
        // a notice is what the room must read now: it goes last
        body.push(Part::new(wrap_one(n, Tone::Warn, measure), 10).keep(1));
    }
    Page {
        header: header(game, &format!("hop {} of {} ", i + 1, game.chain_len()), width),
        body,
        footer: keys("Enter: pass it on  ·  Esc: back  ·  Ctrl-C: quit", "⏎ pass on · Esc back", width),
        column: measure,
    }
}

/// Block digits for the final score, two columns per pixel so they look square.
fn big(text: &str) -> Option<[String; 5]> {
    const GLYPHS: [(char, [&str; 5]); 11] = [
        ('0', ["###", "# #", "# #", "# #", "###"]),
        ('1', [" # ", "## ", " # ", " # ", "###"]),
        ('2', ["###", "  #", "###", "#  ", "###"]),
        ('3', ["###", "  #", "###", "  #", "###"]),
        ('4', ["# #", "# #", "###", "  #", "  #"]),
        ('5', ["###", "#  ", "###", "  #", "###"]),
        ('6', ["###", "#  ", "###", "# #", "###"]),
        ('7', ["###", "  #", "  #", "  #", "  #"]),
        ('8', ["###", "# #", "###", "# #", "###"]),
        ('9', ["###", "# #", "###", "  #", "###"]),
        ('%', ["#  #", "   #", "  # ", " #  ", "#  #"]),
    ];
    let mut rows: [String; 5] = Default::default();
    for (k, c) in text.chars().enumerate() {
        let glyph = GLYPHS.iter().find(|(g, _)| *g == c)?.1;
        for (row, pattern) in rows.iter_mut().zip(glyph) {
            if k > 0 {
                row.push_str("  ");
            }
            row.extend(pattern.chars().map(|p| if p == '#' { "██" } else { "  " }));
        }
    }
    Some(rows.map(|r| r.trim_end().to_string()))
}

fn end(game: &Game, view: &View, width: usize) -> Page {
    let s = game.scenario();
    let n = game.chain_len();
    let customer = s.customer.told();
    let last = game.text_after(Some(n - 1));
    let score = game.scores()[n - 1].vs_customer[0];
    // the customer's words with what got lost, the final message with what came in
    let (mut kept, mut now) = (Vec::new(), Vec::new());
    for piece in word_diff(customer, last) {
        match piece {
            Piece::Same(s) => {
                kept.push((s.clone(), Tone::Quote));
                now.push((s, Tone::Quote));
            }
            Piece::Changed { removed, added } => {
                let (lead, removed, added, tail) = Piece::change_parts(&removed, &added);
                for (side, words, tone, marks) in
                    [(&mut kept, removed, Tone::Removed, ("[-", "-]")), (&mut now, added, Tone::Added, ("{+", "+}"))]
                {
                    if !words.is_empty() {
                        let words = if view.color { words } else { format!("{}{words}{}", marks.0, marks.1) };
                        side.extend([(lead.clone(), Tone::Quote), (words, tone), (tail.clone(), Tone::Quote)]);
                    }
                }
            }
        }
    }
    let who = s.customer.who.as_deref().map_or("The customer".to_string(), |w| w.split(',').next().unwrap_or(w).trim().to_string());
    let left_title = format!("{who} said:");
    let right_title = format!("After {n} hops:");
    let two_columns = width >= 96;
    let (column, body_width);
    let mut body = Vec::new();
    if two_columns {
        body_width = (width - 8).min(150);
        column = (body_width - 4) / 2;
        let left: Vec<Line> = std::iter::once(Line::of(left_title, Tone::Role)).chain(quoted(kept, column)).collect();
        let right: Vec<Line> = std::iter::once(Line::of(right_title, Tone::Role)).chain(quoted(now, column)).collect();
        let rows = left.len().max(right.len());
        let mut lines = Vec::new();
        for r in 0..rows {
            let mut line = left.get(r).cloned().unwrap_or_default();
            let pad = column + 4 - line.width();
            line.push(" ".repeat(pad), Tone::Plain);
            line.append(right.get(r).cloned().unwrap_or_default());
            lines.push(line);
        }
        body.push(Part::new(lines, 7).keep(2));
    } else {
        body_width = measure(width);
        column = body_width;
        body.push(Part::new(vec![Line::of(left_title, Tone::Role)], 7));
        body.push(Part::new(quoted(kept, column), 7).keep(1));
        body.push(Part::spacer());
        body.push(Part::new(vec![Line::of(right_title, Tone::Role)], 8));
        body.push(Part::new(quoted(now, column), 8).keep(1));
    }
    body.push(Part::spacer());
    body.push(Part::spacer());
    if let Some(rows) = big(&percent(score)).filter(|r| r.iter().all(|l| l.width() <= width)) {
        body.push(Part::new(rows.into_iter().map(|r| Line::of(r, level(score))).collect(), 4).centred());
        body.push(Part::spacer());
    }
    let mut caption = Line::of(format!("{} ", percent(score)), level(score));
    caption.push(score_caption(game), Tone::Title);
    body.push(Part::new(vec![caption], 9).centred());
    body.push(Part::new(vec![sparkline("the whole curve", &game.curve(Some(n - 1)), body_width)], 3).centred());
    body.push(Part::spacer());
    if let Some((i, fall)) = game.costliest() {
        let text = format!("Costliest hop: {}. {}, −{:.0} points", i + 1, s.chain[i].role, fall * 100.0);
        body.push(Part::new(wrap_one(&text, Tone::Warn, body_width), 6).centred());
    }
    let typed: Vec<String> = game.typed().iter().map(|(i, _)| format!("{}. {}", i + 1, s.chain[*i].role)).collect();
    if !typed.is_empty() {
        body.push(Part::new(wrap_one(&format!("Typed in the room: {}", typed.join(", ")), Tone::Human, body_width), 5).centred());
    }
    if let Some(c) = game.closing() {
        body.push(Part::new(wrap_one(c, Tone::Faint, body_width), 6).centred());
    }
    Page {
        header: header(game, &format!("the end · {n} hops "), width),
        body,
        footer: keys("Any key: finish  ·  b: back", "any key: finish", width),
        column: body_width,
    }
}

/// The screen as plain text, for tests and the snapshots: one line per row, trailing spaces
/// dropped.
pub fn to_text(lines: &[Line]) -> String {
    let mut out = String::new();
    for l in lines {
        out.push_str(l.text().trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_words_whole_and_tones_in_place() {
        let segs = vec![
            ("We keep ".to_string(), Tone::Quote),
            ("losing adjusters".to_string(), Tone::Removed),
            (" ".to_string(), Tone::Quote),
            ("shedding talent".to_string(), Tone::Added),
            (".".to_string(), Tone::Quote),
        ];
        let lines = wrap(&segs, 20);
        let text: Vec<String> = lines.iter().map(Line::text).collect();
        assert_eq!(text, ["We keep losing", "adjusters shedding", "talent."]);
        assert!(lines.iter().all(|l| l.width() <= 20));
        // the space inside "losing adjusters" keeps the removed tone; "talent" and "." stay together
        assert_eq!(lines[0].spans.last().unwrap(), &Span { text: "losing".into(), tone: Tone::Removed });
        assert_eq!(lines[2].spans[0], Span { text: "talent".into(), tone: Tone::Added });
    }

    #[test]
    fn wide_characters_and_long_words_fit() {
        for line in wrap_one("東京の顧客は書類仕事に埋もれている supercalifragilisticexpialidocious", Tone::Quote, 10) {
            assert!(line.width() <= 10, "{:?}", line.text());
        }
        assert_eq!(Line::of("abcdefghij", Tone::Plain).truncated(5).text(), "abcd…");
    }

    #[test]
    fn big_digits() {
        let rows = big("26%").unwrap();
        assert_eq!(rows[0], "██████  ██████  ██    ██");
        assert!(big("n/a").is_none());
    }

    #[test]
    fn measure_stays_inside_the_screen() {
        for w in [1, 5, 20, 40, 80, 120, 200, 400] {
            let m = measure(w);
            assert!(m >= 1 && m <= w.max(1), "{w} → {m}");
        }
        assert_eq!(measure(200), 88);
    }
}
