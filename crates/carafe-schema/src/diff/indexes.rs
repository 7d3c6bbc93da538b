//! Indexes that back no constraint: dropped before their columns change, created (from the full
//! `CREATE INDEX` that `pg_get_indexdef` prints) once their columns exist. A changed index is
//! dropped and created again.

use super::matching::Matching;
use super::steps::{Phase, Steps};
use crate::Name;

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    for pair in &matching.tables {
        for name in pair.from.indexes.keys() {
            if !matching.index_dropped(pair.name, name) {
                continue;
            }
            let index = Name::new(pair.name.schema.clone(), name.clone());
            let sql = format!("DROP INDEX {};", index.quoted());
            match pair.to.indexes.contains_key(name) {
                true => steps.push(Phase::DropIndex, sql),
                false => {
                    steps.push_for_review(Phase::DropIndex, sql, format!("drops index {index}"))
                }
            }
        }
    }
    for (table_name, table) in &matching.to.tables {
        for (name, index) in &table.indexes {
            if matching.index_created(table_name, name) {
                steps.push(
                    Phase::CreateIndex,
                    format!("{};", index.definition.trim_end().trim_end_matches(';')),
                );
            }
        }
    }
}
