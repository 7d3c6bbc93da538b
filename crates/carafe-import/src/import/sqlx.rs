//! sqlx: `<VERSION>_<DESCRIPTION>.sql` (a simple, irreversible migration) or a
//! `<VERSION>_<DESCRIPTION>.up.sql` / `.down.sql` pair, in the directory itself; the version is
//! an `i64` greater than zero, the description the rest with `_` read as spaces; a script whose
//! text starts with `-- no-transaction` runs outside a transaction (sqlx `migrate/source.rs`,
//! `migrate/migration.rs`).

use super::{Read, at_top, text};
use crate::error::Problems;
use crate::sql::SourceMode;
use crate::{SourceMigration, SourceScript};
use carafe_core::SourceFile;
use std::collections::BTreeMap;

const NO_TRANSACTION: &str = "-- no-transaction";

#[derive(Default)]
struct Pair {
    name: String,
    up: Option<SourceScript>,
    down: Option<SourceScript>,
}

pub(super) fn read(files: &[SourceFile], problems: &mut Problems, read: &mut Read) {
    let mut pairs: BTreeMap<i64, Pair> = BTreeMap::new();
    for file in files {
        if !at_top(&file.name) {
            read.ignored.push((
                file.name.clone(),
                "sqlx reads only the directory's own files".to_owned(),
            ));
            continue;
        }
        let Some((version, rest)) = file
            .name
            .split_once('_')
            .filter(|(_, rest)| rest.ends_with(".sql"))
        else {
            read.ignored.push((
                file.name.clone(),
                "not named `<VERSION>_<DESCRIPTION>.sql`".to_owned(),
            ));
            continue;
        };
        let version = match version.parse::<i64>() {
            Ok(version) if version > 0 => version,
            _ => {
                problems.push(&file.name, format!("`{version}` is not a sqlx version (a whole number above 0, read as an i64): sqlx itself refuses this file; rename it"));
                continue;
            }
        };
        let (stem, is_down) = match (rest.strip_suffix(".up.sql"), rest.strip_suffix(".down.sql")) {
            (Some(stem), _) => (stem, false),
            (_, Some(stem)) => (stem, true),
            _ => (rest.trim_end_matches(".sql"), false),
        };
        let Some(sql) = text(file, problems) else {
            continue;
        };
        let pair = pairs.entry(version).or_default();
        let slot = match is_down {
            true => &mut pair.down,
            false => &mut pair.up,
        };
        if let Some(other) = slot {
            problems.push(&file.name, format!("has version {version} like `{}`: sqlx refuses two migrations of one version; renumber one of them first", other.path));
            continue;
        }
        *slot = Some(SourceScript {
            path: file.name.clone(),
            sql,
        });
        if !is_down || pair.name.is_empty() {
            pair.name = stem.replace('_', " ");
        }
    }
    for (version, pair) in pairs {
        let Some(up) = pair.up else {
            if let Some(down) = pair.down {
                problems.push(&down.path, format!("is a down script with no `{version}_*.up.sql` beside it: add the up script or delete this one"));
            }
            continue;
        };
        let mode = |script: &SourceScript| match script.sql.starts_with(NO_TRANSACTION) {
            true => SourceMode::NoTransaction {
                flag: NO_TRANSACTION,
            },
            false => SourceMode::Wrapped,
        };
        let up_mode = mode(&up);
        let down_mode = pair.down.as_ref().map_or(SourceMode::Wrapped, mode);
        read.migrations.push(SourceMigration {
            version: version.to_string(),
            name: pair.name.trim().to_owned(),
            up,
            down: pair.down,
            up_mode,
            down_mode,
            notes: Vec::new(),
        });
    }
}
