//! Full-text search objects of a schema: dictionaries (`CREATE TEXT SEARCH DICTIONARY`, a template
//! with options, such as a French snowball stemmer with its stop words) and configurations
//! (`CREATE TEXT SEARCH CONFIGURATION`: a parser, and the dictionaries each kind of token goes
//! through). Parsers and templates are left to extensions and the server.

use super::Name;
use std::collections::BTreeMap;

/// A text search dictionary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextSearchDictionary {
    /// `TEMPLATE`, e.g. `pg_catalog.snowball`.
    pub template: Name,
    /// Its options as the server keeps them (`language = 'french', stopwords = 'french'`), in
    /// the order given; empty for none.
    pub options: String,
    /// `COMMENT ON TEXT SEARCH DICTIONARY`.
    pub comment: Option<String>,
}

/// A text search configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextSearchConfiguration {
    /// `PARSER`, e.g. `pg_catalog.default`.
    pub parser: Name,
    /// For each token type (`asciiword`, `word`, ...) its parser has a mapping for: the
    /// dictionaries, qualified and quoted, in the order they are tried.
    pub mappings: BTreeMap<String, Vec<String>>,
    /// `COMMENT ON TEXT SEARCH CONFIGURATION`.
    pub comment: Option<String>,
}
