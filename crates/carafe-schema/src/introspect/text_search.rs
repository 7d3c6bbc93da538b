//! Text search dictionaries and configurations (`pg_ts_dict`, `pg_ts_config`,
//! `pg_ts_config_map`): a dictionary's template and options, a configuration's parser and, per
//! token type, the dictionaries in the order they are tried; and their comments. One query: each
//! row is one or the other.

use super::{Kind, name_at};
use crate::{Schema, TextSearchConfiguration, TextSearchDictionary};
use postgres::Row;

pub(super) const KIND: Kind = Kind {
    what: "text search",
    query: QUERY,
    file,
};

/// Each row: kind, schema, name, the template's or parser's schema and name, the token types and
/// (aligned) their dictionaries, quoted and joined by the unit separator (`chr(31)`, which no name
/// holds), a dictionary's options, the comment.
const QUERY: &str = concat!(
    "SELECT 'dictionary' AS kind, n.nspname, d.dictname, tn.nspname, t.tmplname, \
            '{}'::text[], '{}'::text[], coalesce(d.dictinitoption, ''), comment.description \
     FROM pg_ts_dict d \
     JOIN pg_namespace n ON n.oid = d.dictnamespace \
     JOIN pg_ts_template t ON t.oid = d.dicttemplate \
     JOIN pg_namespace tn ON tn.oid = t.tmplnamespace \
     LEFT JOIN pg_description comment ON comment.objoid = d.oid \
      AND comment.classoid = 'pg_ts_dict'::regclass AND comment.objsubid = 0 \
     WHERE ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_ts_dict", "d.oid"),
    " UNION ALL \
     SELECT 'configuration', n.nspname, c.cfgname, pn.nspname, p.prsname, \
            mapping.tokens, mapping.dictionaries, '', comment.description \
     FROM pg_ts_config c \
     JOIN pg_namespace n ON n.oid = c.cfgnamespace \
     JOIN pg_ts_parser p ON p.oid = c.cfgparser \
     JOIN pg_namespace pn ON pn.oid = p.prsnamespace \
     CROSS JOIN LATERAL ( \
       SELECT coalesce(array_agg(m.alias ORDER BY m.alias), '{}') AS tokens, \
              coalesce(array_agg(m.dictionaries ORDER BY m.alias), '{}') AS dictionaries \
       FROM (SELECT token.alias, \
                    string_agg(quote_ident(dn.nspname) || '.' || quote_ident(dict.dictname), \
                               chr(31) ORDER BY cm.mapseqno) AS dictionaries \
             FROM pg_ts_config_map cm \
             JOIN ts_token_type(c.cfgparser) token ON token.tokid = cm.maptokentype \
             JOIN pg_ts_dict dict ON dict.oid = cm.mapdict \
             JOIN pg_namespace dn ON dn.oid = dict.dictnamespace \
             WHERE cm.mapcfg = c.oid \
             GROUP BY token.alias) m) mapping \
     LEFT JOIN pg_description comment ON comment.objoid = c.oid \
      AND comment.classoid = 'pg_ts_config'::regclass AND comment.objsubid = 0 \
     WHERE ",
    user_namespace!(),
    " AND ",
    not_extension_member!("pg_ts_config", "c.oid"),
);

fn file(rows: &[Row], schema: &mut Schema) -> Result<(), postgres::Error> {
    for row in rows {
        let name = name_at(row, 1)?;
        let base = name_at(row, 3)?;
        let comment: Option<String> = row.try_get(8)?;
        match row.try_get::<_, &str>(0)? {
            "dictionary" => {
                let dictionary = TextSearchDictionary {
                    template: base,
                    options: row.try_get(7)?,
                    comment,
                };
                schema.text_search_dictionaries.insert(name, dictionary);
            }
            _ => {
                let tokens: Vec<String> = row.try_get(5)?;
                let dictionaries: Vec<String> = row.try_get(6)?;
                let mappings = tokens
                    .into_iter()
                    .zip(dictionaries)
                    .map(|(token, dictionaries)| {
                        let list = dictionaries.split('\u{1f}').map(str::to_owned).collect();
                        (token, list)
                    })
                    .collect();
                let configuration = TextSearchConfiguration {
                    parser: base,
                    mappings,
                    comment,
                };
                schema
                    .text_search_configurations
                    .insert(name, configuration);
            }
        }
    }
    Ok(())
}
