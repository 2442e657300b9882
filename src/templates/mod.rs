//! Starter scenarios for `drift new`: commented YAML that teaches the format by example.
//!
//! Each template is a complete, valid scenario (a test runs every one through `validate` and
//! `run`) whose comments explain every field, so that a first scenario starts from something
//! that works rather than from an empty file and the README. `{{file}}` in a template's
//! comments becomes the name the file is written under, so the commands it suggests can be
//! pasted as they are.

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
        format!("{SCHEMA_LINE}\n{}", self.text.replace("{{file}}", &shell_word(file)))
    }
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

    /// The basic template is the format's reference card: when an operator, preset or metric
    /// is added, it must be explained there.
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
