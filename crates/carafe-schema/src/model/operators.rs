//! Operators (`CREATE OPERATOR`): a symbol for a function of one or two arguments, with what the
//! planner may know of it (its commutator and negator, selectivity estimators, whether it can
//! hash or merge joins).

use super::{Name, Signature};

/// An operator's identity: its name and argument types (`None` on the left for a prefix one), as
/// `format_type` prints them.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperatorSignature {
    /// Schema and symbol, e.g. `public.===`.
    pub name: Name,
    /// `LEFTARG`, or `None` for a prefix operator.
    pub left: Option<String>,
    /// `RIGHTARG`.
    pub right: String,
}

impl OperatorSignature {
    /// `OPERATOR(schema.===)`, as `COMMUTATOR` and `NEGATOR` name one.
    pub fn qualified(&self) -> String {
        format!(
            "OPERATOR({}.{})",
            super::quote_identifier(&self.name.schema),
            self.name.name
        )
    }

    /// `"schema".=== (left, right)`, as `DROP OPERATOR` and `COMMENT ON OPERATOR` name one.
    pub fn target(&self) -> String {
        format!(
            "{}.{} ({}, {})",
            super::quote_identifier(&self.name.schema),
            self.name.name,
            self.left.as_deref().unwrap_or("NONE"),
            self.right
        )
    }
}

/// An operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operator {
    /// `FUNCTION`: what it computes.
    pub function: Signature,
    /// `COMMUTATOR`, as `OPERATOR(schema.op)`.
    pub commutator: Option<String>,
    /// `NEGATOR`, as `OPERATOR(schema.op)`.
    pub negator: Option<String>,
    /// `RESTRICT`: the restriction selectivity estimator.
    pub restrict: Option<String>,
    /// `JOIN`: the join selectivity estimator.
    pub join: Option<String>,
    /// `HASHES`.
    pub hashes: bool,
    /// `MERGES`.
    pub merges: bool,
    /// `COMMENT ON OPERATOR`.
    pub comment: Option<String>,
}
