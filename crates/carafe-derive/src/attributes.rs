//! Reading `#[carafe(...)]`: string values, identifier lists, referential actions, and refusing a
//! key given twice.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;

/// Calls `each` on every item of every `#[carafe(...)]` attribute.
pub(crate) fn for_each(
    attributes: &[syn::Attribute],
    mut each: impl FnMut(ParseNestedMeta) -> syn::Result<()>,
) -> syn::Result<()> {
    for attribute in attributes.iter().filter(|a| a.path().is_ident("carafe")) {
        attribute.parse_nested_meta(&mut each)?;
    }
    Ok(())
}

/// The key's name, for messages.
pub(crate) fn key(meta: &ParseNestedMeta) -> String {
    meta.path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_else(|| "?".to_owned())
}

/// `key = "text"`: the text and its span.
pub(crate) fn string(meta: &ParseNestedMeta) -> syn::Result<(String, Span)> {
    let literal: syn::LitStr = meta.value()?.parse()?;
    Ok((literal.value(), literal.span()))
}

/// `key = "text"` into `slot`, refusing a second one.
pub(crate) fn set_string(
    meta: &ParseNestedMeta,
    slot: &mut Option<(String, Span)>,
) -> syn::Result<()> {
    if slot.is_some() {
        return Err(meta.error(format!("`{}` is given twice", key(meta))));
    }
    *slot = Some(string(meta)?);
    Ok(())
}

/// A bare flag into `slot`, refusing a second one.
pub(crate) fn set_flag(meta: &ParseNestedMeta, slot: &mut Option<Span>) -> syn::Result<()> {
    if slot.is_some() {
        return Err(meta.error(format!("`{}` is given twice", key(meta))));
    }
    *slot = Some(meta.path.segments[0].ident.span());
    Ok(())
}

/// `key(a, b)`: the identifiers.
pub(crate) fn identifiers(meta: &ParseNestedMeta) -> syn::Result<Vec<syn::Ident>> {
    let mut names = Vec::new();
    meta.parse_nested_meta(|inner| match inner.path.get_ident() {
        Some(ident) if inner.input.is_empty() || inner.input.peek(syn::Token![,]) => {
            names.push(ident.clone());
            Ok(())
        }
        _ => Err(inner.error("expected a field name")),
    })?;
    if names.is_empty() {
        return Err(meta.error(format!("`{}(...)` names no field", key(meta))));
    }
    Ok(names)
}

/// A referential action: `cascade`, `restrict`, `set null`, `set default`, `no action`.
pub(crate) fn action(meta: &ParseNestedMeta) -> syn::Result<proc_macro2::TokenStream> {
    let (text, span) = string(meta)?;
    let variant = match text.to_lowercase().replace('_', " ").as_str() {
        "cascade" => quote::quote!(Cascade),
        "restrict" => quote::quote!(Restrict),
        "set null" => quote::quote!(SetNull),
        "set default" => quote::quote!(SetDefault),
        "no action" => quote::quote!(NoAction),
        _ => {
            return Err(syn::Error::new(
                span,
                format!(
                    "`{text}` is not a referential action: write `cascade`, `restrict`, `set null`, `set default` or `no action`"
                ),
            ));
        }
    };
    Ok(quote::quote!(::core::option::Option::Some(::carafe::model::Action::#variant)))
}

/// `Some("text")` or `None`, as tokens.
pub(crate) fn optional_str(value: &Option<(String, Span)>) -> proc_macro2::TokenStream {
    match value {
        Some((text, _)) => quote::quote!(::core::option::Option::Some(#text)),
        None => quote::quote!(::core::option::Option::None),
    }
}
