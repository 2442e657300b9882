//! The command line that reproduces a run, for the report to print.
//!
//! It names the seed and the runs explicitly (whatever the scenario's defaults) and every
//! option given that changes what is written; it leaves out what only changes how or where
//! (`--threads`, `--format`, `--quiet`, `--out`), so the report itself does not depend on
//! them and the command reproduces it byte for byte. The options are classified next to
//! their definitions so that a new one cannot be forgotten: a test fails until it is listed.

use clap::Parser;

use super::{ChartArgs, Cli, Command, RunArgs};

impl RunArgs {
    /// `drift run FILE --seed S --runs N`, then the options given that change the output.
    pub fn command_line(&self, seed: u64, runs: u64) -> String {
        let mut words = vec![
            "drift".to_string(),
            "run".to_string(),
            shell_word(&self.scenario.display().to_string()),
            "--seed".into(),
            seed.to_string(),
            "--runs".into(),
            runs.to_string(),
        ];
        if self.no_counterfactual {
            words.push("--no-counterfactual".into());
        }
        if self.compute.reference_metrics {
            words.push("--reference-metrics".into());
        }
        words.extend(self.charts.changed_options());
        for (flag, text) in [("--title", &self.title), ("--subtitle", &self.subtitle)] {
            if let Some(text) = text {
                words.extend([flag.to_string(), shell_word(text)]);
            }
        }
        words.join(" ")
    }
}

impl ChartArgs {
    /// The chart options that differ from the defaults, as arguments. The defaults come from
    /// the parser itself, so they cannot drift apart from it.
    fn changed_options(&self) -> Vec<String> {
        if self.no_charts {
            return vec!["--no-charts".into()];
        }
        let defaults = match Cli::try_parse_from(["drift", "run", "scenario.yaml"]) {
            Ok(Cli { command: Command::Run(args), .. }) => args.charts,
            _ => unreachable!("`drift run FILE` parses"),
        };
        let mut out = Vec::new();
        if self.size != defaults.size {
            out.extend(["--size".to_string(), format!("{}x{}", self.size.0, self.size.1)]);
        }
        if self.theme != defaults.theme {
            let theme = clap::ValueEnum::to_possible_value(&self.theme).map(|v| v.get_name().to_string()).unwrap_or_default();
            out.extend(["--theme".to_string(), theme]);
        }
        if self.formats() != defaults.formats() {
            let formats: Vec<&str> = self.formats().iter().map(|f| f.extension()).collect();
            out.extend(["--charts".to_string(), formats.join(",")]);
        }
        out
    }
}

/// `s` as one word for a POSIX shell: as it is when it is plain, single-quoted otherwise.
fn shell_word(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./:@%+=,".contains(c);
    if !s.is_empty() && s.chars().all(plain) { s.to_string() } else { format!("'{}'", s.replace('\'', r"'\''")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// `drift run` options that change what is written: the command line names them.
    const REPRODUCED: &[&str] = &[
        "scenario",
        "seed",
        "runs",
        "no_counterfactual",
        "reference_metrics",
        "size",
        "theme",
        "charts",
        "no_charts",
        "title",
        "subtitle",
    ];
    /// Options that change only how, where or what is printed: left out.
    const NOT_REPRODUCED: &[&str] = &["format", "out", "quiet", "threads"];

    fn parse(args: &[&str]) -> RunArgs {
        let argv = ["drift", "run"].iter().chain(args).copied();
        match Cli::try_parse_from(argv) {
            Ok(Cli { command: Command::Run(args), .. }) => args,
            other => panic!("{args:?} does not parse as drift run: {other:?}"),
        }
    }

    /// Splits a command line the way `shell_word` quotes it.
    fn unquote(line: &str) -> Vec<String> {
        let mut words = Vec::new();
        let mut word = String::new();
        let (mut quoted, mut started, mut escaped) = (false, false, false);
        for c in line.chars() {
            match c {
                c if escaped => {
                    word.push(c);
                    escaped = false;
                }
                '\'' => {
                    quoted = !quoted;
                    started = true;
                }
                ' ' if !quoted => {
                    if started {
                        words.push(std::mem::take(&mut word));
                    }
                    started = false;
                }
                '\\' if !quoted => {
                    escaped = true;
                    started = true;
                }
                c => {
                    word.push(c);
                    started = true;
                }
            }
        }
        if started {
            words.push(word);
        }
        words
    }

    #[test]
    fn every_run_option_is_classified() {
        let cli = Cli::command();
        let run = cli.find_subcommand("run").expect("a run command");
        for arg in run.get_arguments() {
            let id = arg.get_id().as_str();
            assert!(
                REPRODUCED.contains(&id) || NOT_REPRODUCED.contains(&id) || id == "help",
                "`drift run` has a new option `{id}`: add it to RunArgs::command_line if it changes what is written, and to REPRODUCED or NOT_REPRODUCED here"
            );
        }
    }

    #[test]
    fn names_seed_and_runs_and_only_options_that_change_the_output() {
        let args = parse(&["scenarios/a.yaml", "--threads", "2", "--format", "json", "--quiet", "--out", "/tmp/x"]);
        assert_eq!(args.command_line(7, 2000), "drift run scenarios/a.yaml --seed 7 --runs 2000");
        let args = parse(&["my scenario's.yaml", "--no-counterfactual", "--reference-metrics", "--size", "800x450", "--theme", "dark"]);
        assert_eq!(
            args.command_line(1, 5),
            r"drift run 'my scenario'\''s.yaml' --seed 1 --runs 5 --no-counterfactual --reference-metrics --size 800x450 --theme dark"
        );
        assert_eq!(parse(&["a.yaml", "--charts", "svg,png,svg"]).command_line(1, 1), "drift run a.yaml --seed 1 --runs 1");
        assert_eq!(parse(&["a.yaml", "--charts", "png"]).command_line(1, 1), "drift run a.yaml --seed 1 --runs 1 --charts png");
        assert_eq!(parse(&["a.yaml", "--no-charts"]).command_line(1, 1), "drift run a.yaml --seed 1 --runs 1 --no-charts");
    }

    #[test]
    fn the_command_line_parses_back_to_the_same_run() {
        for given in [
            &["scenarios/a.yaml"][..],
            &["dir with space/b.yaml", "--seed", "3", "--no-charts", "--threads", "1"],
            &["c.yaml", "--runs", "10", "--size", "1920x1080", "--charts", "svg", "--no-counterfactual"],
            &["it's.yaml", "--theme", "dark", "--reference-metrics"],
            &["d.yaml", "--title", "Our chain's cost", "--subtitle", "Offsite, 3 March"],
        ] {
            let args = parse(given);
            let line = args.command_line(args.batch.seed.unwrap_or(9), args.batch.runs.unwrap_or(99));
            let words = unquote(&line);
            assert_eq!(&words[..2], ["drift", "run"], "{line}");
            let again = parse(&words[2..].iter().map(String::as_str).collect::<Vec<_>>());
            assert_eq!(again.scenario, args.scenario, "{line}");
            assert_eq!(again.no_counterfactual, args.no_counterfactual);
            assert_eq!(again.compute.reference_metrics, args.compute.reference_metrics);
            assert_eq!((&again.title, &again.subtitle), (&args.title, &args.subtitle));
            assert_eq!(
                (again.charts.formats(), again.charts.size, again.charts.theme),
                (args.charts.formats(), args.charts.size, args.charts.theme)
            );
            assert_eq!(again.command_line(again.batch.seed.unwrap(), again.batch.runs.unwrap()), line, "a fixed point");
        }
    }
}
