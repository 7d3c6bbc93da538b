//! Row-level security: the table switch (`ENABLE`, `FORCE`, `DISABLE`), and policies, dropped
//! before the columns and functions they use change and created once those exist. A changed policy
//! is dropped and created anew; those of a dropped table go with it. Turning row-level security on
//! or off changes who sees which rows, so both are marked for review.

use super::matching::Matching;
use super::steps::{Phase, Steps};
use crate::model::quote_identifier;
use crate::{Dependent, Name, Policy, Referenced, RowSecurity, Schema, Table};

pub(super) fn plan(matching: &Matching, steps: &mut Steps) {
    let (from, to) = (matching.from, matching.to);
    for (table_name, table) in &from.tables {
        if matching.table_dropped(table_name) {
            drop_ahead_of_what_they_read(matching, table_name, table, steps);
            continue;
        }
        for name in table.policies.keys() {
            if kept(matching, table_name, name) {
                continue;
            }
            let sql = format!(
                "DROP POLICY {} ON {};",
                quote_identifier(name),
                table_name.quoted()
            );
            match policy(to, table_name, name) {
                Some(_) => steps.push(Phase::DropPolicy, sql),
                None => steps.push_for_review(
                    Phase::DropPolicy,
                    sql,
                    format!("drops policy {name} on {table_name}: the rows it let through are no longer visible through it"),
                ),
            }
        }
    }
    for (table_name, table) in &to.tables {
        let had = from
            .tables
            .get(table_name)
            .map_or(RowSecurity::Disabled, |old| old.row_security);
        switch(steps, table_name, had, table.row_security);
        for (name, wanted) in &table.policies {
            if !kept(matching, table_name, name) {
                steps.push(Phase::CreatePolicy, create(table_name, name, wanted));
            }
        }
    }
}

/// The policies of a table that goes which read another table or view that goes: dropped first,
/// since that one may go before this table does.
/// Whether policy `name` of `from`'s table `table` reads a view that is dropped (to go, or to be
/// created again), so it must go first.
fn reads_dropped_view(matching: &Matching, table: &Name, name: &str) -> bool {
    let dependent = Dependent::Policy(table.clone(), name.to_owned());
    matching.from.dependencies.iter().any(|dependency| {
        dependency.dependent == dependent
            && matches!(&dependency.on, Referenced::Relation(read) if matching.view_dropped(read))
    })
}

fn drop_ahead_of_what_they_read(
    matching: &Matching,
    table_name: &Name,
    table: &Table,
    steps: &mut Steps,
) {
    for name in table.policies.keys() {
        let dependent = Dependent::Policy(table_name.clone(), name.clone());
        let reads_what_goes = matching.from.dependencies.iter().any(|dependency| {
            dependency.dependent == dependent
                && matches!(&dependency.on, Referenced::Relation(read)
                    if matching.view_dropped(read)
                        || (matching.from.tables.contains_key(read) && matching.table_dropped(read)))
        });
        if reads_what_goes {
            steps.push(
                Phase::DropPolicy,
                format!(
                    "DROP POLICY {} ON {};",
                    quote_identifier(name),
                    table_name.quoted()
                ),
            );
        }
    }
}

/// Whether policy `name` of `table` stays as it is (comments aside).
pub(super) fn kept(matching: &Matching, table: &Name, name: &str) -> bool {
    match (
        policy(matching.from, table, name),
        policy(matching.to, table, name),
    ) {
        (Some(old), Some(new)) => {
            !matching.recreated(&Dependent::Policy(table.clone(), name.to_owned()))
                && !reads_dropped_view(matching, table, name)
                && old.permissive == new.permissive
                && old.command == new.command
                && old.roles == new.roles
                && old.using == new.using
                && old.with_check == new.with_check
        }
        _ => false,
    }
}

fn policy<'s>(schema: &'s Schema, table: &Name, name: &str) -> Option<&'s Policy> {
    schema.tables.get(table)?.policies.get(name)
}

/// `ALTER TABLE ... ENABLE / FORCE / NO FORCE / DISABLE ROW LEVEL SECURITY`, to go from `had` to
/// `wanted`.
fn switch(steps: &mut Steps, table: &Name, had: RowSecurity, wanted: RowSecurity) {
    if had == wanted {
        return;
    }
    let alter = format!("ALTER TABLE {}", table.quoted());
    let mut sql = Vec::new();
    if had == RowSecurity::Disabled {
        sql.push(format!("{alter} ENABLE ROW LEVEL SECURITY;"));
    }
    match (had, wanted) {
        (_, RowSecurity::Forced) => sql.push(format!("{alter} FORCE ROW LEVEL SECURITY;")),
        (RowSecurity::Forced, _) => sql.push(format!("{alter} NO FORCE ROW LEVEL SECURITY;")),
        _ => {}
    }
    if wanted == RowSecurity::Disabled {
        sql.push(format!("{alter} DISABLE ROW LEVEL SECURITY;"));
    }
    let review = match wanted {
        RowSecurity::Disabled => format!(
            "turns row-level security off on {table}: every role with access sees every row"
        ),
        RowSecurity::Enabled => format!(
            "turns row-level security on for {table}: roles but its owner see only the rows a policy lets through"
        ),
        RowSecurity::Forced => format!(
            "turns row-level security on for {table}, its owner included: every role sees only the rows a policy lets through"
        ),
    };
    steps.push_for_review(Phase::RowSecurity, sql.join("\n"), review);
}

fn create(table: &Name, name: &str, policy: &Policy) -> String {
    let mut sql = format!(
        "CREATE POLICY {} ON {}\n    AS {} FOR {} TO {}",
        quote_identifier(name),
        table.quoted(),
        match policy.permissive {
            true => "PERMISSIVE",
            false => "RESTRICTIVE",
        },
        policy.command,
        policy.roles.join(", "),
    );
    if let Some(using) = &policy.using {
        sql.push_str(&format!("\n    USING ({using})"));
    }
    if let Some(check) = &policy.with_check {
        sql.push_str(&format!("\n    WITH CHECK ({check})"));
    }
    sql.push(';');
    sql
}
