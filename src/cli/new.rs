//! `drift new`: a commented starter scenario from a template.

use super::*;

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// Where to write the scenario; - prints it on stdout.
    #[arg(default_value = "scenario.yaml", value_name = "FILE")]
    pub file: PathBuf,
    /// Which starter scenario (see --list).
    #[arg(long, short, default_value = "basic", value_name = "NAME", value_parser = template_names())]
    pub template: String,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
    /// List the templates and exit.
    #[arg(long, conflicts_with_all = ["template", "force"])]
    pub list: bool,
}

/// The template names, with their summaries for `--help` and shell completion.
fn template_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        crate::templates::TEMPLATES.iter().map(|t| clap::builder::PossibleValue::new(t.name).help(t.summary)),
    )
}

pub(super) fn run(args: &NewArgs, signals: &Signals) -> Result<(), Error> {
    use crate::templates::{TEMPLATES, find};
    if args.list {
        let width = TEMPLATES.iter().map(|t| t.name.len()).max().unwrap_or(0);
        let list: String = TEMPLATES.iter().map(|t| format!("{:<width$}  {}\n", t.name, t.summary)).collect();
        return print(&list);
    }
    let template = find(&args.template).ok_or_else(|| Error::Usage(format!("no template called {}", args.template)))?;
    if args.file.as_os_str() == "-" {
        return print(&template.render("scenario.yaml"));
    }
    let path = &args.file;
    if path.is_dir() {
        return Err(Error::Usage(format!(
            "{} is a folder: name the file to write in it, e.g. drift new {}",
            path.display(),
            crate::templates::shell_word(&path.join("my-scenario.yaml").display().to_string())
        )));
    }
    let text = template.render(&path.display().to_string());
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            action: "create the folder",
            path: dir.to_path_buf(),
            source,
            help: "check the path, or write the scenario somewhere else",
        })?;
    }
    // an existing file is kept unless --force; the new one appears whole or not at all
    crate::files::write_file(path, text.as_bytes(), args.force, signals)?;
    let shown = crate::templates::shell_word(&path.display().to_string());
    status(&format!(
        "Wrote {shown}: {} ({} template).\nNext: put your customer's words and your chain in it, then\n  drift validate {shown}\n  drift run {shown}\n",
        template.summary, template.name
    ));
    Ok(())
}
