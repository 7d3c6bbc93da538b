//! Schemas: every namespace but the system ones and those an extension owns, with its comment.

use super::Kind;
use crate::Schema;
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "schemas",
    query: QUERY,
    file,
};

const QUERY: &str = concat!(
    "SELECT n.nspname, comment.description FROM pg_namespace n \
     LEFT JOIN pg_description comment \
       ON comment.objoid = n.oid AND comment.classoid = 'pg_namespace'::regclass \
      AND comment.objsubid = 0 \
     WHERE ",
    user_namespace!()
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let name: String = row.try_get(0)?;
        if let Some(comment) = row.try_get::<_, Option<String>>(1)? {
            schema.schema_comments.insert(name.clone(), comment);
        }
        schema.schemas.insert(name);
    }
    Ok(())
}
