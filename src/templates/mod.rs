//! Starter scenarios for `drift new`: commented YAML that teaches the format by example.
//!
//! Each template is a complete, valid scenario (a test runs every one through `validate` and
//! `run`) whose comments explain every field, so that a first scenario starts from something
//! that works rather than from an empty file and the README. `{{file}}` in a template's
//! comments becomes the name the file is written under, so the commands it suggests can be
//! pasted as they are; `{{metrics}}` and `{{operators}}` become the reference card of every
//! metric and operator, taken from their registries.

/// A starter scenario.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    /// What `--template` takes.
    pub name: &'static str,
    /// One line for `--list` and `--help`.
    pub summary: &'static str,
    text: &'static str,
}

/// The first line of every scenario `drift new` writes.
pub const SCHEMA_LINE: &str = concat!("# yaml-language-server: $schema=", "drift.schema.json");

/// Every template; the first is the default.
pub const TEMPLATES: &[Template] = &[
    Template { name: "basic", summary: "a four-hop chain with every field of the format explained", text: include_str!("basic.yaml") },
    Template {
        name: "approval-chain",
        summary: "a CMO's approval chain: which hop costs the most, and what a shorter chain buys",
        text: include_str!("approval-chain.yaml"),
    },
    Template {
        name: "workshop",
        summary: "five loud hops for a room, to step through on a projector",
        text: include_str!("workshop.yaml"),
    },
    Template {
        name: "checkin",
        summary: "a chain with a customer check-in hop, and how to measure what it buys",
        text: include_str!("checkin.yaml"),
    },
];

/// The template called `name`.
pub fn find(name: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.name == name)
}

impl Template {
    /// The scenario text, its comments naming `file` where they suggest a command. Its first
    /// line points editors that use yaml-language-server (VS Code's YAML extension, among
    /// others) at the scenario schema, saved beside it by `drift schema > drift.schema.json`:
    /// they then complete names and mark mistakes as they are typed.
    pub fn render(&self, file: &str) -> String {
        // a line break in the name would end the comment and break the YAML
        let file = if file.chars().any(char::is_control) { "scenario.yaml" } else { file };
        let text = self
            .text
            .replace("{{file}}", &shell_word(file))
            .replace("{{metrics}}", &metric_card())
            .replace("{{operators}}", &operator_card());
        format!("{SCHEMA_LINE}\n{text}")
    }
}

/// The width of a template's comment lines.
const CARD_WIDTH: usize = 94;

/// `#   name  summary` lines, the summary wrapped under itself: the reference card of a list
/// taken from the code's own registry, so a template never lacks a new metric or operator.
fn card(entries: impl Iterator<Item = (String, String)>) -> String {
    let entries: Vec<(String, String)> = entries.collect();
    let name_width = entries.iter().map(|(n, _)| n.chars().count()).max().unwrap_or(0) + 2;
    let indent = format!("#   {}", " ".repeat(name_width));
    let mut out = Vec::new();
    for (name, text) in &entries {
        let mut line = format!("#   {name:<name_width$}");
        let mut first = true;
        for word in text.split_whitespace() {
            if !first && line.chars().count() + 1 + word.chars().count() > CARD_WIDTH {
                out.push(line);
                line = indent.clone();
                first = true;
            }
            if !first {
                line.push(' ');
            }
            line.push_str(word);
            first = false;
        }
        out.push(line);
    }
    out.join("\n")
}

/// Every metric, from [`Metric::ALL`].
fn metric_card() -> String {
    card(crate::metrics::Metric::ALL.iter().map(|m| (m.name().to_string(), m.summary().to_string())))
}

/// Every operator, from [`OperatorKind::ALL`], with the long form of those that take more than
/// a rate.
fn operator_card() -> String {
    use crate::operators::{OperatorKind, Param};
    card(OperatorKind::ALL.iter().map(|k| {
        let mut fields = vec!["rate: 0.2".to_string()];
        fields.extend(k.number_params().iter().map(|p| format!("{}: {}", p.name(), if *p == Param::Capacity { "20" } else { "0.2" })));
        fields.extend(k.text_param().map(|t| format!("{t}: your words here")));
        let long = if fields.len() > 1 { format!(" · long form: {}: {{ {} }}", k.name(), fields.join(", ")) } else { String::new() };
        (k.name().to_string(), format!("{}{long}", k.summary()))
    }))
}

/// `s` as one word for a POSIX shell: as it is when that is safe, in single quotes otherwise,
/// so a suggested command can be pasted even for "Q3 launch.yaml".
pub fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "._/-+,:=@%".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Metric;
    use crate::operators::OperatorKind;
    use crate::scenario::Scenario;

    #[test]
    fn every_template_is_a_valid_scenario() {
        for t in TEMPLATES {
            let text = t.render("my-scenario.yaml");
            let s = Scenario::parse(t.name, &text).unwrap_or_else(|e| panic!("template {} is invalid:\n{e}", t.name));
            assert!(!s.chain.is_empty());
            assert!(!text.contains("{{"), "{}: a placeholder is left", t.name);
            assert!(text.contains("my-scenario.yaml"), "{}: suggests no command for the file", t.name);
            assert!(Scenario::parse(t.name, &t.render("odd\nname: 'x.yaml")).is_ok(), "{}: a file name broke the YAML", t.name);
            let comments = text.lines().filter(|l| l.trim_start().starts_with('#')).count();
            assert!(comments >= 10, "{}: only {comments} comment lines: a template teaches the format", t.name);
        }
    }

    /// The basic template is the format's reference card: its operators and metrics come from
    /// the registries (a new one appears without an edit), its presets are named by hand.
    #[test]
    fn the_basic_template_names_every_operator_preset_and_metric() {
        let text = find("basic").unwrap().render("x.yaml");
        let comments: String = text.lines().filter_map(|l| l.split_once('#').map(|(_, c)| c)).collect::<Vec<_>>().join("\n");
        for op in OperatorKind::ALL {
            assert!(comments.contains(&format!("  {}", op.name())), "basic.yaml does not explain operator {}", op.name());
        }
        for p in crate::presets::PRESETS {
            assert!(comments.contains(p.name), "basic.yaml does not name preset {}", p.name);
        }
        for m in Metric::ALL {
            assert!(comments.contains(&format!("  {}", m.name())), "basic.yaml does not explain metric {}", m.name());
        }
    }

    #[test]
    fn file_names_are_quoted_for_the_shell_where_needed() {
        assert_eq!(shell_word("out/q3-launch.yaml"), "out/q3-launch.yaml");
        assert_eq!(shell_word("Q3 launch.yaml"), "'Q3 launch.yaml'");
        assert_eq!(shell_word("Dana's.yaml"), "'Dana'\\''s.yaml'");
    }

    #[test]
    fn names_are_unique_and_the_first_is_basic() {
        assert_eq!(TEMPLATES[0].name, "basic");
        let mut names: Vec<&str> = TEMPLATES.iter().map(|t| t.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), TEMPLATES.len());
        assert!(find("workshop").is_some() && find("nope").is_none());
    }
}
