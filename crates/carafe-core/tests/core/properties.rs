//! The parser never panics, whatever names and bytes a directory holds.

use carafe_core::{SourceFile, load};
use proptest::prelude::*;

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,6}[_-][a-zA-Z0-9_]{0,8}\\.(sql|SQL|txt)",
        "[0-9]{4}_[a-z_]{1,6}\\.sql",
        "\\PC{0,12}",
        Just("carafe.sum".to_owned()),
    ]
}

fn text() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        "(\u{feff})?(-- [a-z ]{0,10}\r?\n)*(-- migrate:(up|down|Up|sideways)( [a-z:]{0,18})*\r?\n([a-z ;'$]{0,20}\r?\n){0,3}){0,3}"
            .prop_map(String::into_bytes),
        "(# x\n)?([0-9a-z_.]{0,20} sha256:[0-9a-f]{0,64} chain:[0-9a-f]{0,64}\n){0,3}(<<<<<<< x\n)?"
            .prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn loading_never_panics(files in proptest::collection::vec((name(), text()), 0..6)) {
        let sources: Vec<SourceFile> = files.into_iter().map(|(name, bytes)| SourceFile::new(name, bytes)).collect();
        let loaded = load(&sources);
        for problem in &loaded.problems {
            let line = problem.to_string();
            prop_assert!(!line.contains('\n'), "one line per problem: {line}");
        }
        if loaded.problems.is_empty() {
            prop_assert_eq!(loaded.set.len() as u32, loaded.set.head().number());
        }
    }
}
