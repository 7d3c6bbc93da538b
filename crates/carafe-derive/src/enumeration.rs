//! `#[derive(Enum)]`: a Rust enum of unit variants into a `carafe::model::Enum`, and the column type
//! a model's field of that enum gets.

use crate::attributes::{for_each, key, optional_str, set_string};
use crate::names::{check_length, doc_comment, snake};
use proc_macro2::{Span, TokenStream};
use quote::quote;

/// What the enum declares.
pub(crate) struct Declaration {
    rust_name: String,
    schema: String,
    name: String,
    values: Vec<String>,
    comment: Option<String>,
}

pub(crate) fn expand(input: &syn::DeriveInput) -> syn::Result<TokenStream> {
    let declaration = Declaration::read(input)?;
    Ok(declaration.tokens(&input.ident))
}

impl Declaration {
    fn read(input: &syn::DeriveInput) -> syn::Result<Declaration> {
        let syn::Data::Enum(data) = &input.data else {
            return Err(syn::Error::new(
                input.ident.span(),
                "`#[derive(carafe::Enum)]` declares a PostgreSQL enum from a Rust enum",
            ));
        };
        if !input.generics.params.is_empty() {
            return Err(syn::Error::new(
                input.ident.span(),
                "a PostgreSQL enum cannot be generic",
            ));
        }
        let mut name = None;
        let mut schema = None;
        for_each(&input.attrs, |meta| {
            match key(&meta).as_str() {
                "name" => set_string(&meta, &mut name)?,
                "schema" => set_string(&meta, &mut schema)?,
                other => {
                    return Err(meta.error(format!(
                        "unknown enum attribute `{other}`: expected `name` or `schema`"
                    )));
                }
            }
            Ok(())
        })?;
        let rust_name = input.ident.to_string();
        let (name, span) = name.unwrap_or_else(|| (snake(&rust_name), input.ident.span()));
        check_length(&name, span, "type name")?;
        let schema = schema
            .map(|(schema, _)| schema)
            .unwrap_or_else(|| "public".into());
        let mut values: Vec<String> = Vec::new();
        for variant in &data.variants {
            if !matches!(variant.fields, syn::Fields::Unit) {
                return Err(syn::Error::new(
                    variant.ident.span(),
                    "a PostgreSQL enum's variants carry no data: make this a unit variant",
                ));
            }
            let mut rename: Option<(String, Span)> = None;
            for_each(&variant.attrs, |meta| {
                match key(&meta).as_str() {
                    "rename" => set_string(&meta, &mut rename)?,
                    other => {
                        return Err(meta.error(format!(
                            "unknown variant attribute `{other}`: expected `rename`"
                        )));
                    }
                }
                Ok(())
            })?;
            let (label, span) =
                rename.unwrap_or_else(|| (snake(&variant.ident.to_string()), variant.ident.span()));
            check_length(&label, span, "enum label")?;
            if label.is_empty() {
                return Err(syn::Error::new(span, "an enum label cannot be empty"));
            }
            if values.contains(&label) {
                return Err(syn::Error::new(
                    span,
                    format!(
                        "label `{label}` is declared twice: give one variant `#[carafe(rename = \"...\")]`"
                    ),
                ));
            }
            values.push(label);
        }
        if values.is_empty() {
            return Err(syn::Error::new(
                input.ident.span(),
                "a PostgreSQL enum needs at least one variant",
            ));
        }
        Ok(Declaration {
            rust_name,
            schema,
            name,
            values,
            comment: doc_comment(&input.attrs),
        })
    }

    fn tokens(&self, ident: &syn::Ident) -> TokenStream {
        let Declaration {
            rust_name,
            schema,
            name,
            values,
            ..
        } = self;
        let qualified = format!(
            "\"{}\".\"{}\"",
            schema.replace('"', "\"\""),
            name.replace('"', "\"\"")
        );
        let comment = optional_str(&self.comment.clone().map(|c| (c, Span::call_site())));
        quote! {
            impl ::carafe::model::PgEnum for #ident {
                fn definition() -> &'static ::carafe::model::Enum {
                    static ENUM: ::carafe::model::Enum = ::carafe::model::Enum {
                        rust_name: #rust_name,
                        schema: #schema,
                        name: #name,
                        values: &[#(#values),*],
                        comment: #comment,
                    };
                    &ENUM
                }
            }

            impl ::carafe::model::SqlType for #ident {
                const TYPE: ::carafe::model::ColumnType = ::carafe::model::ColumnType {
                    name: #qualified,
                    dimensions: 0,
                    nullable: false,
                    enumeration: ::core::option::Option::Some(
                        <#ident as ::carafe::model::PgEnum>::definition,
                    ),
                };
            }

            impl ::carafe::model::ArrayElement for #ident {}
        }
    }
}
