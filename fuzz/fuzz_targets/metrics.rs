//! Two arbitrary UTF-8 texts → every metric, on both engines and every path the simulator
//! scores by.
//!
//! Input: the reference text, a 0xFF byte (never part of UTF-8), the message; invalid UTF-8 is
//! read lossily. Invariants: every score is a number in [0, 1]; a text scores 1 against itself;
//! the fast engine is within 1e-12 of the reference (strsim); the pattern paths the scorer uses
//! (`score_against`, several texts at once by `score_many_against`, the headline on cluster codes)
//! and `Metric::score` give the fast engine's number;
//! `Prepared::from_parsed` equals `Prepared::new`; the symptoms are shares in [0, 1].

#![no_main]

use std::sync::LazyLock;

use drift::lexicon::Lexicon;
use drift::metrics::{Engine, Metric, Pattern, Prepared, Scorer};
use drift::scenario::Scenario;
use drift::text::Text;
use libfuzzer_sys::fuzz_target;

static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::built_in);

/// A scenario to hand the scorer: its customer's words and headline metric are replaced.
static STORY: LazyLock<Scenario> = LazyLock::new(|| {
    Scenario::parse("marketing-long-distance.yaml", include_str!("../../scenarios/marketing-long-distance.yaml"))
        .expect("the bundled story parses")
});

fuzz_target!(|data: &[u8]| {
    let (a, b) = match data.iter().position(|&x| x == 0xFF) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    let lexicon = &*LEXICON;
    let (pa, pb) = (Prepared::new(&a, lexicon), Prepared::new(&b, lexicon));
    for (text, prepared) in [(&a, &pa), (&b, &pb)] {
        assert_eq!(&Prepared::from_parsed(text, &Text::parse(text), lexicon), prepared, "from_parsed on {text:?}");
        for share in [prepared.jargon, prepared.we_focus] {
            assert!((0.0..=1.0).contains(&share), "symptom share {share}");
        }
    }
    let pattern = Pattern::new(pa.clone());
    for metric in Metric::ALL {
        let fast = Engine::Fast.score(metric, &pa, &pb);
        let reference = Engine::Reference.score(metric, &pa, &pb);
        for (engine, s) in [("fast", fast), ("reference", reference)] {
            assert!((0.0..=1.0).contains(&s), "{metric:?} ({engine}) = {s}");
        }
        assert!((fast - reference).abs() <= 1e-12, "{metric:?}: fast {fast} vs reference {reference}");
        for engine in [Engine::Fast, Engine::Reference] {
            assert_eq!(engine.score(metric, &pa, &pa), 1.0, "{metric:?} ({engine:?}) of a text against itself");
            assert_eq!(engine.score_against(metric, &pattern, &pb), engine.score(metric, &pa, &pb), "{metric:?} ({engine:?}) against");
            // a run's hops scored together (four at a time side by side where the engine can)
            let together = engine.score_many_against(metric, &pattern, &[&pb, &pa, &pb, &pb, &pa]);
            let alone: Vec<f64> = [&pb, &pa, &pb, &pb, &pa].iter().map(|p| engine.score_against(metric, &pattern, p)).collect();
            assert_eq!(together, alone, "{metric:?} ({engine:?}) together");
            // the counterfactual's headline: character metrics on cluster codes alone
            let mut scenario = STORY.clone();
            scenario.customer.said = a.to_string();
            scenario.metrics = vec![metric];
            let headline = Scorer::new(&scenario, lexicon, engine).headline(&b);
            assert_eq!(headline, engine.score(metric, &pa, &pb), "{metric:?} ({engine:?}) headline");
        }
        assert_eq!(metric.score(&a, &b, lexicon), fast, "{metric:?}: Metric::score is the fast engine");
    }
});
