//! `cargo bench`: runs per second on the 11-hop benchmark scenario, and the cost of each
//! metric on a message pair of the size the chain produces (~110 × ~140 characters).
//!
//! Divan prints the fastest, slowest, median and mean of its samples; the README quotes the
//! medians. Memory at a million runs is measured on the binary by benches/memory.sh.

use std::path::Path;
use std::sync::LazyLock;

use divan::Bencher;
use drift::aggregate::{RunSettings, analyse};
use drift::chart::{ChartData, ImageFormat, Theme, ThemeName, render_all};
use drift::interrupt::Cancel;
use drift::lexicon::Lexicon;
use drift::metrics::{Engine, Metric, Prepared};
use drift::montecarlo::Control;
use drift::montecarlo::Plan;
use drift::scenario::Scenario;

/// The allocator the `drift` binary uses (src/main.rs), so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

static SCENARIO: LazyLock<Scenario> =
    LazyLock::new(|| Scenario::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/bench-11-hops.yaml")).expect("bench scenario"));
static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::with_extension(&SCENARIO.lexicon));

fn settings(runs: u64, counterfactual: bool) -> RunSettings {
    RunSettings { plan: Plan { seed: SCENARIO.seed, runs, engine: Engine::Fast }, counterfactual }
}

/// 10,000 runs with the default metrics against the customer and the previous hop, then the
/// five charts as PNG and SVG: what `drift run --no-counterfactual` does.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn run_10k_runs_with_charts() {
    let a = analyse(&SCENARIO, &LEXICON, settings(10_000, false), Control::new(&|_| {}, &Cancel::new())).expect("not interrupted");
    let theme = Theme::new(ThemeName::Light, (1600, 900));
    divan::black_box(
        render_all(&ChartData::new(&SCENARIO, &a), &theme, &[ImageFormat::Png, ImageFormat::Svg], &Cancel::new()).expect("charts"),
    );
}

/// The same without the charts: the simulation and metrics alone.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn run_10k_runs() {
    divan::black_box(
        analyse(&SCENARIO, &LEXICON, settings(10_000, false), Control::new(&|_| {}, &Cancel::new())).expect("not interrupted"),
    );
}

/// 1,000 runs with the counterfactual blame (each hop re-run as a pass-through).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn run_1k_runs_with_counterfactual() {
    divan::black_box(analyse(&SCENARIO, &LEXICON, settings(1_000, true), Control::new(&|_| {}, &Cancel::new())).expect("not interrupted"));
}

/// A message pair of the size the chain produces.
static PAIR: LazyLock<(Prepared, Prepared)> = LazyLock::new(|| {
    let customer = "We keep losing our best adjusters to paperwork. They spend hours every week typing claims into three systems.";
    let message =
        "Think bigger: AI-powered innovation. Mid-size companies keep haemorrhaging top claims talent to workflow friction, not the field.";
    (Prepared::new(customer, &LEXICON), Prepared::new(message, &LEXICON))
});

const METRICS: &[Metric] = Metric::ALL;

/// Each metric on one ~110 × ~140 character pair, the fast engine.
#[divan::bench(args = METRICS)]
fn metric_fast(bencher: Bencher, metric: Metric) {
    let (a, b) = &*PAIR;
    bencher.bench(|| Engine::Fast.score(divan::black_box(metric), a, b));
}

/// Each metric on the same pair, the strsim reference.
#[divan::bench(args = METRICS)]
fn metric_reference(bencher: Bencher, metric: Metric) {
    let (a, b) = &*PAIR;
    bencher.bench(|| Engine::Reference.score(divan::black_box(metric), a, b));
}

/// Each metric against the customer's words prepared once (a `Pattern`), as the simulation
/// scores every hop: `meaning` remembers the customer's matches for each word it has seen.
#[divan::bench(args = METRICS)]
fn metric_against_customer(bencher: Bencher, metric: Metric) {
    let (a, b) = &*PAIR;
    let pattern = drift::metrics::Pattern::new(a.clone());
    bencher.bench(|| Engine::Fast.score_against(divan::black_box(metric), &pattern, b));
}

/// Preparing a message (NFC, grapheme codes, word ids): paid once per hop.
#[divan::bench]
fn prepare_message(bencher: Bencher) {
    let text =
        "Think bigger: AI-powered innovation. Mid-size companies keep haemorrhaging top claims talent to workflow friction, not the field.";
    bencher.bench(|| Prepared::new(divan::black_box(text), &LEXICON));
}
