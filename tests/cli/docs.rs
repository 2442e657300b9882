//! Shell completions and manual pages: generated from the command line, checked against it.

use std::io::Write;
use std::process::{Command, Stdio};

use super::drift;

/// Every command, as `drift --help` lists them.
fn commands() -> Vec<String> {
    let a = drift().arg("--help").assert().success();
    let help = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    let list = help.split("Commands:\n").nth(1).unwrap().split("\n\n").next().unwrap();
    let names: Vec<String> =
        list.lines().filter_map(|l| l.split_whitespace().next()).filter(|n| *n != "help").map(str::to_string).collect();
    assert!(names.len() >= 9 && names.contains(&"completions".to_string()) && names.contains(&"man".to_string()), "{names:?}");
    names
}

#[test]
fn completions_for_every_shell_know_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let a = drift().args(["completions", shell]).assert().success();
        let script = String::from_utf8_lossy(&a.get_output().stdout).to_string();
        for command in commands() {
            assert!(script.contains(&command), "{shell}: no {command}");
        }
        // clap_complete offers values only in these three (powershell and elvish: options)
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(script.contains("approval-chain"), "{shell}: the template names are not completed");
        }
        assert!(a.get_output().stderr.is_empty());
    }
    drift().args(["completions", "tcsh"]).assert().code(2);
}

/// Asks bash's completion function what it offers after `words`, as bash does on Tab.
fn bash_completes(script: &[u8], words: &[&str]) -> Vec<String> {
    let array = words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" ");
    let cword = words.len() - 1;
    let program = format!(
        "source /dev/stdin; COMP_WORDS=({array}); COMP_CWORD={cword}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; \
         _drift drift '{cur}' '{prev}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        line = words.join(" "),
        cur = words[cword],
        prev = words[cword - 1],
    );
    let mut child = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash runs");
    child.stdin.take().unwrap().write_all(script).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "bash: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

#[test]
fn bash_completion_completes_commands_options_and_templates() {
    let a = drift().args(["completions", "bash"]).assert().success();
    let script = a.get_output().stdout.clone();
    assert_eq!(bash_completes(&script, &["drift", "ne"]), ["new"]);
    let all = bash_completes(&script, &["drift", ""]);
    for command in commands() {
        assert!(all.contains(&command), "Tab after `drift ` does not offer {command}: {all:?}");
    }
    assert_eq!(bash_completes(&script, &["drift", "new", "--template", "app"]), ["approval-chain"]);
    assert!(bash_completes(&script, &["drift", "score", "--he"]).contains(&"--headline".to_string()));
    assert_eq!(bash_completes(&script, &["drift", "completions", "po"]), ["powershell"]);
}

#[test]
fn the_manual_page_renders_every_command() {
    let a = drift().arg("man").assert().success();
    let roff = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(roff.contains(".TH drift 1"), "no .TH:\n{roff}");
    for section in
        [".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH SUBCOMMANDS", ".SH EXAMPLES", ".SH \"EXIT STATUS\"", ".SH ENVIRONMENT"]
    {
        assert!(roff.contains(section), "no {section}");
    }
    for command in commands() {
        assert!(roff.contains(&format!("drift\\-{command}")), "drift(1) does not list {command}");
    }
    assert!(roff.contains("NO_COLOR") && roff.contains("CLICOLOR_FORCE"));
    // a command's own page
    let a = drift().args(["man", "score"]).assert().success();
    let page = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(page.contains(".TH drift\\-score 1") || page.contains(".TH drift-score 1"), "{page}");
    assert!(page.contains("\\-\\-headline"), "score's options are missing");
    let a = drift().args(["man", "frobnicate"]).assert().code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("give one of run, score"));
}

#[test]
fn man_out_writes_a_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let a = drift().args(["man", "--out"]).arg(&out).assert().success();
    let mut expected: Vec<String> = commands().iter().map(|c| format!("drift-{c}.1")).collect();
    expected.push("drift.1".to_string());
    expected.sort();
    assert_eq!(super::files_below(&out), expected);
    // the status line goes to stderr, stdout stays empty
    assert!(String::from_utf8_lossy(&a.get_output().stderr).starts_with(&format!("Wrote {} manual pages", expected.len())));
    assert!(a.get_output().stdout.is_empty());
    for file in &expected {
        let roff = std::fs::read_to_string(out.join(file)).unwrap();
        let name = file.trim_end_matches(".1");
        assert!(roff.contains(&format!(".TH {name} 1")) || roff.contains(&format!(".TH {} 1", name.replace('-', "\\-"))), "{file}");
        assert!(roff.contains(".SH SYNOPSIS") && roff.contains(".SH \"SEE ALSO\""), "{file}");
    }
}

#[test]
fn completions_and_man_help() {
    let a = drift().args(["completions", "--help"]).assert().success();
    insta::assert_snapshot!("help_completions", String::from_utf8_lossy(&a.get_output().stdout));
    let a = drift().args(["man", "--help"]).assert().success();
    insta::assert_snapshot!("help_man", String::from_utf8_lossy(&a.get_output().stdout));
}
