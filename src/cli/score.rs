//! `drift score`: real copy held against the customer's words.

use super::*;

pub(super) const EXAMPLES: &str = "\
Examples:
  drift score --customer \"We keep losing adjusters to paperwork\" \"Our platform ends admin overhead\"
  drift score --scenario scenarios/marketing-long-distance.yaml \\
      --headline \"Get your adjusters back in the field\" --body @copy/body.txt --cta \"See how\"
  drift score --customer @interview.txt --message \"Ad A=@ad-a.txt\" --message \"Ad B=@ad-b.txt\"
  pbpaste | drift score --customer @interview.txt -";

/// Where the customer's words come from, and the messages to hold against them. Every text
/// is typed in, `@FILE`, or `-` for standard input.
#[derive(Debug, clap::Args)]
#[command(
    override_usage = "drift score [OPTIONS] <--customer <TEXT>|--scenario <FILE>> <--headline <TEXT>|--body <TEXT>|--cta <TEXT>|--message <LABEL=TEXT>|MESSAGE>...\n       drift score --pairs <FILE> [--format <csv|json>]"
)]
#[command(group(clap::ArgGroup::new("customer_words").required(true).args(["customer", "scenario", "pairs"])))]
#[command(group(clap::ArgGroup::new("messages_to_score").required(true).multiple(true).args(["headline", "body", "cta", "message", "messages", "pairs"])))]
pub struct ScoreArgs {
    /// The customer's own words: the text, @FILE, or - for standard input.
    #[arg(long, value_name = "TEXT")]
    pub customer: Option<String>,
    /// Take the customer's words, three P's and lexicon from this scenario instead (- reads it
    /// from standard input).
    #[arg(long, value_name = "FILE", conflicts_with = "customer")]
    pub scenario: Option<PathBuf>,
    /// The headline: the text, @FILE, or -.
    #[arg(long, value_name = "TEXT")]
    pub headline: Option<String>,
    /// The body copy: the text, @FILE, or -.
    #[arg(long, value_name = "TEXT")]
    pub body: Option<String>,
    /// The call to action: the text, @FILE, or -.
    #[arg(long, value_name = "TEXT")]
    pub cta: Option<String>,
    /// Any other message, with its label: --message "Subject line=Get your adjusters back";
    /// the text after `=` may be @FILE or -. Repeat for more.
    #[arg(long, value_name = "LABEL=TEXT")]
    pub message: Vec<String>,
    /// More messages: the text, @FILE (labelled with the file's name), or -.
    #[arg(value_name = "MESSAGE")]
    pub messages: Vec<String>,
    /// Score a whole table instead: a CSV or TSV file (comma, `;` or tab, found from the
    /// header) whose header names a `customer` and a `message` column. Prints the table with
    /// a column per metric added; every input column is kept, in order.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["headline", "body", "cta", "message", "messages"])]
    pub pairs: Option<PathBuf>,
    /// text (the default): a table and plain verdicts; json: the same, with the words behind
    /// each number. With --pairs: csv (the default) or json.
    #[arg(long, value_enum)]
    pub format: Option<ScoreOutput>,
}

impl ScoreArgs {
    /// (label, what errors call it, source) per message, in reading order: headline, body,
    /// call to action, then `--message` and the positional messages as given.
    fn messages(&self) -> Result<Vec<(String, String, Source)>, Error> {
        let mut out = Vec::new();
        for (label, option, value) in
            [("headline", "--headline", &self.headline), ("body", "--body", &self.body), ("call to action", "--cta", &self.cta)]
        {
            if let Some(v) = value {
                out.push((label.to_string(), option.to_string(), Source::parse(v)));
            }
        }
        for spec in &self.message {
            let Some((label, text)) = spec.split_once('=') else {
                return Err(Error::Usage(format!(
                    "--message {spec:?}: give a label and the text, LABEL=TEXT, e.g. --message \"Subject line=Get your adjusters back\"; or give the text on its own, without --message"
                )));
            };
            let label = label.trim();
            if label.is_empty() {
                return Err(Error::Usage(format!("--message {spec:?}: the label before `=` is empty")));
            }
            out.push((label.to_string(), format!("--message {label}"), Source::parse(text)));
        }
        let several = self.messages.len() > 1;
        for (i, m) in self.messages.iter().enumerate() {
            let source = Source::parse(m);
            let label = match &source {
                Source::File(path) => path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().to_string()),
                _ if several => format!("message {}", i + 1),
                _ => "message".to_string(),
            };
            out.push((label, if several { format!("message {}", i + 1) } else { "message".to_string() }, source));
        }
        Ok(out)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    Text,
    Json,
}

/// What `drift score` prints: the formats of [`ScoreFormat`], and csv for a table of pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreOutput {
    /// A table and plain verdicts (not with --pairs).
    Text,
    /// The same, with the words behind each number; with --pairs, the rows and their scores.
    Json,
    /// With --pairs (its default): the table with a column per metric added.
    Csv,
}

pub(super) fn run(args: &ScoreArgs) -> Result<(), Error> {
    if let Some(path) = &args.pairs {
        let pairs = crate::pairs::load(path)?;
        let scores = crate::pairs::score(&pairs, &Lexicon::built_in());
        return print(&match args.format.unwrap_or(ScoreOutput::Csv) {
            ScoreOutput::Csv => crate::output::score::pairs_csv(&pairs, &scores),
            ScoreOutput::Json => crate::output::score::pairs_json(&pairs, &scores),
            ScoreOutput::Text => return Err(Error::Usage("--pairs prints csv or json: give --format csv or --format json".into())),
        });
    }
    let format = match args.format.unwrap_or(ScoreOutput::Text) {
        ScoreOutput::Csv => return Err(Error::Usage("--format csv is for a table of pairs (--pairs FILE); give text or json".into())),
        format => format,
    };
    let messages = args.messages()?;
    let customer_source = args.customer.as_deref().map(Source::parse);
    let mut sources: Vec<(&str, &Source)> = messages.iter().map(|(_, what, source)| (what.as_str(), source)).collect();
    if let Some(c) = &customer_source {
        sources.insert(0, ("--customer", c));
    }
    let scenario_on_stdin = Source::Stdin;
    if args.scenario.as_deref().is_some_and(crate::scenario::diagnose::is_stdin) {
        sources.insert(0, ("--scenario", &scenario_on_stdin));
    }
    crate::source::check_one_stdin(sources).map_err(Error::Usage)?;
    let (customer, lexicon) = match (&customer_source, &args.scenario) {
        (_, Some(path)) => {
            let s = Scenario::load(path)?;
            let three_ps = s.customer.three_ps().into_iter().map(|(n, p)| (n, p.to_string())).collect();
            let customer = crate::score::Customer { who: s.customer.who.clone(), said: s.customer.told().to_string(), three_ps };
            (customer, Lexicon::with_extension(&s.lexicon))
        }
        (Some(source), None) => {
            let said = crate::source::read("--customer", source)?;
            (crate::score::Customer { who: None, said, three_ps: Vec::new() }, Lexicon::built_in())
        }
        (None, None) => return Err(Error::Usage("give the customer's words with --customer TEXT or --scenario FILE".into())),
    };
    let mut texts = Vec::new();
    for (label, what, source) in &messages {
        texts.push(crate::score::Message { label: label.clone(), text: crate::source::read(what, source)? });
    }
    let cards = crate::score::score(&customer, &texts, &lexicon);
    match format {
        ScoreOutput::Json => print(&crate::output::score::json(&customer, &cards, &crate::score::chance(&customer, &lexicon))),
        _ => print_fitted(&crate::output::score::text(&customer, &cards, &crate::score::chance(&customer, &lexicon), color_on())),
    }
}
