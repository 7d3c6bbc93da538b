//! Extensions: each installed extension, the schema its objects live in, its version, and whether
//! it can move to another schema.

use super::Kind;
use crate::{Extension, Schema};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "extensions",
    query: QUERY,
    file,
};

const QUERY: &str = "SELECT e.extname, n.nspname, e.extversion, e.extrelocatable \
                     FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace";

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let extension = Extension {
            schema: row.try_get(1)?,
            version: row.try_get(2)?,
            relocatable: row.try_get(3)?,
        };
        schema.extensions.insert(row.try_get(0)?, extension);
    }
    Ok(())
}
