//! The README's examples run after its set-up (issue 16: "the README's examples all run").
//!
//! Every `drift …` line of its `sh` blocks (and `$ drift …` of `console` blocks) runs with the
//! real binary and must exit as the README says: 0 unless a [`SPECIAL`] case names the other
//! codes it documents. Each block runs in a folder of its own, as a reader's fresh checkout
//! would be after `cargo install --path .`: the bundled `scenarios/`, plus small stand-ins for
//! the data the README names but the repository does not hold (`tests/readme/`: chains of
//! retellings for `human/*.csv` and `room.csv`, saved games for `played/`, pairs for
//! `variants.csv`). The lines of one block run in order, so a block may use what an earlier
//! line wrote (`drift play … --save played.yaml`, then `drift run played.yaml`); blocks run in
//! parallel. What the test changes, for every line alike:
//!
//! - `--runs` is at most [`RUNS`] for the commands that simulate (`run`, `compare`, `sweep`,
//!   `calibrate`), added where the line has none: the README's figures come from the full
//!   runs, and this test checks that the commands work, not their numbers;
//! - an `--out` outside the folder (`~/…`, `/…`) is moved into it, and so is a `> FILE`
//!   redirection (one to `~/…` is discarded); a `| drift …` gets the first command's output;
//! - standard input is empty, unless a [`SPECIAL`] case gives what a room would type.
//!
//! Besides: every `yaml` block that is a whole scenario (it has `version:`) validates; every
//! relative link and image points at a file that exists and every `#anchor` at a heading; the
//! contents list every section; every command of `drift --help` has its section.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{drift, root};

/// The most runs a README line simulates here.
const RUNS: u32 = 40;

/// A README line that does something other than exit 0 on empty input, as the README says.
struct Special {
    /// The line as [`Invocation::key`] writes it: `drift` and its arguments, unquoted.
    command: &'static str,
    /// What is typed on standard input.
    stdin: &'static str,
    /// The exit codes the README documents for it.
    codes: &'static [i32],
}

/// The room of `drift play … --human 2,4`, in the line mode (README, Workshop mode: an empty
/// line moves on, at a human hop the line is the retelling): the customer, hop 1, hop 2
/// typed, hop 3, hop 4 typed, hop 5, the end.
const ROOM_TYPES_HOPS_2_AND_4: &str = "\n\nSam wants invoicing that just works.\n\n\nA bakery needs a website for its orders.\n\n\n\n";

/// The lines that differ from "exit 0 on empty input". The test fails when one is no longer in
/// the README, so the list cannot go stale.
const SPECIAL: &[Special] = &[
    // exit code 1: "a check ran and failed" (Exit codes); the stand-in data decides which
    Special { command: "drift calibrate human/kreiss-control.csv --check", stdin: "", codes: &[0, 1] },
    Special { command: "drift calibrate human/kreiss-control.csv --check --folds 5", stdin: "", codes: &[0, 1] },
    Special { command: "drift calibrate room.csv --preset cmo --check", stdin: "", codes: &[0, 1] },
    // a human hop needs its line ("the game stops with exit code 2" when the input ends first)
    Special {
        command: "drift play scenarios/workshop-demo.yaml --human 2,4 --flash 5 --save played.yaml",
        stdin: ROOM_TYPES_HOPS_2_AND_4,
        codes: &[0],
    },
];

/// A fenced block of the README.
struct Block {
    /// Its language: `sh`, `yaml`, `text`, …
    lang: String,
    /// The line its opening fence is on, from 1.
    line: usize,
    text: String,
}

/// The fenced blocks of a Markdown text, fences indented or not.
fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(String, usize, usize, Vec<String>)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut open {
            None if trimmed.starts_with("```") => {
                open = Some((trimmed[3..].trim().to_string(), i + 1, line.len() - trimmed.len(), Vec::new()));
            }
            None => {}
            Some(_) if trimmed.starts_with("```") => {
                let (lang, line, _, lines) = open.take().unwrap();
                out.push(Block { lang, line, text: lines.join("\n") + "\n" });
            }
            Some((_, _, indent, lines)) => {
                let cut = line.len() - line.trim_start().len();
                lines.push(line[cut.min(*indent)..].to_string());
            }
        }
    }
    assert!(open.is_none(), "a code block is not closed");
    out
}

/// A piece of a shell line: a word (quotes removed) or an operator.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Op(&'static str),
}

/// The shell operators the README's lines use, longest first.
const OPS: [&str; 11] = ["&&", "||", ">>", "<(", "$(", "|", ";", ">", "<", "(", ")"];

/// Splits a shell line as sh would (quotes, backslashes, operators), up to a `#` comment.
fn tokenize(line: &str) -> Vec<Token> {
    let chars: Vec<char> = line.chars().collect();
    let mut tokens = Vec::new();
    let mut word: Option<String> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let rest: String = chars[i..].iter().take(2).collect();
        if c.is_whitespace() {
            tokens.extend(word.take().map(Token::Word));
            i += 1;
        } else if c == '#' && word.is_none() {
            break;
        } else if let Some(op) = OPS.iter().find(|op| rest.starts_with(**op)) {
            tokens.extend(word.take().map(Token::Word));
            tokens.push(Token::Op(op));
            i += op.chars().count();
        } else if c == '\'' {
            let end = chars[i + 1..].iter().position(|&q| q == '\'').expect("a closed ' quote") + i + 1;
            word.get_or_insert_with(String::new).extend(&chars[i + 1..end]);
            i = end + 1;
        } else if c == '"' {
            let w = word.get_or_insert_with(String::new);
            i += 1;
            while chars[i] != '"' {
                if chars[i] == '\\' && matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) {
                    i += 1;
                }
                w.push(chars[i]);
                i += 1;
            }
            i += 1;
        } else if c == '\\' && i + 1 < chars.len() {
            word.get_or_insert_with(String::new).push(chars[i + 1]);
            i += 2;
        } else {
            word.get_or_insert_with(String::new).push(c);
            i += 1;
        }
    }
    tokens.extend(word.map(Token::Word));
    tokens
}

/// One `drift …` of a README line.
#[derive(Debug)]
struct Invocation {
    /// The README line it is on, from 1.
    line: usize,
    /// The arguments after `drift`.
    args: Vec<String>,
    /// `> FILE`: where the README sends its output.
    stdout_to: Option<String>,
    /// `drift … | drift …`: this one reads the previous one's output.
    piped: bool,
}

impl Invocation {
    /// The command as the [`SPECIAL`] list writes it.
    fn key(&self) -> String {
        std::iter::once("drift").chain(self.args.iter().map(String::as_str)).collect::<Vec<_>>().join(" ")
    }
}

/// The shell lines of a block, each with its README line: `\` continuations joined; in a
/// `console` block only the `$ ` lines.
fn shell_lines(block: &Block) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut continued = false;
    for (i, raw) in block.text.lines().enumerate() {
        let line = if block.lang == "console" && !continued {
            match raw.strip_prefix("$ ") {
                Some(command) => command,
                None => continue,
            }
        } else {
            raw
        };
        let (text, more) = match line.strip_suffix('\\') {
            Some(head) => (head, true),
            None => (line, false),
        };
        if continued {
            out.last_mut().unwrap().1.push_str(text);
        } else {
            out.push((block.line + 1 + i, text.to_string()));
        }
        continued = more;
    }
    out
}

/// The `drift` commands of a shell line: a `drift` word where a command starts.
fn invocations(line: usize, text: &str) -> Vec<Invocation> {
    let tokens = tokenize(text);
    let mut out: Vec<Invocation> = Vec::new();
    let mut at_start = true;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Word(w) if at_start && w == "drift" => {
                let piped = i > 0 && tokens[i - 1] == Token::Op("|") && out.last().is_some_and(|p| p.stdout_to.is_none());
                let mut inv = Invocation { line, args: Vec::new(), stdout_to: None, piped };
                i += 1;
                while let Some(Token::Word(w)) = tokens.get(i) {
                    inv.args.push(w.clone());
                    i += 1;
                }
                if let (Some(Token::Op(">" | ">>")), Some(Token::Word(file))) = (tokens.get(i), tokens.get(i + 1)) {
                    inv.stdout_to = Some(file.clone());
                    i += 2;
                }
                out.push(inv);
                at_start = false;
            }
            Token::Word(_) => {
                at_start = false;
                i += 1;
            }
            Token::Op(op) => {
                at_start = !matches!(*op, ">" | ">>" | "<");
                i += 1;
            }
        }
    }
    out
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).expect("README.md")
}

/// Copies a folder's files and folders into another, recursively.
fn copy_into(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_into(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Whether a path the README writes to lies outside the block's folder: `~/…` or `/…`.
fn outside(path: &str) -> bool {
    path.starts_with('~') || path.starts_with('/')
}

/// A path the README writes to, inside the block's folder: one [`outside`] it is moved in.
fn inside(dir: &Path, path: &str) -> PathBuf {
    if outside(path) { dir.join("out") } else { dir.join(path) }
}

/// The arguments as run: `--runs` lowered, `--out` kept inside `dir`.
fn as_run(inv: &Invocation, dir: &Path) -> Vec<String> {
    let mut args = inv.args.clone();
    if let Some(i) = args.iter().position(|a| a == "--out")
        && let Some(value) = args.get_mut(i + 1)
    {
        *value = inside(dir, value).display().to_string();
    }
    if ["run", "compare", "sweep", "calibrate"].contains(&args[0].as_str()) {
        match args.iter().position(|a| a == "--runs") {
            Some(i) => {
                let asked: u32 = args[i + 1].parse().expect("--runs N");
                args[i + 1] = asked.min(RUNS).to_string();
            }
            None => args.extend(["--runs".to_string(), RUNS.to_string()]),
        }
    }
    args
}

/// Runs one block's commands in order in a fresh folder; the failures, described.
fn run_block(block: &Block, commands: &[Invocation]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    copy_into(&root().join("scenarios"), &dir.path().join("scenarios"));
    copy_into(&root().join("tests/readme"), dir.path());
    let mut failures = Vec::new();
    let mut previous_stdout: Vec<u8> = Vec::new();
    for inv in commands {
        let special = SPECIAL.iter().find(|s| s.command == inv.key());
        let stdin: Vec<u8> = match (inv.piped, special) {
            (true, _) => previous_stdout.clone(),
            (false, Some(s)) => s.stdin.as_bytes().to_vec(),
            (false, None) => Vec::new(),
        };
        let codes = special.map_or(&[0][..], |s| s.codes);
        let args = as_run(inv, dir.path());
        let out = drift().current_dir(dir.path()).env("HOME", dir.path()).args(&args).write_stdin(stdin).output().expect("drift runs");
        let code = out.status.code().unwrap_or(-1);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !codes.contains(&code) {
            failures.push(format!(
                "README line {} (block at line {}): `{}` exited {code}, the README says {codes:?}\n  ran: drift {}\n  stderr: {stderr}",
                inv.line,
                block.line,
                inv.key(),
                args.join(" ")
            ));
        } else if code == 0 && stderr.lines().any(|l| l.starts_with("error:")) {
            failures.push(format!("README line {}: `{}` succeeded with an error: {stderr}", inv.line, inv.key()));
        }
        // `> ~/…` is discarded: nothing is written outside the folder
        if let Some(file) = &inv.stdout_to
            && !outside(file)
        {
            std::fs::write(dir.path().join(file), &out.stdout).unwrap();
        }
        previous_stdout = out.stdout;
    }
    failures
}

/// Every block's `drift` commands, with the block.
fn commands_by_block(readme: &str) -> Vec<(Block, Vec<Invocation>)> {
    blocks(readme)
        .into_iter()
        .filter(|b| b.lang == "sh" || b.lang == "console")
        .map(|b| {
            let commands = shell_lines(&b).into_iter().flat_map(|(line, text)| invocations(line, &text)).collect();
            (b, commands)
        })
        .collect()
}

#[test]
fn every_drift_line_of_the_readme_runs_after_its_set_up() {
    let readme = readme();
    let blocks = commands_by_block(&readme);
    // the parser saw every line that calls drift (a comment may mention it)
    for (block, commands) in &blocks {
        for (line, text) in shell_lines(block) {
            let code: String = tokenize(&text)
                .iter()
                .map(|t| match t {
                    Token::Word(w) => w.clone(),
                    Token::Op(o) => o.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" ");
            let calls = code.split_whitespace().any(|w| w == "drift");
            assert!(
                !calls || commands.iter().any(|c| c.line == line),
                "README line {line}: `{text}` calls drift, but no command was found"
            );
        }
    }
    let all: Vec<&Invocation> = blocks.iter().flat_map(|(_, c)| c).collect();
    assert!(all.len() >= 25, "only {} drift commands found in the README's sh blocks", all.len());
    for special in SPECIAL {
        assert!(
            all.iter().any(|c| c.key() == special.command),
            "the special case `{}` is no longer in the README: remove it from SPECIAL",
            special.command
        );
    }
    let failures: Vec<String> = std::thread::scope(|scope| {
        let runs: Vec<_> = blocks
            .iter()
            .filter(|(_, commands)| !commands.is_empty())
            .map(|(block, commands)| scope.spawn(move || run_block(block, commands)))
            .collect();
        runs.into_iter().flat_map(|r| r.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{} README example(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn the_readme_parser_reads_lines_as_sh_does() {
    let found = invocations(1, r#"mkdir -p ~/.zfunc && drift completions zsh > ~/.zfunc/_drift   # zsh"#);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].key(), found[0].stdout_to.as_deref()), ("drift completions zsh".to_string(), Some("~/.zfunc/_drift")));
    let found = invocations(1, r#"eval (drift completions elvish | slurp)"#);
    assert_eq!(found[0].key(), "drift completions elvish");
    let found = invocations(1, r#"drift sweep s.yaml --vary 'chain[2].mutate.jargon=0..1:11' --body "We \"put\" them back""#);
    assert_eq!(found[0].args, ["sweep", "s.yaml", "--vary", "chain[2].mutate.jargon=0..1:11", "--body", "We \"put\" them back"]);
    let found = invocations(1, "drift new - | drift run -");
    assert_eq!(found.len(), 2);
    assert!(!found[0].piped && found[1].piped);
    assert!(invocations(1, "cargo run --release -- run scenarios/x.yaml   # the drift run").is_empty());
    let block = Block { lang: "console".into(), line: 10, text: "$ drift score \\\n  --cta go\noutput\n".into() };
    assert_eq!(shell_lines(&block), [(11, "drift score   --cta go".to_string())]);
    let inv = Invocation { line: 1, args: vec!["man".into(), "--out".into(), "~/man1".into()], stdout_to: None, piped: false };
    let dir = Path::new("/tmp/x");
    assert_eq!(as_run(&inv, dir), ["man", "--out", "/tmp/x/out"]);
    let inv =
        Invocation { line: 1, args: vec!["run".into(), "a.yaml".into(), "--runs".into(), "5000".into()], stdout_to: None, piped: false };
    assert_eq!(as_run(&inv, dir), ["run", "a.yaml", "--runs", &RUNS.to_string()]);
}

#[test]
fn every_scenario_in_the_readme_validates() {
    let scenarios: Vec<Block> =
        blocks(&readme()).into_iter().filter(|b| b.lang == "yaml" && b.text.lines().any(|l| l.starts_with("version:"))).collect();
    assert!(scenarios.len() >= 2, "the README's scenarios: the format and the walk-through");
    for block in scenarios {
        let a = drift().args(["validate", "-"]).write_stdin(block.text.clone()).output().unwrap();
        assert!(
            a.status.success(),
            "the scenario at README line {} does not validate:\n{}",
            block.line,
            String::from_utf8_lossy(&a.stderr)
        );
    }
}

/// GitHub's anchor of a heading: lower case, punctuation other than `-` and `_` dropped,
/// spaces as dashes.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The headings of a Markdown text outside code blocks: their level and anchor (a repeated
/// anchor gets `-1`, `-2`, … as on GitHub).
fn headings(markdown: &str) -> Vec<(usize, String)> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        let level = line.chars().take_while(|&c| c == '#').count();
        if in_code || level == 0 || !line[level..].starts_with(' ') {
            continue;
        }
        let base = slug(&line[level..]);
        let mut anchor = base.clone();
        let mut n = 0;
        while !seen.insert(anchor.clone()) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        out.push((level, anchor));
    }
    out
}

/// The link targets of a Markdown text outside code blocks and code spans, with their line.
fn links(markdown: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_code = false;
    for (i, line) in markdown.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        // code spans are text: drop them
        let prose: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let mut rest = prose.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').expect("a closed link");
            out.push((i + 1, after[..end].to_string()));
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn every_link_and_anchor_of_the_readme_leads_somewhere() {
    let readme = readme();
    let anchors_of = |file: &Path| -> Vec<String> {
        headings(&std::fs::read_to_string(file).unwrap_or_else(|_| panic!("{}", file.display()))).into_iter().map(|h| h.1).collect()
    };
    let own = anchors_of(&root().join("README.md"));
    let found = links(&readme);
    assert!(found.len() > 30, "{found:?}");
    for (line, target) in found {
        if target.starts_with("http://") || target.starts_with("https://") {
            continue;
        }
        let (path, anchor) = target.split_once('#').map_or((target.as_str(), None), |(p, a)| (p, Some(a)));
        let anchors = if path.is_empty() {
            own.clone()
        } else {
            let file = root().join(path);
            assert!(file.exists(), "README line {line}: {path} does not exist");
            if anchor.is_some() { anchors_of(&file) } else { Vec::new() }
        };
        if let Some(anchor) = anchor {
            assert!(anchors.iter().any(|a| a == anchor), "README line {line}: no heading has the anchor #{anchor} ({target})");
        }
    }
}

#[test]
fn the_contents_list_every_section_and_every_command_has_one() {
    let readme = readme();
    let contents: String = readme.split("**Contents**").nth(1).expect("a contents list").split("\n## ").next().unwrap().to_string();
    let listed: HashSet<String> = links(&contents).into_iter().filter_map(|(_, t)| t.strip_prefix('#').map(str::to_string)).collect();
    for (level, anchor) in headings(&readme) {
        assert!(!(2..=3).contains(&level) || listed.contains(&anchor), "the contents do not list #{anchor}");
    }
    // the commands, as `drift --help` lists them
    let a = drift().arg("--help").assert().success();
    let help = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    let list = help.split("Commands:\n").nth(1).unwrap().split("\n\n").next().unwrap();
    let commands: Vec<&str> = list.lines().filter_map(|l| l.split_whitespace().next()).filter(|n| *n != "help").collect();
    assert!(commands.len() >= 12, "{commands:?}");
    for command in commands {
        assert!(readme.contains(&format!("\n### `drift {command}`")), "the README has no section `### `drift {command}``");
    }
}
