//! Invariants over arbitrary text and settings (proptest).

use drift::lexicon::Lexicon;
use drift::metrics::{Metric, symptoms};
use drift::operators::{Context, Operator, OperatorKind};
use drift::scenario::Scenario;
use drift::simulate::{run_chain, stream};
use proptest::prelude::*;
use std::sync::OnceLock;

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(Lexicon::built_in)
}

/// Customer-like text: real words the lexicon knows, mixed with arbitrary Unicode.
fn message() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,80}",
        prop::collection::vec(
            prop::sample::select(vec![
                "We",
                "keep",
                "losing",
                "our",
                "best",
                "adjusters",
                "to",
                "paperwork",
                ".",
                ",",
                "I",
                "need",
                "them",
                "back",
                "in",
                "the",
                "field",
                "3",
                "hours",
                "20%",
                "café",
                "東京",
                "👩‍👩‍👧",
                "e\u{301}",
                "  ",
                "—",
                "customers",
                "time",
                "money",
                "staff",
                "!",
            ]),
            0..30,
        )
        .prop_map(|w| w.join(" ")),
    ]
}

fn operator() -> impl Strategy<Value = OperatorKind> {
    prop::sample::select(OperatorKind::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn rate_zero_and_approve_change_nothing(text in message(), kind in operator(), seed in any::<u64>()) {
        let words = drift::text::Text::parse("We keep losing our best adjusters to paperwork.");
        let ctx = Context { lexicon: lexicon(), customer: "We keep losing our best adjusters to paperwork.", customer_words: &words };
        let zero = Operator::new(kind, 0.0);
        let out = zero.apply(&text, &ctx, &mut stream(seed, 0, 0));
        prop_assert_eq!(&out.message, &text);
        prop_assert!(out.edits.is_empty());
        let approve = Operator::new(OperatorKind::Approve, 1.0);
        let out = approve.apply(&text, &ctx, &mut stream(seed, 0, 0));
        prop_assert_eq!(&out.message, &text);
        prop_assert!(out.edits.is_empty());
    }

    #[test]
    fn operators_never_panic_and_are_deterministic(text in message(), kind in operator(), rate in 0.0f64..=1.0, seed in any::<u64>()) {
        let words = drift::text::Text::parse("I need my adjusters back in the field.");
        let ctx = Context { lexicon: lexicon(), customer: "I need my adjusters back in the field.", customer_words: &words };
        let op = Operator::new(kind, rate);
        let a = op.apply(&text, &ctx, &mut stream(seed, 1, 2));
        let b = op.apply(&text, &ctx, &mut stream(seed, 1, 2));
        prop_assert_eq!(a, b);
    }

    #[test]
    fn metrics_are_in_unit_range_and_one_for_identical_text(a in message(), b in message()) {
        for &m in Metric::ALL {
            let s = m.score(&a, &b, lexicon());
            prop_assert!((0.0..=1.0).contains(&s), "{:?} = {}", m, s);
            prop_assert_eq!(m.score(&a, &a, lexicon()), 1.0, "{:?}", m);
        }
        let (j, w) = symptoms(&b, &a, lexicon());
        prop_assert!((0.0..=1.0).contains(&j) && (0.0..=1.0).contains(&w));
        prop_assert_eq!(symptoms(&a, &a, lexicon()), (0.0, 0.0), "the customer's own words have no symptoms");
    }

    #[test]
    fn same_seed_same_trace(seed in any::<u64>(), run in 0u64..1000) {
        let scenario = bundled_story();
        let lex = Lexicon::with_extension(&scenario.lexicon);
        prop_assert_eq!(run_chain(scenario, &lex, seed, run), run_chain(scenario, &lex, seed, run));
    }
}

fn bundled_story() -> &'static Scenario {
    static S: OnceLock<Scenario> = OnceLock::new();
    S.get_or_init(|| Scenario::load(&super::root().join("scenarios/marketing-long-distance.yaml")).expect("valid"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any customer words go through the whole pipeline: chain, scores, bands, every format.
    #[test]
    fn any_customer_words_run_end_to_end(said in message().prop_filter("some words", |s| !s.trim().is_empty()), seed in any::<u64>()) {
        use drift::aggregate::{RunSettings, analyse};
        use drift::montecarlo::Plan;
        use drift::metrics::Engine;
        use drift::output::{FILE_FORMATS, Report};
        let mut scenario = bundled_story().clone();
        scenario.customer.said = said.trim().to_string();
        let lex = Lexicon::with_extension(&scenario.lexicon);
        let analysis = analyse(&scenario, &lex, RunSettings { plan: Plan { seed, runs: 3, engine: Engine::Fast }, counterfactual: true }, drift::montecarlo::Control::new(&|_| {}, &drift::interrupt::Cancel::new())).expect("not interrupted");
        let report = Report { scenario: &scenario, analysis: &analysis, file: "prop", charts: &[] };
        for f in FILE_FORMATS {
            prop_assert!(!f.render(&report).is_empty());
        }
        for b in &analysis.bands {
            prop_assert!((0.0..=1.0).contains(&b.vs_customer[0].median));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// `drift score`'s word lists are the metrics: "kept 2 of 9" is the customer_words score,
    /// jargon is named exactly when it is counted, and the pronoun counts give the we-focus.
    #[test]
    fn score_verdicts_agree_with_the_metrics(said in message(), text in message()) {
        use drift::score::{Customer, Message, score};
        let customer = Customer { who: None, said: said.clone(), three_ps: vec![("priorities", said.clone())] };
        let cards = score(&customer, &[Message { label: "m".into(), text: text.clone() }], lexicon());
        let card = &cards[0];
        let metric = Metric::CustomerWords.score(&said, &text, lexicon());
        prop_assert!((card.customer_words.share() - metric).abs() < 1e-12, "{:?} vs {}", card.customer_words, metric);
        prop_assert_eq!(&card.three_ps[0].2, &card.customer_words);
        prop_assert_eq!(card.jargon_phrases.is_empty(), card.jargon == 0.0);
        let (we, people) = card.pronouns;
        let share = if people == 0 { 0.0 } else { we as f64 / people as f64 };
        prop_assert!((share - card.we_focus).abs() < 1e-12);
        prop_assert!((card.we_focus - symptoms(&said, &text, lexicon()).1).abs() < 1e-12);
        let chance = drift::score::chance(&customer, lexicon());
        prop_assert!(!drift::output::score::text(&customer, &cards, &chance, true).is_empty());
        let json: serde_json::Value = serde_json::from_str(&drift::output::score::json(&customer, &cards, &chance)).unwrap();
        prop_assert_eq!(json["messages"].as_array().map(Vec::len), Some(1));
    }
}
