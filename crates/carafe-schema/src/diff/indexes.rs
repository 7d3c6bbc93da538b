//! Indexes that back no constraint: dropped before their columns change, created (from the full
//! `CREATE INDEX` that `pg_get_indexdef` prints) once their columns exist. A changed index is
//! dropped and created again. A materialised view's indexes go with it and are created again after
//! it.

use super::matching::Matching;
use super::steps::{Phase, Steps};
use crate::{Index, Name, Schema};

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
    let (from, to) = (matching.from, matching.to);
    for (view_name, view) in &from.views {
        if matching.view_dropped(view_name) {
            continue;
        }
        for name in view.indexes.keys() {
            if view_index_kept(matching, view_name, name) {
                continue;
            }
            let index = Name::new(view_name.schema.clone(), name.clone());
            let sql = format!("DROP INDEX {};", index.quoted());
            match to
                .views
                .get(view_name)
                .is_some_and(|new| new.indexes.contains_key(name))
            {
                true => steps.push(Phase::DropIndex, sql),
                false => {
                    steps.push_for_review(Phase::DropIndex, sql, format!("drops index {index}"))
                }
            }
        }
    }
    for (view_name, view) in &to.views {
        for (name, index) in &view.indexes {
            if !view_index_kept(matching, view_name, name) {
                steps.push(Phase::CreateViewIndex, create(index));
            }
        }
    }
    for (table_name, table) in &matching.to.tables {
        for (name, index) in &table.indexes {
            if matching.index_created(table_name, name) {
                steps.push(Phase::CreateIndex, create(index));
            }
        }
    }
}

/// The `CREATE INDEX` of `index`, ending in `;`. A partitioned table's index prints as `ON ONLY`,
/// which would leave it invalid and its partitions without theirs: it is created on the whole
/// table, which creates (or attaches) the partitions' too.
fn create(index: &Index) -> String {
    let definition = index.definition.trim_end().trim_end_matches(';');
    format!("{};", definition.replacen(" ON ONLY ", " ON ", 1))
}

/// Whether index `name` of materialised view `view` stays as it is: the view stays, and the index
/// is in both schemas with the same definition.
pub(super) fn view_index_kept(matching: &Matching, view: &Name, name: &str) -> bool {
    match (
        view_index(matching.from, view, name),
        view_index(matching.to, view, name),
    ) {
        (Some(old), Some(new)) => !matching.view_dropped(view) && old.definition == new.definition,
        _ => false,
    }
}

fn view_index<'s>(schema: &'s Schema, view: &Name, name: &str) -> Option<&'s Index> {
    schema.views.get(view)?.indexes.get(name)
}
