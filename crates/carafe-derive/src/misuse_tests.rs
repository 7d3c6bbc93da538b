//! Misused attributes are compile errors at the attribute or field: each case is a snippet and
//! what the compiler would show, the message and the underlined text.

/// The error `derive` gives for `source`, as `message @ underlined text`.
fn error(
    derive: fn(&syn::DeriveInput) -> syn::Result<proc_macro2::TokenStream>,
    source: &str,
) -> String {
    let input: syn::DeriveInput = syn::parse_str(source).expect("a snippet that parses");
    let Err(error) = derive(&input) else {
        return "no error".to_owned();
    };
    let span = error.span();
    let (start, end) = (span.start(), span.end());
    let lines: Vec<&str> = source.lines().collect();
    let underlined = match start.line == end.line {
        true => lines[start.line - 1]
            .get(start.column..end.column)
            .unwrap_or("?")
            .to_owned(),
        false => format!("{}...", &lines[start.line - 1][start.column..]),
    };
    format!("{error} @ {underlined}")
}

fn table(source: &str) -> String {
    error(crate::table::expand, source)
}

#[test]
fn misused_table_attributes_point_at_the_field_or_attribute() {
    let cases = [
        (
            "struct Product { #[carafe(primary_key)] sku: Option<String> }",
            "a primary key column cannot be NULL: drop the `Option` @ primary_key",
        ),
        (
            "struct Product { #[carafe(primery_key)] sku: String }",
            "unknown column attribute `primery_key`: expected `name`, `sql_type`, `primary_key`, `unique`, `index`, `check`, `default`, `identity`, `generated`, `collation`, `references`, `referenced_column`, `on_delete`, `on_update` or `skip` @ primery_key",
        ),
        (
            "struct Product { #[carafe(sql_type = \"strng\")] name: String }",
            "PostgreSQL has no built-in type `strng`: write a built-in type, or qualify a type that `schema.sql` or an extension declares (`public.strng`) @ \"strng\"",
        ),
        (
            "struct Product { #[carafe(identity, default = \"1\")] id: i64 }",
            "an identity column takes no `default` @ \"1\"",
        ),
        (
            "struct Product { #[carafe(identity)] id: String }",
            "an identity column is an integer: make the field `i16`, `i32` or `i64` @ identity",
        ),
        (
            "struct Product { #[carafe(generated = \"1\", default = \"2\")] n: i32 }",
            "a generated column takes no `default` @ \"2\"",
        ),
        (
            "struct Product { #[carafe(on_delete = \"cascade\")] producer_id: i64 }",
            "this foreign key option needs `references = Model` on the same field @ on_delete",
        ),
        (
            "struct Product { #[carafe(references = Producer, on_delete = \"explode\")] producer_id: i64 }",
            "`explode` is not a referential action: write `cascade`, `restrict`, `set null`, `set default` or `no action` @ \"explode\"",
        ),
        (
            "struct Product { #[carafe(skip, unique)] cache: i64 }",
            "a skipped field has no column: drop its other carafe attributes @ unique",
        ),
        (
            "struct Product { #[carafe(unique, unique)] sku: String }",
            "`unique` is given twice @ unique",
        ),
        (
            "#[carafe(primary_key(sku, nope))] struct Product { sku: String }",
            "no field `nope` in this struct (a skipped field has no column) @ nope",
        ),
        (
            "#[carafe(primary_key(sku))] struct Product { #[carafe(primary_key)] sku: String }",
            "the primary key is declared twice: on a field and as `primary_key(...)`; keep one @ primary_key",
        ),
        (
            "struct Product { #[carafe(primary_key)] a: i32, #[carafe(primary_key)] b: i32 }",
            "more than one field says `primary_key`: declare a composite key on the struct, `#[carafe(primary_key(a, b))]` @ primary_key",
        ),
        (
            "#[carafe(tabel = \"x\")] struct Product { sku: String }",
            "unknown table attribute `tabel`: expected `table`, `schema`, `primary_key(...)`, `unique(...)`, `index(...)`, `check` or `foreign_key(...)` @ tabel",
        ),
        (
            "#[carafe(index(columns(sku), expression = \"lower(sku)\"))] struct Product { sku: String }",
            "an index is on columns or on an expression: give `columns(...)` (or field names) or `expression = \"...\"`, not both @ index(columns(sku), expression = \"lower(sku)\")",
        ),
        (
            "struct Product { #[carafe(index(method = \"gin\", sizes))] tags: Vec<String> }",
            "unknown index option `sizes`: expected `name`, `method`, `where` or `unique` @ sizes",
        ),
        (
            "#[carafe(foreign_key(columns(a)))] struct Product { a: i32 }",
            "a foreign key names its model: `references = Producer` @ foreign_key(columns(a))",
        ),
        (
            "struct Product { #[carafe(name = \"b\")] a: i32, b: i32 }",
            "column `b` is declared twice: give one field `#[carafe(name = \"...\")]` @ b",
        ),
        (
            "struct AVeryLongNameForATableThatPostgresqlWouldCutShortBecauseOfItsLimit { a: i32 }",
            "table name `a_very_long_name_for_a_table_that_postgresql_would_cut_short_because_of_its_limits` is 82 bytes; PostgreSQL keeps 63 and would cut it: give a shorter name @ AVeryLongNameForATableThatPostgresqlWouldCutShortBecauseOfItsLimit",
        ),
        (
            "struct Product<T> { a: T }",
            "a table model cannot be generic: declare one struct per table @ <T>",
        ),
        (
            "struct Product(i32);",
            "`#[derive(carafe::Table)]` declares a table from a struct with named fields @ Product",
        ),
    ];
    for (source, expected) in cases {
        assert_eq!(table(source), expected, "{source}");
    }
}

#[test]
fn misused_enum_attributes_point_at_the_variant() {
    let cases = [
        (
            "enum Colour { Red, Other(String) }",
            "a PostgreSQL enum's variants carry no data: make this a unit variant @ Other",
        ),
        (
            "enum Colour { Red, #[carafe(rename = \"red\")] Crimson }",
            "label `red` is declared twice: give one variant `#[carafe(rename = \"...\")]` @ \"red\"",
        ),
        (
            "enum Colour { #[carafe(label = \"r\")] Red }",
            "unknown variant attribute `label`: expected `rename` @ label",
        ),
        (
            "enum Colour {}",
            "a PostgreSQL enum needs at least one variant @ Colour",
        ),
    ];
    for (source, expected) in cases {
        assert_eq!(
            error(crate::enumeration::expand, source),
            expected,
            "{source}"
        );
    }
}

#[test]
fn a_well_formed_model_expands() {
    assert_eq!(
        table(
            "#[carafe(index(price))] struct Product { #[carafe(primary_key)] sku: String, price: i64 }"
        ),
        "no error"
    );
}
