//! Extensions: each installed extension and the schema its objects live in.

use super::Kind;
use crate::{Extension, Schema};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "extensions",
    query: QUERY,
    file,
};

const QUERY: &str = "SELECT e.extname, n.nspname \
                     FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace";

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let extension = Extension {
            schema: row.try_get(1)?,
        };
        schema.extensions.insert(row.try_get(0)?, extension);
    }
    Ok(())
}
