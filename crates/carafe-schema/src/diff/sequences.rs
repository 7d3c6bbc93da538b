//! Sequences. Standalone ones (serial ones included) are created before the tables whose defaults
//! read them, given their owner once that column exists, released before it goes, dropped last
//! unless their owning column already took them along. An identity column's own sequence comes and
//! goes with the identity; here it only gets its options (and its name, when the column is renamed).

use super::matching::{ColumnPair, Matching};
use super::steps::{Phase, Steps};
use crate::model::quote_identifier;
use crate::{Name, Schema, Sequence};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    let renamed = renamed_sequences(matching);
    for (name, sequence) in to
        .sequences
        .iter()
        .filter(|(_, sequence)| !sequence.identity)
    {
        let old_name = renamed
            .iter()
            .find(|(_, new)| *new == name)
            .map_or(name, |(old, _)| *old);
        let old = from.sequences.get(old_name).filter(|old| !old.identity);
        match old {
            None if handed_over(matching, name, sequence.owned_by.as_ref(), true) => {}
            None => steps.push(Phase::CreateSequence, create(name, sequence)),
            Some(old) => {
                if old_name != name {
                    steps.push(
                        Phase::CreateSequence,
                        format!(
                            "ALTER SEQUENCE {} RENAME TO {};",
                            old_name.quoted(),
                            quote_identifier(&name.name)
                        ),
                    );
                }
                alter(steps, Phase::CreateSequence, name, old, sequence);
            }
        }
        let old_owner = old.and_then(|old| owner_in_to(matching, old));
        if old.is_some_and(|old| old.owned_by.is_some()) && old_owner != sequence.owned_by {
            steps.push(
                Phase::ReleaseSequence,
                format!("ALTER SEQUENCE {} OWNED BY NONE;", name.quoted()),
            );
        }
        if let Some((table, column)) = &sequence.owned_by
            && (old.is_none() || old_owner != sequence.owned_by)
        {
            steps.push(
                Phase::OwnSequence,
                format!(
                    "ALTER SEQUENCE {} OWNED BY {}.{};",
                    name.quoted(),
                    table.quoted(),
                    quote_identifier(column)
                ),
            );
        }
    }
    for (name, sequence) in from
        .sequences
        .iter()
        .filter(|(_, sequence)| !sequence.identity)
    {
        if handed_over(matching, name, sequence.owned_by.as_ref(), false) {
            continue;
        }
        if to.sequences.contains_key(name) || renamed.iter().any(|(old, _)| *old == name) {
            continue;
        }
        let taken_along = sequence
            .owned_by
            .as_ref()
            .is_some_and(|(table, column)| matching.column_goes(table, column));
        if !taken_along {
            steps.push_for_review(
                Phase::DropSequence,
                format!("DROP SEQUENCE {};", name.quoted()),
                format!("drops sequence {name} and its current value"),
            );
        }
    }
    plan_identity(matching, steps);
}

/// Standalone sequences that `to` names otherwise, as `(old, new)`: the sequence of `from` that `to`
/// lacks, owned by a column that stays, and the sequence of `to` that `from` lacks, owned by that
/// column (a serial column renamed keeps its sequence, which `to` names after the new column).
pub(super) fn renamed_sequences<'a>(matching: &Matching<'a>) -> Vec<(&'a Name, &'a Name)> {
    let (from, to) = (matching.from, matching.to);
    let standalone = |sequence: &&Sequence| !sequence.identity;
    from.sequences
        .iter()
        .filter(|(name, sequence)| standalone(sequence) && !to.sequences.contains_key(*name))
        .filter_map(|(old_name, old)| {
            let owner = owner_in_to(matching, old)?;
            let (new_name, _) = to.sequences.iter().find(|(name, new)| {
                standalone(new)
                    && !from.sequences.contains_key(*name)
                    && new.owned_by.as_ref() == Some(&owner)
            })?;
            Some((old_name, new_name))
        })
        .collect()
}

/// The owner of `old` as `to` names it, when that column stays.
fn owner_in_to(matching: &Matching, old: &Sequence) -> Option<(Name, String)> {
    let (table, column) = old.owned_by.as_ref()?;
    let column = matching.column_in_to(table, column)?;
    Some((table.clone(), column.to_owned()))
}

/// The bounds PostgreSQL gives a sequence of `data_type` going in the direction of `increment`.
fn default_bounds(data_type: &str, increment: i64) -> (i64, i64) {
    let (type_min, type_max) = match data_type {
        "smallint" => (i64::from(i16::MIN), i64::from(i16::MAX)),
        "integer" => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (i64::MIN, i64::MAX),
    };
    match increment > 0 {
        true => (1, type_max),
        false => (type_min, -1),
    }
}

pub(super) fn create(name: &Name, sequence: &Sequence) -> String {
    let mut options = String::new();
    if sequence.data_type != "bigint" {
        options.push_str(&format!(" AS {}", sequence.data_type));
    }
    options.push_str(&non_default_options(sequence));
    format!("CREATE SEQUENCE {}{options};", name.quoted())
}

/// The options of `sequence` that differ from what PostgreSQL gives a new sequence of its type,
/// each with a leading space.
fn non_default_options(sequence: &Sequence) -> String {
    let (min, max) = default_bounds(&sequence.data_type, sequence.increment);
    let start = if sequence.increment > 0 {
        sequence.min
    } else {
        sequence.max
    };
    let mut options = String::new();
    if sequence.increment != 1 {
        options.push_str(&format!(" INCREMENT BY {}", sequence.increment));
    }
    if sequence.min != min {
        options.push_str(&format!(" MINVALUE {}", sequence.min));
    }
    if sequence.max != max {
        options.push_str(&format!(" MAXVALUE {}", sequence.max));
    }
    if sequence.start != start {
        options.push_str(&format!(" START WITH {}", sequence.start));
    }
    if sequence.cache != 1 {
        options.push_str(&format!(" CACHE {}", sequence.cache));
    }
    if sequence.cycle {
        options.push_str(" CYCLE");
    }
    options
}

/// The identity sequence of column `column` of `table` in `schema`.
fn identity_sequence<'a>(
    schema: &'a Schema,
    table: &Name,
    column: &str,
) -> Option<(&'a Name, &'a Sequence)> {
    schema.sequences.iter().find(|(_, sequence)| {
        sequence.identity
            && sequence
                .owned_by
                .as_ref()
                .is_some_and(|(owner, owner_column)| owner == table && owner_column == column)
    })
}

/// The name a serial column's sequence and an identity column's share when one becomes the other:
/// the standalone sequence of `standalone` owned by `standalone_column` of `table`, named as the
/// identity sequence of `identity_column` in `identity`. The column's own change hands it over
/// (drops one before the other is made), since the two cannot exist at once.
fn shared_name<'a>(
    standalone: &'a Schema,
    identity: &'a Schema,
    table: &Name,
    standalone_column: &str,
    identity_column: &str,
) -> Option<(&'a Name, &'a Sequence)> {
    let (name, _) = identity_sequence(identity, table, identity_column)?;
    let (name, sequence) = standalone.sequences.get_key_value(name)?;
    let owner = (table.clone(), standalone_column.to_owned());
    (!sequence.identity && sequence.owned_by.as_ref() == Some(&owner)).then_some((name, sequence))
}

/// The serial sequence a column becoming an identity column drops before `ADD GENERATED`, when
/// the identity's sequence takes its name.
pub(super) fn serial_taken_by_identity<'a>(
    matching: &Matching<'a>,
    table: &Name,
    column: &ColumnPair,
) -> Option<&'a Name> {
    if column.from.identity.is_some() || column.to.identity.is_none() {
        return None;
    }
    shared_name(
        matching.from,
        matching.to,
        table,
        &column.from.name,
        &column.to.name,
    )
    .map(|(name, _)| name)
}

/// The serial sequence a column that stops being an identity column creates after `DROP
/// IDENTITY`, when it takes the identity sequence's name.
pub(super) fn serial_after_identity<'a>(
    matching: &Matching<'a>,
    table: &Name,
    column: &ColumnPair,
) -> Option<(&'a Name, &'a Sequence)> {
    if column.from.identity.is_none() || column.to.identity.is_some() {
        return None;
    }
    shared_name(
        matching.to,
        matching.from,
        table,
        &column.to.name,
        &column.from.name,
    )
}

/// Whether standalone sequence `name` (owned as `owned_by` says, in `from` or `to`) is handed over
/// by its column's own change.
fn handed_over(
    matching: &Matching,
    name: &Name,
    owned_by: Option<&(Name, String)>,
    in_to: bool,
) -> bool {
    let Some((table, column)) = owned_by else {
        return false;
    };
    let Some(pair) = matching.table(table) else {
        return false;
    };
    match in_to {
        true => pair
            .kept_to(column)
            .and_then(|kept| serial_after_identity(matching, table, kept))
            .is_some_and(|(handed, _)| handed == name),
        false => pair
            .kept_from(column)
            .and_then(|kept| serial_taken_by_identity(matching, table, kept))
            .is_some_and(|handed| handed == name),
    }
}

/// The options that follow `GENERATED ... AS IDENTITY` for column `column` of `table` in `schema`:
/// its sequence's name when PostgreSQL would choose another, and the options that are not the
/// defaults; empty when there are none.
pub(super) fn identity_options(schema: &Schema, table: &Name, column: &str) -> String {
    let Some((name, sequence)) = identity_sequence(schema, table, column) else {
        return String::new();
    };
    let mut options = String::new();
    let usual_name = Name::new(table.schema.clone(), format!("{}_{column}_seq", table.name));
    if *name != usual_name {
        options.push_str(&format!(" SEQUENCE NAME {}", name.quoted()));
    }
    options.push_str(&non_default_options(sequence));
    match options.is_empty() {
        true => String::new(),
        false => format!(" ({})", options.trim_start()),
    }
}

/// Identity columns kept as identity columns: their sequence renamed when `to` names it otherwise
/// (a renamed column keeps its sequence's name), and its options changed.
fn plan_identity(matching: &Matching, steps: &mut Steps) {
    for table in &matching.tables {
        for column in &table.kept {
            if column.replaced || column.from.identity.is_none() || column.to.identity.is_none() {
                continue;
            }
            let old = identity_sequence(matching.from, table.name, &column.from.name);
            let new = identity_sequence(matching.to, table.name, &column.to.name);
            let (Some((old_name, old)), Some((new_name, new))) = (old, new) else {
                continue;
            };
            if old_name != new_name {
                steps.push(
                    Phase::OwnSequence,
                    format!(
                        "ALTER SEQUENCE {} RENAME TO {};",
                        old_name.quoted(),
                        quote_identifier(&new_name.name)
                    ),
                );
            }
            // Narrowing the column narrows its sequence, which must fit the new type by then;
            // widening it widens the sequence, which only then takes the wider bounds.
            let phase = match type_width(&new.data_type) < type_width(&old.data_type) {
                true => Phase::CreateSequence,
                false => Phase::OwnSequence,
            };
            let name = match phase {
                Phase::CreateSequence => old_name,
                _ => new_name,
            };
            alter(steps, phase, name, old, new);
        }
    }
}

/// How many bytes a sequence of `data_type` counts in.
fn type_width(data_type: &str) -> u8 {
    match data_type {
        "smallint" => 2,
        "integer" => 4,
        _ => 8,
    }
}

/// `ALTER SEQUENCE` of sequence `name` from `old` to `new`, when they differ. When the new bounds
/// leave out where the sequence started, its current value may well lie outside them, which the
/// server refuses: it restarts at its new start, marked for review (the values it gave so far may
/// collide with the new ones; only the database knows its current value).
fn alter(steps: &mut Steps, phase: Phase, name: &Name, old: &Sequence, new: &Sequence) {
    let Some(options) = changed_options(old, new) else {
        return;
    };
    let outside = old.start < new.min || old.start > new.max;
    match outside {
        false => steps.push(phase, format!("ALTER SEQUENCE {}{options};", name.quoted())),
        true => steps.push_for_review(
            phase,
            format!("ALTER SEQUENCE {}{options} RESTART;", name.quoted()),
            format!(
                "restarts sequence {name} at {}: its new bounds leave out where it started, so its current value may lie outside them; check the values it gave so far cannot collide",
                new.start
            ),
        ),
    }
}

/// The `ALTER SEQUENCE` options that take `old` to `new`, when any differs.
fn changed_options(old: &Sequence, new: &Sequence) -> Option<String> {
    let mut options = String::new();
    if old.data_type != new.data_type {
        options.push_str(&format!(" AS {}", new.data_type));
    }
    if old.increment != new.increment {
        options.push_str(&format!(" INCREMENT BY {}", new.increment));
    }
    if old.min != new.min {
        options.push_str(&format!(" MINVALUE {}", new.min));
    }
    if old.max != new.max {
        options.push_str(&format!(" MAXVALUE {}", new.max));
    }
    if old.start != new.start {
        options.push_str(&format!(" START WITH {}", new.start));
    }
    if old.cache != new.cache {
        options.push_str(&format!(" CACHE {}", new.cache));
    }
    if old.cycle != new.cycle {
        options.push_str(if new.cycle { " CYCLE" } else { " NO CYCLE" });
    }
    (!options.is_empty()).then_some(options)
}
