//! golang-migrate: `{version}_{title}.up.{ext}` and `{version}_{title}.down.{ext}` in the
//! directory itself, `{version}` an unsigned integer (source `parse.go`: `^([0-9]+)_(.*)\.(down|up)\.(.*)$`).
//! The postgres driver sends each file as one query and wraps nothing, so files usually carry
//! their own `BEGIN; ... COMMIT;`, which carafe removes (see `sql.rs`).

use super::{Read, at_top, is_digits, text, words};
use crate::error::Problems;
use crate::sql::SourceMode;
use crate::{SourceMigration, SourceScript};
use carafe_core::SourceFile;
use std::collections::BTreeMap;

#[derive(Default)]
struct Pair {
    title: String,
    up: Option<SourceScript>,
    down: Option<SourceScript>,
}

pub(super) fn read(files: &[SourceFile], problems: &mut Problems, read: &mut Read) {
    let mut pairs: BTreeMap<u64, Pair> = BTreeMap::new();
    for file in files {
        let parsed = at_top(&file.name).then(|| parse_name(&file.name)).flatten();
        let Some((version, title, is_up)) = parsed else {
            read.ignored.push((
                file.name.clone(),
                "not named `{version}_{title}.up.sql` or `.down.sql` in the directory itself"
                    .to_owned(),
            ));
            continue;
        };
        let Ok(version) = version.parse::<u64>() else {
            problems.push(
                &file.name,
                format!("`{version}` is too large for a golang-migrate version: rename it"),
            );
            continue;
        };
        let Some(sql) = text(file, problems) else {
            continue;
        };
        let pair = pairs.entry(version).or_default();
        let slot = match is_up {
            true => &mut pair.up,
            false => &mut pair.down,
        };
        if let Some(other) = slot {
            problems.push(&file.name, format!("has version {version} like `{}`: golang-migrate refuses two migrations of one version; renumber one of them first", other.path));
            continue;
        }
        *slot = Some(SourceScript {
            path: file.name.clone(),
            sql,
        });
        if is_up || pair.title.is_empty() {
            pair.title = words(title);
        }
    }
    for (version, pair) in pairs {
        let Some(up) = pair.up else {
            if let Some(down) = pair.down {
                problems.push(&down.path, format!("is a down script with no `{version}_*.up.sql` beside it: add the up script or delete this one"));
            }
            continue;
        };
        read.migrations.push(SourceMigration {
            version: version.to_string(),
            name: pair.title,
            up,
            down: pair.down,
            up_mode: SourceMode::OneQuery,
            down_mode: SourceMode::OneQuery,
            notes: Vec::new(),
        });
    }
}

/// `000003_add_index.up.sql` as `("000003", "add_index", true)`.
fn parse_name(name: &str) -> Option<(&str, &str, bool)> {
    let (version, rest) = name.split_once('_')?;
    if !is_digits(version) {
        return None;
    }
    let (stem, _extension) = rest.rsplit_once('.')?;
    if let Some(title) = stem.strip_suffix(".up") {
        return Some((version, title, true));
    }
    stem.strip_suffix(".down")
        .map(|title| (version, title, false))
}
