//! The migration file format: description comments, `-- migrate:up` and `-- migrate:down` markers with
//! their options, and every way a file can break it.
//!
//! Parsing never fails: it returns what it could read and the list of problems, each with its line.

use crate::migration::{Down, Section, Transaction};
use crate::problem::ProblemKind;
use crate::refused_sql::refused_sql;
use crate::{Checksum, Revision};

/// What a file's text holds, before it is given a revision and a checksum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ParsedFile {
    pub(crate) description: String,
    pub(crate) up: Option<Section>,
    pub(crate) down: Option<Down>,
    /// `replaces:0001-NNNN chain:HEX` on the up marker: the last revision replaced, and the chain.
    pub(crate) replaces: Option<(Revision, [u8; 32])>,
}

/// A problem inside one file, at a line.
pub(crate) type LineProblem = (u32, ProblemKind);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Up,
    Down,
}

impl Direction {
    fn marker(self) -> &'static str {
        match self {
            Direction::Up => "-- migrate:up",
            Direction::Down => "-- migrate:down",
        }
    }
}

/// A marker line as read.
struct Marker {
    direction: Direction,
    line: u32,
    transaction: Transaction,
    irreversible: bool,
    nothing: bool,
    replaces: Option<Revision>,
    chain: Option<[u8; 32]>,
}

/// Splits normalised text into its sections.
pub(crate) fn parse(text: &str) -> (ParsedFile, Vec<LineProblem>) {
    let mut problems = Vec::new();
    let mut description = Vec::new();
    let mut markers: Vec<(Marker, usize)> = Vec::new();
    let mut seen_marker_line = false;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let line_number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let body_start = offset + line.len();
        offset = body_start;
        match read_marker(line, line_number) {
            Some(Ok((marker, option_problems))) => {
                problems.extend(option_problems.into_iter().map(|kind| (line_number, kind)));
                if let Some((first, _)) = markers
                    .iter()
                    .find(|(m, _)| m.direction == marker.direction)
                {
                    problems.push((
                        line_number,
                        ProblemKind::DuplicateMarker {
                            marker: marker.direction.marker(),
                            first_line: first.line,
                        },
                    ));
                    continue;
                }
                if marker.direction == Direction::Down && markers.is_empty() {
                    problems.push((line_number, ProblemKind::DownBeforeUp));
                }
                markers.push((marker, body_start));
            }
            Some(Err(kind)) => {
                problems.push((line_number, kind));
                seen_marker_line = true;
            }
            None if markers.is_empty() && !seen_marker_line => {
                let trimmed = line.trim();
                if let Some(comment) = trimmed.strip_prefix("--") {
                    description.push(comment.strip_prefix(' ').unwrap_or(comment).trim_end());
                } else if !trimmed.is_empty() {
                    problems.push((line_number, ProblemKind::SqlBeforeUp));
                }
            }
            None => {}
        }
    }

    let line_starts = line_start_offsets(text);
    let mut parsed = ParsedFile {
        description: description.join("\n").trim().to_owned(),
        up: None,
        down: None,
        replaces: None,
    };
    for (position, (marker, body_start)) in markers.iter().enumerate() {
        let body_end = match markers.get(position + 1) {
            Some((next, _)) => line_starts[next.line as usize - 1],
            None => text.len(),
        };
        let body_start = (*body_start).min(body_end);
        let sql = &text[body_start..body_end];
        let section = Section {
            sql: sql.to_owned().into(),
            line: marker.line + 1,
            transaction: marker.transaction,
        };
        match marker.direction {
            Direction::Up => {
                match (marker.replaces, marker.chain) {
                    (Some(through), Some(chain)) => parsed.replaces = Some((through, chain)),
                    (None, None) => {}
                    _ => problems.push((marker.line, ProblemKind::BaselineIncomplete)),
                }
                if marker.irreversible {
                    problems.push((marker.line, ProblemKind::IrreversibleUp));
                }
                if marker.nothing {
                    problems.push((marker.line, ProblemKind::NothingUp));
                }
                if is_blank_sql(sql) {
                    problems.push((marker.line, ProblemKind::EmptyUp));
                }
                problems.extend(refused_sql(&section, marker.direction.marker()));
                parsed.up = Some(section);
            }
            Direction::Down if marker.replaces.is_some() || marker.chain.is_some() => {
                problems.push((marker.line, ProblemKind::BaselineOnDown));
                parsed.down = Some(Down::Irreversible);
            }
            Direction::Down if marker.irreversible && marker.nothing => {
                problems.push((marker.line, ProblemKind::NothingAndIrreversible));
                parsed.down = Some(Down::Irreversible);
            }
            Direction::Down if marker.nothing => {
                if !is_blank_sql(sql) {
                    problems.push((marker.line, ProblemKind::NothingWithSql));
                }
                parsed.down = Some(Down::Nothing);
            }
            Direction::Down if marker.irreversible => {
                if !is_blank_sql(sql) {
                    problems.push((marker.line, ProblemKind::IrreversibleWithSql));
                }
                parsed.down = Some(Down::Irreversible);
            }
            Direction::Down => {
                if is_blank_sql(sql) {
                    problems.push((marker.line, ProblemKind::EmptyDown));
                }
                problems.extend(refused_sql(&section, marker.direction.marker()));
                parsed.down = Some(Down::Sql(section));
            }
        }
    }
    let last_line = u32::try_from(line_starts.len()).unwrap_or(u32::MAX).max(1);
    if parsed.up.is_none() {
        problems.push((1, ProblemKind::MissingUp));
    }
    if parsed.down.is_none() && parsed.up.is_some() {
        problems.push((last_line, ProblemKind::MissingDown));
    }
    problems.sort_by_key(|(line, _)| *line);
    (parsed, problems)
}

/// Reads a marker line: `None` when the line is no marker, an error when it is neither up nor down.
/// An unknown option is reported beside the marker, which still counts, so one typo gives one problem.
fn read_marker(
    line: &str,
    line_number: u32,
) -> Option<Result<(Marker, Vec<ProblemKind>), ProblemKind>> {
    let comment = marker_comment(line)?;
    let mut words = comment[8..].split_whitespace();
    let direction = match words.next() {
        Some("up") => Direction::Up,
        Some("down") => Direction::Down,
        _ => {
            return Some(Err(ProblemKind::UnknownMarker {
                text: line.trim().to_owned(),
            }));
        }
    };
    let mut marker = Marker {
        direction,
        line: line_number,
        transaction: Transaction::Wrapped,
        irreversible: false,
        nothing: false,
        replaces: None,
        chain: None,
    };
    let mut problems = Vec::new();
    for option in words {
        match option {
            "transaction:false" => marker.transaction = Transaction::Disabled,
            "transaction:true" => marker.transaction = Transaction::Wrapped,
            "irreversible" => marker.irreversible = true,
            "nothing" => marker.nothing = true,
            _ if option.starts_with("replaces:") => match read_replaces(option) {
                Some(through) => marker.replaces = Some(through),
                None => problems.push(ProblemKind::BadBaselineOption {
                    option: option.to_owned(),
                }),
            },
            _ if option.starts_with("chain:") => {
                match Checksum::parse("sha256", &option["chain:".len()..]) {
                    Some(chain) => marker.chain = Some(*chain.digest()),
                    None => problems.push(ProblemKind::BadBaselineOption {
                        option: option.to_owned(),
                    }),
                }
            }
            _ => problems.push(ProblemKind::UnknownOption {
                marker: direction.marker(),
                option: option.to_owned(),
            }),
        }
    }
    Some(Ok((marker, problems)))
}

/// `replaces:0001-0012`: the last revision replaced (a baseline always starts at 0001).
fn read_replaces(option: &str) -> Option<Revision> {
    let range = option.strip_prefix("replaces:")?;
    let (first, last) = range.split_once('-')?;
    let first: Revision = first.parse().ok()?;
    let last: Revision = last.parse().ok()?;
    (first == Revision::new(1) && last >= first).then_some(last)
}

/// After `--`, what a marker line says past `migrate:`; `None` for a line that is no marker.
fn marker_comment(line: &str) -> Option<&str> {
    let comment = line.trim().strip_prefix("--")?.trim_start();
    let head = comment.get(..8)?;
    head.eq_ignore_ascii_case("migrate:").then_some(comment)
}

/// Whether the reader takes `line` for a marker (a known one or not); the writer quotes such
/// description lines.
pub(crate) fn is_marker_comment(line: &str) -> bool {
    marker_comment(line).is_some()
}

/// Whether SQL holds nothing but whitespace and `--` comments.
fn is_blank_sql(sql: &str) -> bool {
    sql.lines().all(|line| {
        let trimmed = line.trim();
        trimmed.is_empty() || trimmed.starts_with("--")
    })
}

/// The byte offset where each line starts.
fn line_start_offsets(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(index, _)| index + 1));
    if starts.last() == Some(&text.len()) && !text.is_empty() {
        starts.pop();
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems_of(text: &str) -> Vec<String> {
        parse(text)
            .1
            .into_iter()
            .map(|(line, kind)| format!("{line}: {kind}"))
            .collect()
    }

    #[test]
    fn reads_description_sections_and_lines() {
        let text = "-- Add the vintage.\n-- Second line.\n\n-- migrate:up\nalter table products add column vintage int;\n\n-- migrate:down transaction:false\nalter table products drop column vintage;\n";
        let (parsed, problems) = parse(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(parsed.description, "Add the vintage.\nSecond line.");
        let up = parsed.up.expect("up");
        assert_eq!(up.sql, "alter table products add column vintage int;\n\n");
        assert_eq!(up.line, 5);
        assert_eq!(up.transaction, Transaction::Wrapped);
        let Some(Down::Sql(down)) = parsed.down else {
            panic!("down")
        };
        assert_eq!(down.sql, "alter table products drop column vintage;\n");
        assert_eq!(down.line, 8);
        assert_eq!(down.transaction, Transaction::Disabled);
    }

    #[test]
    fn irreversible_down_is_explicit() {
        let (parsed, problems) =
            parse("-- migrate:up\ndrop table t;\n-- migrate:down irreversible\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(parsed.down, Some(Down::Irreversible));
    }

    #[test]
    fn a_down_with_nothing_to_undo_is_explicit() {
        let (parsed, problems) = parse(
            "-- migrate:up\nupdate t set c = 0 where c is null;\n-- migrate:down nothing\n-- the backfill stays\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(parsed.down, Some(Down::Nothing));
    }

    #[test]
    fn every_malformed_file_says_where_and_why() {
        insta::assert_debug_snapshot!([
            problems_of("select 1;\n"),
            problems_of("-- migrate:up\nselect 1;\n"),
            problems_of("-- migrate:up\n-- only a comment\n\n-- migrate:down\nselect 1;\n"),
            problems_of("-- migrate:up transaction:maybe\nselect 1;\n-- migrate:down\nselect 1;\n"),
            problems_of("-- migrate:up\nselect 1;\n-- migrate:down irreversible\nselect 2;\n"),
            problems_of("-- migrate:down\nselect 1;\n-- migrate:up\nselect 2;\n"),
            problems_of(
                "-- migrate:up\nselect 1;\n-- migrate:up\nselect 2;\n-- migrate:down\nselect 3;\n"
            ),
            problems_of("-- migrate:sideways\nselect 1;\n"),
            problems_of("-- migrate:up\nselect 1;\n-- migrate:down\n"),
        ]);
    }

    #[test]
    fn a_down_marked_nothing_holds_nothing() {
        insta::assert_debug_snapshot!([
            problems_of("-- migrate:up\nselect 1;\n-- migrate:down nothing\nselect 2;\n"),
            problems_of("-- migrate:up\nselect 1;\n-- migrate:down nothing irreversible\n"),
            problems_of("-- migrate:up nothing\nselect 1;\n-- migrate:down nothing\n"),
            problems_of("-- migrate:up\nselect 1;\n-- migrate:down nothin\n"),
        ]);
    }
}
