//! `#[derive(Table)]`: a struct's fields and `#[carafe(...)]` attributes into a
//! `carafe::model::Table`.

use crate::attributes::{
    action, for_each, identifiers, key, optional_str, set_flag, set_string, string,
};
use crate::names::{check_length, doc_comment, snake, table_name};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

/// What the struct declares.
pub(crate) struct Declaration {
    rust_name: String,
    schema: String,
    name: String,
    comment: Option<String>,
    columns: Vec<ColumnDeclaration>,
    primary_key: Vec<String>,
    uniques: Vec<Vec<String>>,
    checks: Vec<String>,
    indexes: Vec<IndexDeclaration>,
    foreign_keys: Vec<ForeignKeyDeclaration>,
}

struct ColumnDeclaration {
    field: String,
    name: String,
    sql_type: TokenStream,
    default: Option<(String, Span)>,
    identity: Option<TokenStream>,
    generated: Option<(String, Span)>,
    collation: Option<(String, Span)>,
    checks: Vec<String>,
    comment: Option<String>,
}

struct IndexDeclaration {
    name: Option<(String, Span)>,
    keys: Vec<String>,
    expression: bool,
    method: Option<(String, Span)>,
    unique: bool,
    predicate: Option<(String, Span)>,
}

struct ForeignKeyDeclaration {
    columns: Vec<String>,
    references: syn::Path,
    referenced_columns: Vec<String>,
    on_delete: TokenStream,
    on_update: TokenStream,
}

pub(crate) fn expand(input: &syn::DeriveInput) -> syn::Result<TokenStream> {
    let declaration = Declaration::read(input)?;
    Ok(declaration.tokens(&input.ident))
}

/// The field a struct-level list names, as its column name.
fn column_of(fields: &[(syn::Ident, String)], ident: &syn::Ident) -> syn::Result<String> {
    fields
        .iter()
        .find(|(field, _)| field == ident)
        .map(|(_, column)| column.clone())
        .ok_or_else(|| {
            syn::Error::new(
                ident.span(),
                format!("no field `{ident}` in this struct (a skipped field has no column)"),
            )
        })
}

/// Whether the field's type is `Option<...>`.
fn is_option(ty: &syn::Type) -> bool {
    last_segment(ty).is_some_and(|segment| segment.ident == "Option")
}

fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        _ => None,
    }
}

/// Whether the field's type (inside an `Option`) is an integer that an identity column can be.
fn is_identity_integer(ty: &syn::Type, sql_type: Option<&str>) -> bool {
    if let Some(sql_type) = sql_type {
        let lower = sql_type.trim().to_lowercase();
        return [
            "smallint", "int2", "integer", "int", "int4", "bigint", "int8",
        ]
        .contains(&lower.as_str());
    }
    let Some(segment) = last_segment(ty) else {
        return false;
    };
    ["i16", "i32", "i64"]
        .iter()
        .any(|name| segment.ident == name)
}

impl Declaration {
    fn read(input: &syn::DeriveInput) -> syn::Result<Declaration> {
        if !input.generics.params.is_empty() {
            return Err(syn::Error::new(
                input.generics.span(),
                "a table model cannot be generic: declare one struct per table",
            ));
        }
        let syn::Data::Struct(syn::DataStruct {
            fields: syn::Fields::Named(fields),
            ..
        }) = &input.data
        else {
            return Err(syn::Error::new(
                input.ident.span(),
                "`#[derive(carafe::Table)]` declares a table from a struct with named fields",
            ));
        };
        let rust_name = input.ident.to_string();
        let mut table_option = None;
        let mut schema_option = None;
        let mut primary_key_list: Option<(Vec<syn::Ident>, Span)> = None;
        let mut unique_lists = Vec::new();
        let mut index_specs = Vec::new();
        let mut checks = Vec::new();
        let mut foreign_key_specs = Vec::new();
        for_each(&input.attrs, |meta| {
            match key(&meta).as_str() {
                "table" => set_string(&meta, &mut table_option)?,
                "schema" => set_string(&meta, &mut schema_option)?,
                "primary_key" => {
                    if primary_key_list.is_some() {
                        return Err(meta.error("`primary_key(...)` is given twice"));
                    }
                    primary_key_list = Some((identifiers(&meta)?, meta.path.span()));
                }
                "unique" => unique_lists.push(identifiers(&meta)?),
                "index" => index_specs.push(IndexSpec::read(&meta, None)?),
                "check" => checks.push(string(&meta)?.0),
                "foreign_key" => foreign_key_specs.push(ForeignKeySpec::read(&meta)?),
                other => {
                    return Err(meta.error(format!(
                        "unknown table attribute `{other}`: expected `table`, `schema`, `primary_key(...)`, `unique(...)`, `index(...)`, `check` or `foreign_key(...)`"
                    )));
                }
            }
            Ok(())
        })?;
        let name = match &table_option {
            Some((name, span)) => {
                check_length(name, *span, "table name")?;
                name.clone()
            }
            None => {
                let name = table_name(&rust_name);
                check_length(&name, input.ident.span(), "table name")?;
                name
            }
        };
        let schema = match &schema_option {
            Some((schema, span)) => {
                check_length(schema, *span, "schema name")?;
                schema.clone()
            }
            None => "public".to_owned(),
        };

        let mut field_columns: Vec<(syn::Ident, String)> = Vec::new();
        let mut columns = Vec::new();
        let mut primary_key: Vec<String> = Vec::new();
        let mut field_key_span = None;
        let mut uniques = Vec::new();
        let mut indexes = Vec::new();
        let mut foreign_keys = Vec::new();
        for field in &fields.named {
            let Some(field_ident) = &field.ident else {
                continue;
            };
            let options = FieldOptions::read(field)?;
            if options.skip.is_some() {
                continue;
            }
            let column = match &options.name {
                Some((name, span)) => {
                    check_length(name, *span, "column name")?;
                    name.clone()
                }
                None => snake(&field_ident.to_string()),
            };
            check_length(&column, field_ident.span(), "column name")?;
            if columns
                .iter()
                .any(|seen: &ColumnDeclaration| seen.name == column)
            {
                return Err(syn::Error::new(
                    field_ident.span(),
                    format!(
                        "column `{column}` is declared twice: give one field `#[carafe(name = \"...\")]`"
                    ),
                ));
            }
            field_columns.push((field_ident.clone(), column.clone()));
            if let Some(span) = options.primary_key {
                if is_option(&field.ty) {
                    return Err(syn::Error::new(
                        span,
                        "a primary key column cannot be NULL: drop the `Option`",
                    ));
                }
                primary_key.push(column.clone());
                field_key_span = Some(span);
            }
            if options.unique.is_some() {
                uniques.push(vec![column.clone()]);
            }
            for index in options.indexes {
                indexes.push(index.declaration(vec![column.clone()]));
            }
            if let Some(references) = options.references {
                foreign_keys.push(ForeignKeyDeclaration {
                    columns: vec![column.clone()],
                    references,
                    referenced_columns: options
                        .referenced_column
                        .iter()
                        .map(|(name, _)| name.clone())
                        .collect(),
                    on_delete: options
                        .on_delete
                        .unwrap_or_else(|| quote!(::core::option::Option::None)),
                    on_update: options
                        .on_update
                        .unwrap_or_else(|| quote!(::core::option::Option::None)),
                });
            }
            columns.push(ColumnDeclaration {
                field: field_ident.to_string(),
                name: column,
                sql_type: options.sql_type,
                default: options.default,
                identity: options.identity,
                generated: options.generated,
                collation: options.collation,
                checks: options.checks,
                comment: doc_comment(&field.attrs),
            });
        }
        if columns.is_empty() {
            return Err(syn::Error::new(
                input.ident.span(),
                "a table model needs at least one column",
            ));
        }
        if let Some((list, span)) = primary_key_list {
            if field_key_span.is_some() {
                return Err(syn::Error::new(
                    span,
                    "the primary key is declared twice: on a field and as `primary_key(...)`; keep one",
                ));
            }
            for ident in &list {
                primary_key.push(column_of(&field_columns, ident)?);
            }
        }
        if primary_key.len() > 1 && field_key_span.is_some() {
            return Err(syn::Error::new(
                field_key_span.unwrap_or_else(Span::call_site),
                "more than one field says `primary_key`: declare a composite key on the struct, `#[carafe(primary_key(a, b))]`",
            ));
        }
        for list in unique_lists {
            let names = list
                .iter()
                .map(|ident| column_of(&field_columns, ident))
                .collect::<syn::Result<Vec<_>>>()?;
            uniques.push(names);
        }
        for spec in index_specs {
            let keys = spec
                .columns
                .iter()
                .map(|ident| column_of(&field_columns, ident))
                .collect::<syn::Result<Vec<_>>>()?;
            indexes.push(spec.declaration(keys));
        }
        for spec in foreign_key_specs {
            let columns = spec
                .columns
                .iter()
                .map(|ident| column_of(&field_columns, ident))
                .collect::<syn::Result<Vec<_>>>()?;
            foreign_keys.push(ForeignKeyDeclaration {
                columns,
                references: spec.references,
                referenced_columns: spec.referenced_columns,
                on_delete: spec.on_delete,
                on_update: spec.on_update,
            });
        }
        Ok(Declaration {
            rust_name,
            schema,
            name,
            comment: doc_comment(&input.attrs),
            columns,
            primary_key,
            uniques,
            checks,
            indexes,
            foreign_keys,
        })
    }

    fn tokens(&self, ident: &syn::Ident) -> TokenStream {
        let Declaration {
            rust_name,
            schema,
            name,
            ..
        } = self;
        let comment = optional_str(&self.comment.clone().map(|c| (c, Span::call_site())));
        let columns = self.columns.iter().map(ColumnDeclaration::tokens);
        let primary_key = &self.primary_key;
        let uniques = self.uniques.iter().map(|list| quote!(&[#(#list),*]));
        let checks = &self.checks;
        let indexes = self.indexes.iter().map(IndexDeclaration::tokens);
        let foreign_keys = self.foreign_keys.iter().map(ForeignKeyDeclaration::tokens);
        quote! {
            impl ::carafe::model::Model for #ident {
                fn table() -> &'static ::carafe::model::Table {
                    static TABLE: ::carafe::model::Table = ::carafe::model::Table {
                        rust_name: #rust_name,
                        schema: #schema,
                        name: #name,
                        comment: #comment,
                        columns: &[#(#columns),*],
                        primary_key: &[#(#primary_key),*],
                        uniques: &[#(#uniques),*],
                        checks: &[#(#checks),*],
                        indexes: &[#(#indexes),*],
                        foreign_keys: &[#(#foreign_keys),*],
                    };
                    &TABLE
                }
            }
        }
    }
}

impl ColumnDeclaration {
    fn tokens(&self) -> TokenStream {
        let ColumnDeclaration {
            field,
            name,
            sql_type,
            checks,
            ..
        } = self;
        let default = optional_str(&self.default);
        let generated = optional_str(&self.generated);
        let collation = optional_str(&self.collation);
        let comment = optional_str(&self.comment.clone().map(|c| (c, Span::call_site())));
        let identity = match &self.identity {
            Some(identity) => quote!(::core::option::Option::Some(#identity)),
            None => quote!(::core::option::Option::None),
        };
        quote! {
            ::carafe::model::Column {
                field: #field,
                name: #name,
                sql_type: #sql_type,
                default: #default,
                identity: #identity,
                generated: #generated,
                collation: #collation,
                checks: &[#(#checks),*],
                comment: #comment,
            }
        }
    }
}

impl IndexDeclaration {
    fn tokens(&self) -> TokenStream {
        let keys = &self.keys;
        let expression = self.expression;
        let unique = self.unique;
        let name = optional_str(&self.name);
        let method = optional_str(&self.method);
        let predicate = optional_str(&self.predicate);
        quote! {
            ::carafe::model::Index {
                name: #name,
                keys: &[#(#keys),*],
                expression: #expression,
                method: #method,
                unique: #unique,
                predicate: #predicate,
            }
        }
    }
}

impl ForeignKeyDeclaration {
    fn tokens(&self) -> TokenStream {
        let columns = &self.columns;
        let referenced_columns = &self.referenced_columns;
        let references = &self.references;
        let on_delete = &self.on_delete;
        let on_update = &self.on_update;
        let target =
            quote_spanned!(references.span()=> <#references as ::carafe::model::Model>::table);
        quote! {
            ::carafe::model::ForeignKey {
                columns: &[#(#columns),*],
                references: #target,
                referenced_columns: &[#(#referenced_columns),*],
                on_delete: #on_delete,
                on_update: #on_update,
            }
        }
    }
}

/// `index`, `index(...)` on a field or `index(...)` on the struct.
struct IndexSpec {
    columns: Vec<syn::Ident>,
    expression: Option<(String, Span)>,
    name: Option<(String, Span)>,
    method: Option<(String, Span)>,
    unique: Option<Span>,
    predicate: Option<(String, Span)>,
}

impl IndexSpec {
    /// Reads `index(...)`; on a field (`field` given) the index is on that field's column.
    fn read(
        meta: &syn::meta::ParseNestedMeta,
        field: Option<&syn::Ident>,
    ) -> syn::Result<IndexSpec> {
        let mut spec = IndexSpec {
            columns: Vec::new(),
            expression: None,
            name: None,
            method: None,
            unique: None,
            predicate: None,
        };
        if meta.input.is_empty() || meta.input.peek(syn::Token![,]) {
            if field.is_none() {
                return Err(meta.error(
                    "a table's `index(...)` names its columns: `index(price)` or `index(columns(a, b), method = \"gin\")`",
                ));
            }
            return Ok(spec);
        }
        meta.parse_nested_meta(|inner| {
            match key(&inner).as_str() {
                "name" => set_string(&inner, &mut spec.name)?,
                "method" => set_string(&inner, &mut spec.method)?,
                "where" => set_string(&inner, &mut spec.predicate)?,
                "expression" => set_string(&inner, &mut spec.expression)?,
                "unique" => set_flag(&inner, &mut spec.unique)?,
                "columns" => spec.columns.extend(identifiers(&inner)?),
                other => {
                    let bare = inner.input.is_empty() || inner.input.peek(syn::Token![,]);
                    match (field, inner.path.get_ident()) {
                        (None, Some(ident)) if bare => spec.columns.push(ident.clone()),
                        (None, _) => {
                            return Err(inner.error(format!(
                                "unknown index option `{other}`: expected `name`, `method`, `where`, `unique`, `columns(...)`, `expression` or a field name"
                            )));
                        }
                        (Some(_), _) => {
                            return Err(inner.error(format!(
                                "unknown index option `{other}`: expected `name`, `method`, `where` or `unique`"
                            )));
                        }
                    }
                }
            }
            Ok(())
        })?;
        let on_field = field.is_some() && (!spec.columns.is_empty() || spec.expression.is_some());
        if on_field {
            return Err(meta.error(
                "an index on a field is on that field: name other columns or an expression in the struct's `#[carafe(index(...))]`",
            ));
        }
        if field.is_none() && spec.columns.is_empty() == spec.expression.is_none() {
            return Err(meta.error(
                "an index is on columns or on an expression: give `columns(...)` (or field names) or `expression = \"...\"`, not both",
            ));
        }
        for (text, span) in [&spec.method, &spec.predicate, &spec.expression, &spec.name]
            .into_iter()
            .flatten()
        {
            if text.trim().is_empty() {
                return Err(syn::Error::new(*span, "this index option is empty"));
            }
        }
        Ok(spec)
    }

    fn declaration(self, columns: Vec<String>) -> IndexDeclaration {
        let (keys, expression) = match self.expression {
            Some((expression, _)) => (vec![expression], true),
            None => (columns, false),
        };
        IndexDeclaration {
            name: self.name,
            keys,
            expression,
            method: self.method,
            unique: self.unique.is_some(),
            predicate: self.predicate,
        }
    }
}

/// The struct's `foreign_key(columns(a, b), references = Model, referenced_columns(x, y), ...)`.
struct ForeignKeySpec {
    columns: Vec<syn::Ident>,
    references: syn::Path,
    referenced_columns: Vec<String>,
    on_delete: TokenStream,
    on_update: TokenStream,
}

impl ForeignKeySpec {
    fn read(meta: &syn::meta::ParseNestedMeta) -> syn::Result<ForeignKeySpec> {
        let mut columns = Vec::new();
        let mut references = None;
        let mut referenced_columns = Vec::new();
        let mut on_delete = None;
        let mut on_update = None;
        meta.parse_nested_meta(|inner| {
            match key(&inner).as_str() {
                "columns" => columns = identifiers(&inner)?,
                "references" => references = Some(inner.value()?.parse::<syn::Path>()?),
                "referenced_columns" => {
                    referenced_columns = identifiers(&inner)?
                        .iter()
                        .map(|ident| snake(&ident.to_string()))
                        .collect();
                }
                "on_delete" => on_delete = Some(action(&inner)?),
                "on_update" => on_update = Some(action(&inner)?),
                other => {
                    return Err(inner.error(format!(
                        "unknown foreign key option `{other}`: expected `columns(...)`, `references`, `referenced_columns(...)`, `on_delete` or `on_update`"
                    )));
                }
            }
            Ok(())
        })?;
        let Some(references) = references else {
            return Err(meta.error("a foreign key names its model: `references = Producer`"));
        };
        if columns.is_empty() {
            return Err(meta.error("a foreign key names its columns: `columns(a, b)`"));
        }
        Ok(ForeignKeySpec {
            columns,
            references,
            referenced_columns,
            on_delete: on_delete.unwrap_or_else(|| quote!(::core::option::Option::None)),
            on_update: on_update.unwrap_or_else(|| quote!(::core::option::Option::None)),
        })
    }
}

/// A field's `#[carafe(...)]`.
struct FieldOptions {
    name: Option<(String, Span)>,
    sql_type: TokenStream,
    primary_key: Option<Span>,
    unique: Option<Span>,
    indexes: Vec<IndexSpec>,
    checks: Vec<String>,
    default: Option<(String, Span)>,
    identity: Option<TokenStream>,
    generated: Option<(String, Span)>,
    collation: Option<(String, Span)>,
    references: Option<syn::Path>,
    referenced_column: Option<(String, Span)>,
    on_delete: Option<TokenStream>,
    on_update: Option<TokenStream>,
    skip: Option<Span>,
}

impl FieldOptions {
    fn read(field: &syn::Field) -> syn::Result<FieldOptions> {
        let mut name = None;
        let mut sql_type = None;
        let mut primary_key = None;
        let mut unique = None;
        let mut indexes = Vec::new();
        let mut checks = Vec::new();
        let mut default = None;
        let mut identity: Option<(TokenStream, Span)> = None;
        let mut generated = None;
        let mut collation = None;
        let mut references: Option<(syn::Path, Span)> = None;
        let mut referenced_column = None;
        let mut on_delete = None;
        let mut on_update = None;
        let mut skip = None;
        let mut other_keys: Vec<Span> = Vec::new();
        for_each(&field.attrs, |meta| {
            let span = meta.path.span();
            match key(&meta).as_str() {
                "name" => set_string(&meta, &mut name)?,
                "sql_type" => set_string(&meta, &mut sql_type)?,
                "primary_key" => set_flag(&meta, &mut primary_key)?,
                "unique" => set_flag(&meta, &mut unique)?,
                "index" => indexes.push(IndexSpec::read(&meta, field.ident.as_ref())?),
                "check" => checks.push(string(&meta)?.0),
                "default" => set_string(&meta, &mut default)?,
                "generated" => set_string(&meta, &mut generated)?,
                "collation" => set_string(&meta, &mut collation)?,
                "referenced_column" => set_string(&meta, &mut referenced_column)?,
                "skip" => set_flag(&meta, &mut skip)?,
                "identity" => {
                    if identity.is_some() {
                        return Err(meta.error("`identity` is given twice"));
                    }
                    let variant = match meta.input.peek(syn::Token![=]) {
                        false => quote!(Always),
                        true => match string(&meta)?.0.as_str() {
                            "always" => quote!(Always),
                            "by_default" | "by default" => quote!(ByDefault),
                            other => {
                                return Err(meta.error(format!(
                                    "`identity = \"{other}\"`: write `identity` (always) or `identity = \"by_default\"`"
                                )));
                            }
                        },
                    };
                    identity = Some((quote!(::carafe::model::Identity::#variant), span));
                }
                "references" => {
                    if references.is_some() {
                        return Err(meta.error("`references` is given twice"));
                    }
                    references = Some((meta.value()?.parse::<syn::Path>()?, span));
                }
                "on_delete" => on_delete = Some((action(&meta)?, span)),
                "on_update" => on_update = Some((action(&meta)?, span)),
                other => {
                    return Err(meta.error(format!(
                        "unknown column attribute `{other}`: expected `name`, `sql_type`, `primary_key`, `unique`, `index`, `check`, `default`, `identity`, `generated`, `collation`, `references`, `referenced_column`, `on_delete`, `on_update` or `skip`"
                    )));
                }
            }
            if key(&meta) != "skip" {
                other_keys.push(span);
            }
            Ok(())
        })?;
        if let (Some(_), Some(span)) = (skip, other_keys.first()) {
            return Err(syn::Error::new(
                *span,
                "a skipped field has no column: drop its other carafe attributes",
            ));
        }
        let conflicts = [
            (
                identity.as_ref().map(|(_, s)| *s),
                default.as_ref().map(|(_, s)| *s),
                "an identity column takes no `default`",
            ),
            (
                identity.as_ref().map(|(_, s)| *s),
                generated.as_ref().map(|(_, s)| *s),
                "a column is either `identity` or `generated`",
            ),
            (
                generated.as_ref().map(|(_, s)| *s),
                default.as_ref().map(|(_, s)| *s),
                "a generated column takes no `default`",
            ),
        ];
        for (first, second, message) in conflicts {
            if let (Some(_), Some(span)) = (first, second) {
                return Err(syn::Error::new(span, message));
            }
        }
        let needs_references = [
            referenced_column.as_ref().map(|(_, s)| *s),
            on_delete.as_ref().map(|(_, s)| *s),
            on_update.as_ref().map(|(_, s)| *s),
        ];
        if references.is_none()
            && let Some(span) = needs_references.into_iter().flatten().next()
        {
            {
                return Err(syn::Error::new(
                    span,
                    "this foreign key option needs `references = Model` on the same field",
                ));
            }
        }
        if let Some((text, span)) = &sql_type
            && let Some(problem) = crate::sql_type::problem(text)
        {
            return Err(syn::Error::new(*span, problem));
        }
        if let Some((_, span)) = &identity {
            if !is_identity_integer(&field.ty, sql_type.as_ref().map(|(t, _)| t.as_str())) {
                return Err(syn::Error::new(
                    *span,
                    "an identity column is an integer: make the field `i16`, `i32` or `i64`",
                ));
            }
            if is_option(&field.ty) {
                return Err(syn::Error::new(
                    *span,
                    "an identity column is never NULL: drop the `Option`",
                ));
            }
        }
        for (text, span) in [&default, &generated, &collation].into_iter().flatten() {
            if text.trim().is_empty() {
                return Err(syn::Error::new(*span, "this column option is empty"));
            }
        }
        let ty = &field.ty;
        let sql_type = match &sql_type {
            Some((text, _)) => {
                let nullable = is_option(ty);
                let text = text.trim();
                quote! {
                    ::carafe::model::ColumnType {
                        name: #text,
                        dimensions: 0,
                        nullable: #nullable,
                        enumeration: ::core::option::Option::None,
                    }
                }
            }
            None => quote_spanned!(ty.span()=> <#ty as ::carafe::model::SqlType>::TYPE),
        };
        Ok(FieldOptions {
            name,
            sql_type,
            primary_key,
            unique,
            indexes,
            checks,
            default,
            identity: identity.map(|(tokens, _)| tokens),
            generated,
            collation,
            references: references.map(|(path, _)| path),
            referenced_column,
            on_delete: on_delete.map(|(tokens, _)| tokens),
            on_update: on_update.map(|(tokens, _)| tokens),
            skip,
        })
    }
}
