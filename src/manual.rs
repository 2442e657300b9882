//! Manual pages and shell completions, generated from the command-line definition so they
//! never disagree with `--help`.
//!
//! clap_mangen renders the name, synopsis, description, options and commands; the sections a
//! man page reader looks for that `--help` does not have (examples, exit status, environment,
//! see also) are added here in plain roff.

use clap::Command;
use clap_mangen::Man;

/// `(file name, roff)` for drift(1) and one page per command: `drift.1`, `drift-run.1`, ….
pub fn pages(cli: Command) -> Result<Vec<(String, Vec<u8>)>, std::io::Error> {
    let mut cli = cli.disable_help_subcommand(true);
    cli.build();
    let names: Vec<String> = cli.get_subcommands().filter(|c| !c.is_hide_set()).map(|c| c.get_name().to_string()).collect();
    let mut out = vec![page(&cli.clone().long_about(DESCRIPTION), None, &names)?];
    for sub in cli.get_subcommands().filter(|c| !c.is_hide_set()) {
        out.push(page(sub, Some(cli.get_name()), &names)?);
    }
    Ok(out)
}

/// The page of `name` (the main page when `None`).
pub fn one(cli: Command, name: Option<&str>) -> Result<Option<(String, Vec<u8>)>, std::io::Error> {
    let pages = pages(cli)?;
    let wanted = match name {
        None => return Ok(pages.into_iter().next()),
        Some(n) => format!("drift-{n}.1"),
    };
    Ok(pages.into_iter().find(|(file, _)| *file == wanted))
}

fn page(cmd: &Command, parent: Option<&str>, commands: &[String]) -> Result<(String, Vec<u8>), std::io::Error> {
    let version = env!("CARGO_PKG_VERSION");
    let man = Man::new(cmd.clone()).source(format!("drift {version}")).manual("drift manual");
    let mut roff = Vec::new();
    man.render_title(&mut roff)?;
    man.render_name_section(&mut roff)?;
    man.render_synopsis_section(&mut roff)?;
    man.render_description_section(&mut roff)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut roff)?;
    }
    if cmd.has_subcommands() {
        man.render_subcommands_section(&mut roff)?;
    }
    let mut extra = String::new();
    if let Some(after) = cmd.get_after_help() {
        let after = after.to_string();
        let body = after.split_once('\n').map_or(after.as_str(), |(first, rest)| if first.ends_with(':') { rest } else { after.as_str() });
        extra.push_str(".SH EXAMPLES\n.nf\n");
        for line in body.lines() {
            extra.push_str(&escape(line.strip_prefix("  ").unwrap_or(line)));
            extra.push('\n');
        }
        extra.push_str(".fi\n");
    }
    extra.push_str(EXIT_STATUS);
    if parent.is_none() {
        extra.push_str(ENVIRONMENT);
    }
    let see_also: Vec<String> = match parent {
        None => commands.iter().map(|c| format!("\\fBdrift\\-{}\\fR(1)", escape(c))).collect(),
        Some(p) => vec![format!("\\fB{}\\fR(1)", escape(p))],
    };
    extra.push_str(&format!(".SH \"SEE ALSO\"\n{}\n", see_also.join(", ")));
    // every page, not only drift(1) (clap_mangen's version section needs a version per command)
    extra.push_str(&format!(".SH VERSION\nv{}\n", escape(version)));
    roff.extend_from_slice(extra.as_bytes());
    Ok((man.get_filename(), roff))
}

/// drift(1)'s description: the story `--help` has no room for.
const DESCRIPTION: &str = "drift replays the game of telephone a customer's pain point plays on its way through a \
company. A scenario file holds what the customer said and the chain of people it passes through; drift changes the \
message at every hop the way people do (paraphrase, forgetting, jargon, \"we/our\" talk, exaggeration, pet agendas, \
the last anecdote they heard), explains every change, and measures how far the final message drifted from the \
customer's own words: where it went wrong, how much, and what would have prevented it.

Start with drift new, which writes a commented starter scenario, then drift run scenario.yaml. drift score holds \
real copy against the customer's words.";

const EXIT_STATUS: &str = ".SH \"EXIT STATUS\"
.TP
0
Success.
.TP
1
A runtime or I/O failure: an output folder that cannot be written, a chart that cannot be drawn.
.TP
2
Bad usage or bad input: an unknown option, an invalid scenario (the message names the file, line, column and field), a missing or unreadable file, an empty message, a file \\fBdrift new\\fR would overwrite. Nothing is written.
";

const ENVIRONMENT: &str = ".SH ENVIRONMENT
.TP
\\fBNO_COLOR\\fR
When set and not empty, no colour, whatever else is set.
.TP
\\fBCLICOLOR_FORCE\\fR
When set and not empty (and \\fBNO_COLOR\\fR is not), colour even when the output is not a terminal.
.TP
\\fBCLICOLOR\\fR
Set to 0 for no colour on a terminal.
.PP
Otherwise colour is on where the output is a terminal. A progress bar appears on standard error for work that takes more than a second, only when standard error is a terminal and \\fBTERM\\fR is set and not \\fBdumb\\fR.
";

/// Text for a roff line: backslashes and hyphens escaped, a leading `.` or `'` made literal.
fn escape(line: &str) -> String {
    let s = line.replace('\\', "\\e").replace('-', "\\-");
    if s.starts_with(['.', '\'']) { format!("\\&{s}") } else { s }
}

/// The completion script for `shell`.
pub fn completions(mut cli: Command, shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    let name = cli.get_name().to_string();
    clap_complete::generate(shell, &mut cli, name, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roff_escapes() {
        assert_eq!(escape("drift run --seed 7"), "drift run \\-\\-seed 7");
        assert_eq!(escape(".hidden"), "\\&.hidden");
        assert_eq!(escape("a\\b"), "a\\eb");
    }
}
