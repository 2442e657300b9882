//! `drift man`: the manual pages.

use super::*;

pub(super) fn run(command: Option<&str>, out: Option<&Path>, signals: &Signals) -> Result<(), Error> {
    let cli = <Cli as clap::CommandFactory>::command();
    let failed = |e: std::io::Error| Error::Usage(format!("cannot render the manual: {e}"));
    if let Some(dir) = out {
        crate::files::check_out(dir)?;
        let pages = crate::manual::pages(cli).map_err(failed)?;
        let written = crate::files::write_into(dir, &pages, signals)?;
        status(&format!(
            "Wrote {} manual pages to {}/\nRead one with: man -l {}\n",
            written.len(),
            dir.display(),
            dir.join("drift.1").display()
        ));
        return Ok(());
    }
    let commands: Vec<String> = cli.get_subcommands().map(|c| c.get_name().to_string()).filter(|n| n != "help").collect();
    match crate::manual::one(cli, command).map_err(failed)? {
        Some((_, roff)) => print_bytes(&roff),
        None => Err(Error::Usage(format!(
            "drift has no command `{}`: give one of {}, or nothing for drift(1)",
            command.unwrap_or_default(),
            commands.join(", ")
        ))),
    }
}
