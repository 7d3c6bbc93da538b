//! Extended statistics (`CREATE STATISTICS`): dropped before their table, view or columns change,
//! created once those (and the functions their expressions call) exist. Their definition cannot
//! be altered, so changed statistics are dropped and created again; their target changes in
//! place. Dropping them loses nothing but what `ANALYZE` gathers again.

use super::matching::Matching;
use super::sql::comment_value;
use super::steps::{Phase, Steps};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    for name in from.statistics.keys() {
        if matching.statistics_dropped(name) {
            steps.push(
                Phase::DropStatistics,
                format!("DROP STATISTICS {};", name.quoted()),
            );
        }
    }
    for (name, statistics) in &to.statistics {
        let target = format!("STATISTICS {}", name.quoted());
        let (had_target, had_comment) = match matching.statistics_created(name) {
            true => {
                steps.push(
                    Phase::CreateStatistics,
                    format!("{};", statistics.definition),
                );
                (None, None)
            }
            false => from
                .statistics
                .get(name)
                .map_or((None, None), |old| (old.target, old.comment.as_deref())),
        };
        if had_target != statistics.target {
            steps.push(
                Phase::CreateStatistics,
                format!(
                    "ALTER {target} SET STATISTICS {};",
                    statistics.target.unwrap_or(-1)
                ),
            );
        }
        if had_comment != statistics.comment.as_deref() {
            steps.push(
                Phase::CreateStatistics,
                format!(
                    "COMMENT ON {target} IS {};",
                    comment_value(statistics.comment.as_deref())
                ),
            );
        }
    }
}
