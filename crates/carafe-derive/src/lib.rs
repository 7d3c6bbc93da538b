//! carafe-derive: the derive macros behind `carafe::Table` and `carafe::Enum`. Each reads the
//! item's `#[carafe(...)]` attributes into a declaration ([`table::Declaration`],
//! [`enumeration::Declaration`]), refusing unknown or contradictory ones with an error at the
//! attribute, and writes a `static` of `carafe::model` data. Use them through the `carafe` crate
//! (feature `derive`, on by default); the attribute reference is in `carafe::model`'s docs.

mod attributes;
mod enumeration;
mod names;
mod sql_type;
mod table;

use proc_macro::TokenStream;

/// Declares a table: see `carafe::Table`.
#[proc_macro_derive(Table, attributes(carafe))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    table::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Declares a PostgreSQL enum: see `carafe::Enum`.
#[proc_macro_derive(Enum, attributes(carafe))]
pub fn derive_enum(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    enumeration::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

#[cfg(test)]
mod misuse_tests;
