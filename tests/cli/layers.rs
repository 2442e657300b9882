//! The module flow, checked: data flows one way, `scenario → simulate → metrics → aggregate →
//! chart / output`, and no module imports one above it. `LAYERS` is the order (lowest first,
//! as docs/ARCHITECTURE.md draws it); a module may use only modules listed before it. Test code
//! (`#[cfg(test)]` items) may reach anything, as tests are leaves.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every top-level module of the library, lowest first.
const LAYERS: &[&str] = &[
    // leaves: text, numbers, tables, statistics, signals
    "hash",
    "text",
    "read",
    "interrupt",
    "format",
    "fit",
    "table",
    "stats",
    "wordnet",
    "analysis",
    "lexicon",
    "grammar",
    // the simulation's parts, then the scenario that names them
    "operators",
    "presets",
    "metrics",
    "scenario",
    "source",
    "templates",
    // runs
    "simulate",
    "scoring",
    "montecarlo",
    "aggregate",
    "compare",
    "sweep",
    "pairs",
    "score",
    "calibrate",
    // what is shown and written
    "chart",
    "output",
    "error",
    "files",
    "play",
    "room",
    "manual",
    "cli",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/chart/blame.rs` → `chart`), or `None` for the
/// crate root and the binary.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
    (name != "lib" && name != "main").then_some(name)
}

/// The file's code without comment lines and without `#[cfg(test)]` items; the files that
/// such items declare as modules (`#[cfg(test)] mod check;`) are added to `test_only`.
fn code_outside_tests(file: &Path, text: &str, test_only: &mut BTreeSet<PathBuf>) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "#[cfg(test)]" {
            out.push_str(lines[i]);
            out.push('\n');
            i += 1;
            continue;
        }
        i += 1;
        while i < lines.len() && lines[i].trim_start().starts_with("#[") {
            i += 1;
        }
        let Some(item) = lines.get(i) else { break };
        if item.trim_end().ends_with(';') {
            if let Some(name) = item.trim().strip_prefix("mod ").and_then(|m| m.strip_suffix(';')) {
                let dir = if file.ends_with("mod.rs") { file.parent().unwrap().to_path_buf() } else { file.with_extension("") };
                test_only.insert(dir.join(format!("{name}.rs")));
                test_only.insert(dir.join(name).join("mod.rs"));
            }
            i += 1;
            continue;
        }
        let mut depth = 0i32;
        let mut opened = false;
        while i < lines.len() {
            for c in lines[i].chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            i += 1;
            if opened && depth <= 0 {
                break;
            }
        }
    }
    out
}

/// The top-level modules `code` names through `crate::`, single (`crate::text::Key`) or
/// grouped (`use crate::{text, lexicon::Lexicon}`).
fn used_modules(code: &str) -> BTreeSet<String> {
    let ident = |s: &str| s.trim_start().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
    let mut used = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut start = 0;
            for (k, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 1 => {
                        used.insert(ident(&group[start..k]));
                        start = k + 1;
                    }
                    _ => {}
                }
                if depth == 0 {
                    used.insert(ident(&group[start..k]));
                    break;
                }
            }
        } else {
            used.insert(ident(rest));
        }
    }
    used.remove("");
    used
}

#[test]
fn no_module_imports_one_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut test_only = BTreeSet::new();
    let mut code: Vec<(PathBuf, String, String)> = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else { continue };
        let text = std::fs::read_to_string(file).expect("a source file");
        code.push((file.clone(), module, code_outside_tests(file, &text, &mut test_only)));
    }
    let mut problems = Vec::new();
    let mut modules = BTreeSet::new();
    for (file, module, code) in &code {
        modules.insert(module.clone());
        if test_only.contains(file) {
            continue;
        }
        let Some(level) = LAYERS.iter().position(|l| l == module) else { continue };
        for used in used_modules(code) {
            match LAYERS.iter().position(|l| *l == used) {
                Some(k) if k < level || used == *module => {}
                Some(_) => problems.push(format!("{}: `{module}` imports `{used}`, which is above it", file.display())),
                None => problems.push(format!("{}: `{used}` is not in LAYERS", file.display())),
            }
        }
    }
    for module in &modules {
        if !LAYERS.contains(&module.as_str()) {
            problems.push(format!("module `{module}` is not in LAYERS: place it in the flow"));
        }
    }
    assert!(problems.is_empty(), "the module flow is broken:\n{}", problems.join("\n"));
}

#[test]
fn the_checker_sees_grouped_imports_and_skips_tests() {
    let used = used_modules("use crate::{text::Key, lexicon::{Lexicon, WordSet}};\nlet x = crate::stats::Band::default();");
    assert_eq!(used.into_iter().collect::<Vec<_>>(), ["lexicon", "stats", "text"]);
    let mut test_only = BTreeSet::new();
    let code = code_outside_tests(
        Path::new("src/grammar/mod.rs"),
        "use crate::text;\n#[cfg(test)]\nmod check;\n#[cfg(test)]\nmod tests {\n    use crate::cli;\n}\n",
        &mut test_only,
    );
    assert_eq!(used_modules(&code).into_iter().collect::<Vec<_>>(), ["text"]);
    assert!(test_only.contains(Path::new("src/grammar/check.rs")));
}
