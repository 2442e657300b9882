//! Charts: every kind in every format, the requested size, not blank, editable SVG text,
//! byte-identical across runs.

use std::path::Path;

use super::{drift, files_below};

/// The chart kinds `drift run` draws, from the library's own list.
fn kinds() -> Vec<&'static str> {
    drift::chart::ChartKind::ALL.iter().map(|k| k.name()).collect()
}

/// (width, height, pixels differing from the top-left background pixel)
fn decode_png(path: &Path) -> (u32, u32, usize, [u8; 3]) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let pixels = &buf[..info.buffer_size()];
    let bg = [pixels[0], pixels[1], pixels[2]];
    let ink = pixels.chunks(3).filter(|p| *p != bg).count();
    (info.width, info.height, ink, bg)
}

fn run(args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf, String) {
    let out = tempfile::tempdir().unwrap();
    let a = drift()
        .args(["run", "scenarios/workshop-demo.yaml", "--runs", "40", "--quiet", "--out"])
        .arg(out.path())
        .args(args)
        .assert()
        .success();
    let dir = std::fs::read_dir(out.path()).unwrap().next().unwrap().unwrap().path();
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    (out, dir, stderr)
}

#[test]
fn every_chart_in_both_formats_at_slide_size() {
    let (_out, dir, stderr) = run(&[]);
    assert_eq!(stderr, "", "no warnings for an English scenario");
    for kind in kinds() {
        let (w, h, ink, _) = decode_png(&dir.join(format!("{kind}.png")));
        assert_eq!((w, h), (1600, 900), "{kind}");
        assert!(ink > (w * h / 50) as usize, "{kind}.png looks blank: {ink} pixels of ink");
        let svg = std::fs::read_to_string(dir.join(format!("{kind}.svg"))).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("width=\"1600\"") && svg.contains("height=\"900\""), "{kind}.svg");
        assert!(svg.contains("<text"), "{kind}.svg has no text elements");
        assert!(svg.contains("The bakery that became a lifestyle platform"), "{kind}.svg lacks the scenario's name");
        for role in ["Web agency", "Brand consultant", "Growth hacker", "Investor"] {
            if kind != "final" {
                assert!(svg.contains(role), "{kind}.svg lacks the role {role}");
            }
        }
    }
    let svg = std::fs::read_to_string(dir.join("drift.svg")).unwrap();
    assert!(svg.contains("Sam, owner of a two-person neighbourhood bakery"), "the subtitle names who said it");
}

/// Issue 17: a PNG says how large it is meant to be (pHYs), so a chart dropped into slide
/// software fills a widescreen slide's width (13.333 in) at any --size.
#[test]
fn pngs_carry_a_slide_sized_density() {
    for (size, width) in [("1600x900", 1600.0), ("800x450", 800.0)] {
        let (_o, dir, _) = run(&["--size", size, "--charts", "png"]);
        for kind in kinds() {
            let path = dir.join(format!("{kind}.png"));
            let reader = png::Decoder::new(std::fs::File::open(&path).unwrap()).read_info().unwrap();
            let dims = reader.info().pixel_dims.unwrap_or_else(|| panic!("{kind}.png at {size} has no pixel density"));
            assert_eq!(dims.unit, png::Unit::Meter);
            assert_eq!(dims.xppu, dims.yppu, "{kind}.png: square pixels");
            let inches = width / (f64::from(dims.xppu) * 0.0254);
            assert!((inches - 13.333).abs() < 0.01, "{kind}.png at {size} is {inches:.3} in wide");
        }
    }
}

#[test]
fn charts_are_byte_identical_run_to_run() {
    let (_a, dir_a, _) = run(&[]);
    let (_b, dir_b, _) = run(&[]);
    for f in files_below(&dir_a) {
        assert_eq!(std::fs::read(dir_a.join(&f)).unwrap(), std::fs::read(dir_b.join(&f)).unwrap(), "{f} differs");
    }
}

#[test]
fn size_theme_and_format_options() {
    let (_o, dir, _) = run(&["--size", "800x450", "--theme", "dark", "--charts", "png"]);
    let names = files_below(&dir);
    assert!(names.iter().all(|n| !n.ends_with(".svg")), "{names:?}");
    let (w, h, _, bg) = decode_png(&dir.join("drift.png"));
    assert_eq!((w, h), (800, 450));
    assert!(bg.iter().all(|&c| c < 60), "dark theme background {bg:?}");
    let (_o, dir, _) = run(&["--no-charts"]);
    assert_eq!(files_below(&dir), ["hops.csv", "report.html", "summary.json", "trace.md"]);
    drift().args(["run", "scenarios/workshop-demo.yaml", "--size", "12x5"]).assert().code(2);
    drift().args(["run", "scenarios/workshop-demo.yaml", "--charts", "gif"]).assert().code(2);
}

#[test]
fn characters_the_font_lacks_are_reported_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("tokyo.yaml");
    std::fs::write(
        &scenario,
        "version: 1\nname: 東京 launch 🚀\ncustomer:\n  who: 佐藤さん\n  said: We keep losing our best adjusters to paperwork.\nchain:\n  - role: 広報\n    preset: cmo\n  - role: CMO\n    preset: approve\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let a = drift().arg("run").arg(&scenario).args(["--runs", "10", "--quiet", "--out"]).arg(&out).assert().success();
    let stderr = String::from_utf8_lossy(&a.get_output().stderr);
    assert!(stderr.contains("warning:") && stderr.contains("東京 launch 🚀") && stderr.contains("□"), "{stderr}");
    // the folder name transliterates the title ("東京" → dong-jing, 🚀 → rocket)
    let chart_dir = out.join("dong-jing-launch-rocket");
    let svg = std::fs::read_to_string(chart_dir.join("drift.svg")).unwrap();
    assert!(svg.contains("東京 launch 🚀") && svg.contains("広報"), "the SVG keeps every character");
    let (w, h, ink, _) = decode_png(&chart_dir.join("drift.png"));
    assert!(w == 1600 && h == 900 && ink > 0);
}

#[test]
fn title_and_subtitle_for_a_talk() {
    let (_out, dir, _) = run(&["--title", "Our approval chain <Q3>", "--subtitle", "Acme offsite & friends", "--charts", "svg"]);
    let opening = std::fs::read_to_string(dir.join("drift.svg")).unwrap();
    assert!(opening.contains("Our approval chain &lt;Q3&gt;"), "the title, escaped");
    assert!(opening.contains("Acme offsite &amp; friends"), "the subtitle, escaped");
    // the other charts name the scenario by the given title
    let blame = std::fs::read_to_string(dir.join("blame.svg")).unwrap();
    assert!(blame.contains("Our approval chain &lt;Q3&gt;"));
    // a title is one line
    let out = tempfile::tempdir().unwrap();
    let a = drift()
        .args(["run", "scenarios/workshop-demo.yaml", "--runs", "4", "--title", "two\nlines", "--out"])
        .arg(out.path())
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("one line"));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn trace_md_shows_the_charts_written() {
    let (_out, dir, _) = run(&[]);
    let md = std::fs::read_to_string(dir.join("trace.md")).unwrap();
    for kind in kinds() {
        assert!(md.contains(&format!("]({kind}.png)")), "{kind}.png linked");
        assert!(dir.join(format!("{kind}.png")).exists());
    }
    let (_out, dir, _) = run(&["--charts", "svg"]);
    let md = std::fs::read_to_string(dir.join("trace.md")).unwrap();
    assert!(md.contains("](drift.svg)") && !md.contains(".png)"), "only what was written is linked");
    let (_out, dir, _) = run(&["--no-charts"]);
    let md = std::fs::read_to_string(dir.join("trace.md")).unwrap();
    assert!(!md.contains("## Charts"), "no charts, no links");
}
