//! The one writer of the migration file format; its reader is `parse.rs`. `carafe revision`, `revision
//! --autogenerate` and anything later write files through [`RevisionFile::render`], and a property
//! test ties it to the reader: whatever the message, the written file reads back with that
//! description and those sections.

use crate::Transaction;

/// A revision file to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevisionFile<'a> {
    /// Free text for the comment lines above `-- migrate:up` (usually the `-m` message).
    pub description: &'a str,
    /// The up section's SQL.
    pub up: SectionText<'a>,
    /// The down section.
    pub down: DownText<'a>,
}

/// A section's SQL and its transaction mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectionText<'a> {
    /// The SQL, written as given (a trailing newline is added when missing).
    pub sql: &'a str,
    /// `transaction:false` on the marker line when [`Transaction::Disabled`].
    pub transaction: Transaction,
}

/// What the down section holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DownText<'a> {
    /// SQL that undoes the up section.
    Sql(SectionText<'a>),
    /// `-- migrate:down irreversible`.
    Irreversible,
    /// `-- migrate:down nothing`: reversible, with nothing to undo.
    Nothing,
}

impl<'a> SectionText<'a> {
    /// A transactional section.
    pub fn wrapped(sql: &'a str) -> SectionText<'a> {
        SectionText {
            sql,
            transaction: Transaction::Wrapped,
        }
    }
}

impl RevisionFile<'_> {
    /// The file's text.
    pub fn render(&self) -> String {
        self.render_with("")
    }

    /// The file's text as a baseline that replaces revisions 0001 to `replaced.through`
    /// (`-- migrate:up replaces:0001-NNNN chain:HEX`), as `carafe squash` writes it.
    pub fn render_baseline(&self, replaced: &crate::Replaced) -> String {
        self.render_with(&format!(
            " replaces:0001-{} chain:{}",
            replaced.through,
            crate::Checksum::sha256_hex_of_digest(&replaced.chain)
        ))
    }

    fn render_with(&self, up_options: &str) -> String {
        let mut text = String::new();
        let lines = description_lines(self.description);
        for line in &lines {
            text.push_str(&comment_line(line));
            text.push('\n');
        }
        if !lines.is_empty() {
            text.push('\n');
        }
        push_section(&mut text, &format!("-- migrate:up{up_options}"), &self.up);
        text.push('\n');
        match &self.down {
            DownText::Sql(section) => push_section(&mut text, "-- migrate:down", section),
            DownText::Irreversible => text.push_str("-- migrate:down irreversible\n"),
            DownText::Nothing => text.push_str("-- migrate:down nothing\n"),
        }
        text
    }
}

/// The description as the reader gives it back for `message`: each line trimmed at the end, blank
/// lines around the whole removed, and every line that would read as a marker quoted in backticks.
pub fn written_description(message: &str) -> String {
    description_lines(message)
        .iter()
        .map(|line| match reads_as_marker(line) {
            true => format!("`{}`", line.trim()),
            false => (*line).to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn description_lines(message: &str) -> Vec<&str> {
    let lines: Vec<&str> = message.lines().map(str::trim_end).collect();
    let first = lines.iter().position(|line| !line.trim().is_empty());
    let last = lines.iter().rposition(|line| !line.trim().is_empty());
    match (first, last) {
        (Some(first), Some(last)) => lines[first..=last].to_vec(),
        _ => Vec::new(),
    }
}

/// One description line as a comment. A line the reader would take for a marker (`migrate:...`,
/// in any case, after any number of dashes and spaces) is quoted, so a message can never open a
/// section or name an unknown marker.
fn comment_line(line: &str) -> String {
    match (line.is_empty(), reads_as_marker(line)) {
        (true, _) => "--".to_owned(),
        (false, true) => format!("-- `{}`", line.trim()),
        (false, false) => format!("-- {line}"),
    }
}

fn reads_as_marker(line: &str) -> bool {
    crate::parse::is_marker_comment(&format!("-- {line}"))
}

fn push_section(text: &mut String, marker: &str, section: &SectionText<'_>) {
    text.push_str(marker);
    if section.transaction == Transaction::Disabled {
        text.push_str(" transaction:false");
    }
    text.push('\n');
    text.push_str(section.sql);
    if !section.sql.is_empty() && !section.sql.ends_with('\n') {
        text.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::{Down, normalize};
    use proptest::prelude::*;

    fn file<'a>(description: &'a str, up: &'a str, down: DownText<'a>) -> RevisionFile<'a> {
        RevisionFile {
            description,
            up: SectionText::wrapped(up),
            down,
        }
    }

    #[test]
    fn a_baseline_reads_back_with_what_it_replaces() {
        let replaced = crate::Replaced {
            through: crate::Revision::new(12),
            chain: [7; 32],
        };
        let text = file("Baseline.", "create table t ();", DownText::Irreversible)
            .render_baseline(&replaced);
        let (parsed, problems) = parse(&text);
        assert!(problems.is_empty(), "{problems:?}\n{text}");
        assert_eq!(parsed.replaces, Some((replaced.through, replaced.chain)));
    }

    #[test]
    fn a_message_that_looks_like_a_marker_writes_a_file_that_reads_back() {
        // Regression: `carafe revision -m "Migrate: prices to cents"` wrote a description line the
        // build then refused as an unknown marker.
        for message in [
            "Migrate: prices to cents",
            "migrate:up",
            "  MIGRATE:down irreversible",
            "-- migrate:up transaction:false",
            "first line\nmigrate:sideways",
        ] {
            let text = file(
                message,
                "select 1;",
                DownText::Sql(SectionText::wrapped("select 2;")),
            )
            .render();
            let (parsed, problems) = parse(&text);
            assert!(problems.is_empty(), "{message:?}:\n{text}\n{problems:?}");
            assert_eq!(parsed.description, written_description(message), "{text}");
        }
    }

    #[test]
    fn sections_keep_their_options() {
        let text = RevisionFile {
            description: "Index prices",
            up: SectionText {
                sql: "create index concurrently i on t (price);",
                transaction: Transaction::Disabled,
            },
            down: DownText::Irreversible,
        }
        .render();
        assert_eq!(
            text,
            "-- Index prices\n\n-- migrate:up transaction:false\ncreate index concurrently i on t (price);\n\n-- migrate:down irreversible\n"
        );
        let text = file("Backfill", "update t set c = 0;", DownText::Nothing).render();
        assert_eq!(
            text,
            "-- Backfill\n\n-- migrate:up\nupdate t set c = 0;\n\n-- migrate:down nothing\n"
        );
    }

    proptest! {
        /// Any message, any SQL free of marker lines: the written file parses with no problem, and
        /// gives back the description and the SQL.
        #[test]
        fn any_message_round_trips_through_the_reader(
            message in "(\\PC|[\\n\\t -]|migrate:|Migrate:|--|`){0,80}",
            up in "[a-z ;'\"$()\\n]{0,40}",
            disabled in any::<bool>(),
            down_kind in 0..3u8,
        ) {
            let up_sql = format!("select 1;\n{up}");
            let up_sql = String::from_utf8(normalize(up_sql.as_bytes())).expect("utf-8");
            prop_assume!(!up_sql.lines().any(crate::parse::is_marker_comment));
            let transaction = match disabled {
                true => Transaction::Disabled,
                false => Transaction::Wrapped,
            };
            let text = RevisionFile {
                description: &message,
                up: SectionText { sql: &up_sql, transaction },
                down: match down_kind {
                    0 => DownText::Sql(SectionText::wrapped("select 2;\n")),
                    1 => DownText::Irreversible,
                    _ => DownText::Nothing,
                },
            }
            .render();
            let text = String::from_utf8(normalize(text.as_bytes())).expect("utf-8");
            let (parsed, problems) = parse(&text);
            prop_assert!(problems.is_empty(), "{:?}\n{}", problems, text);
            prop_assert_eq!(parsed.description, written_description(&message).trim().to_owned());
            let up_section = parsed.up.expect("up");
            prop_assert_eq!(up_section.sql.trim_end(), up_sql.trim_end());
            prop_assert_eq!(up_section.transaction, transaction);
            match (down_kind, parsed.down) {
                (0, Some(Down::Sql(section))) => prop_assert_eq!(section.sql, "select 2;\n"),
                (1, Some(Down::Irreversible)) | (2, Some(Down::Nothing)) => {}
                (kind, down) => prop_assert!(false, "down {} read back as {:?}", kind, down),
            }
        }
    }
}
