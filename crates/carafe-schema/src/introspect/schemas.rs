//! Schemas: every namespace but the system ones and those an extension owns.

use super::Kind;
use crate::Schema;
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "schemas",
    query: QUERY,
    file,
};

const QUERY: &str = concat!(
    "SELECT n.nspname FROM pg_namespace n WHERE ",
    user_namespace!()
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        schema.schemas.insert(row.try_get(0)?);
    }
    Ok(())
}
