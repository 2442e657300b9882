//! `drift score`: any message against the customer's words.

use super::drift;

#[test]
fn identical_message_scores_one_everywhere() {
    let words = "We keep losing our best adjusters to paperwork.";
    let a = drift().args(["score", "--customer", words, words, "--format", "json"]).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    for m in ["levenshtein", "damerau", "jaro_winkler", "sorensen_dice", "word_levenshtein", "customer_words"] {
        assert_eq!(v[m], 1.0, "{m}");
    }
    assert_eq!(v["jargon"], 0.0);
    assert!(v["we_focus"].is_number());
}

#[test]
fn marketing_copy_scores_low_with_symptoms() {
    let a = drift()
        .args([
            "score",
            "--customer",
            "We keep losing our best adjusters to paperwork.",
            "Our best-in-class platform eliminates administrative overhead for insurers.",
            "--format",
            "json",
        ])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    assert!(v["levenshtein"].as_f64().unwrap() < 0.5);
    assert!(v["jargon"].as_f64().unwrap() > 0.0);
    assert_eq!(v["we_focus"], 1.0);
}

#[test]
fn text_table_lists_every_metric() {
    let a = drift().args(["score", "--customer", "I need time back", "We deliver time savings"]).assert().success();
    let text = String::from_utf8_lossy(&a.get_output().stdout);
    for m in ["levenshtein", "jaro_winkler", "customer_words", "jargon", "we_focus"] {
        assert!(text.contains(m), "{m} missing from\n{text}");
    }
}
