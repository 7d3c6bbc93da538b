//! The diff on hand-built schemas (no database): what runs before what, what is flagged for review,
//! renames offered or confirmed, and the revision file a person reads. Each case snapshots the file
//! `render_revision` writes for `diff(from, to)` up and `diff(to, from)` down.

use carafe_core::SourceFile;
use carafe_schema::{
    Column, ColumnSettings, Constraint, ConstraintKind, EnumType, Extension, ForeignOptions,
    ForeignTable, Generated, Grant, Identity, Index, Name, Owned, Privileges, RenameCandidate,
    Renames, Schema, Securable, Sequence, Table, View, diff, render_revision,
};
use std::collections::{BTreeMap, BTreeSet};

// ---------------------------------------------------------------------------------------------
// Building schemas by hand, in the shape introspection gives them (qualified, server-printed).

fn public(name: &str) -> Name {
    Name::new("public", name)
}

/// An empty database: schema `public` (with initdb's comment), extension `plpgsql`.
fn database() -> Schema {
    let mut schema = Schema::default();
    schema.schemas.insert("public".to_owned());
    schema
        .schema_comments
        .insert("public".to_owned(), "standard public schema".to_owned());
    schema.extensions.insert(
        "plpgsql".to_owned(),
        Extension {
            schema: "pg_catalog".to_owned(),
            version: "1.0".to_owned(),
            relocatable: false,
        },
    );
    schema
}

/// A nullable column without default.
fn column(name: &str, data_type: &str) -> Column {
    Column {
        name: name.to_owned(),
        data_type: data_type.to_owned(),
        not_null: false,
        default: None,
        identity: None,
        generated: None,
        collation: None,
        settings: ColumnSettings::default(),
        inherited: false,
        comment: None,
    }
}

fn not_null(column: Column) -> Column {
    Column {
        not_null: true,
        ..column
    }
}

fn with_default(column: Column, default: &str) -> Column {
    Column {
        default: Some(default.to_owned()),
        ..column
    }
}

fn table(columns: Vec<Column>) -> Table {
    Table {
        columns,
        ..Table::default()
    }
}

fn with_constraint(mut table: Table, name: &str, kind: ConstraintKind, definition: &str) -> Table {
    let references = definition.split_once("REFERENCES ").map(|(_, rest)| {
        let qualified = rest.split('(').next().unwrap_or_default();
        let (schema, name) = qualified.split_once('.').unwrap_or(("public", qualified));
        Name::new(schema, name)
    });
    table.constraints.insert(
        name.to_owned(),
        Constraint {
            kind,
            definition: definition.to_owned(),
            references,
            inherited: false,
            comment: None,
        },
    );
    table
}

fn with_index(mut table: Table, name: &str, definition: &str) -> Table {
    table.indexes.insert(
        name.to_owned(),
        Index {
            definition: definition.to_owned(),
            inherited: false,
            comment: None,
        },
    );
    table
}

fn view(definition: &str, reads: &[&str]) -> View {
    View {
        definition: definition.to_owned(),
        materialized: false,
        depends_on: reads.iter().map(|name| public(name)).collect(),
        columns_read: BTreeMap::new(),
        options: Vec::new(),
        indexes: BTreeMap::new(),
        triggers: BTreeMap::new(),
        comment: None,
        column_comments: BTreeMap::new(),
    }
}

fn colour(labels: &[&str]) -> EnumType {
    EnumType {
        labels: labels.iter().map(|label| label.to_string()).collect(),
        comment: None,
    }
}

/// The revision file that takes `from` to `to` (down: back), after checking that carafe reads it
/// as a valid migration.
fn revision(from: &Schema, to: &Schema, renames: &Renames) -> String {
    let up = diff(from, to, renames);
    let down = diff(to, from, &renames.reversed());
    assert!(!up.is_empty() && !down.is_empty(), "both directions change");
    let text = render_revision("the change under test", &up, &down);
    let loaded = carafe_core::load(&[SourceFile::new("0001_change.sql", text.clone())]);
    assert!(
        loaded
            .problems
            .iter()
            .all(|problem| problem.kind.is_about_sum()),
        "carafe reads the file: {:?}\n{text}",
        loaded.problems
    );
    text
}

/// The position of the first line of `text` that starts with `prefix`.
fn line_of(text: &str, prefix: &str) -> usize {
    text.lines()
        .position(|line| line.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starts with `{prefix}` in\n{text}"))
}

// ---------------------------------------------------------------------------------------------
// The SAQ Sommelier catalogue, as migrations 0001 to 0003 leave it.

fn saq_products() -> Table {
    let mut products = table(vec![
        not_null(column("sku", "text")),
        not_null(column("name", "text")),
        column("producer", "text"),
        not_null(column("country", "text")),
        column("region", "text"),
        not_null(column("colour", "text")),
        column("grape", "text"),
        with_default(not_null(column("volume_ml", "integer")), "750"),
        not_null(column("price", "numeric(10,2)")),
        with_default(
            not_null(column("created_at", "timestamp with time zone")),
            "now()",
        ),
        with_default(
            not_null(column("updated_at", "timestamp with time zone")),
            "now()",
        ),
        column("vintage", "smallint"),
    ]);
    products.comment = Some("The SAQ catalogue: one row per product".to_owned());
    products.columns[0].comment = Some("SAQ code, as printed on the shelf label".to_owned());
    let checks = [
        ("products_sku_check", "CHECK ((sku ~ '^[0-9]{5,8}$'::text))"),
        ("products_name_check", "CHECK ((name <> ''::text))"),
        (
            "products_colour_check",
            "CHECK ((colour = ANY (ARRAY['red'::text, 'white'::text, 'rosé'::text, 'orange'::text, 'sparkling'::text, 'fortified'::text])))",
        ),
        ("products_volume_ml_check", "CHECK ((volume_ml > 0))"),
        ("products_price_check", "CHECK ((price >= (0)::numeric))"),
        (
            "products_vintage_check",
            "CHECK (((vintage >= 1800) AND (vintage <= 2100)))",
        ),
    ];
    products = with_constraint(
        products,
        "products_pkey",
        ConstraintKind::PrimaryKey,
        "PRIMARY KEY (sku)",
    );
    for (name, definition) in checks {
        products = with_constraint(products, name, ConstraintKind::Check, definition);
    }
    with_index(
        products,
        "products_price_idx",
        "CREATE INDEX products_price_idx ON public.products USING btree (price)",
    )
}

/// The SAQ catalogue after migrations `0001` to `0003` (the corpus checks it against them).
pub(crate) fn saq_catalogue() -> Schema {
    let mut schema = database();
    schema.tables.insert(public("products"), saq_products());
    schema
}

#[test]
fn saq_products_gain_a_column_and_an_index() {
    let before = saq_catalogue();
    let mut after = saq_catalogue();
    let products = after.tables.remove(&public("products")).expect("products");
    let mut products = with_constraint(
        products,
        "products_alcohol_check",
        ConstraintKind::Check,
        "CHECK (((alcohol >= (0)::numeric) AND (alcohol <= (100)::numeric)))",
    );
    products.columns.push(Column {
        comment: Some("percent by volume, as printed on the label".to_owned()),
        ..column("alcohol", "numeric(4,1)")
    });
    let products = with_index(
        products,
        "products_country_region_idx",
        "CREATE INDEX products_country_region_idx ON public.products USING btree (country, region)",
    );
    after.tables.insert(public("products"), products);
    let text = render_revision(
        "Add the alcohol content, in percent by volume.\nIndex products by country and region.",
        &diff(&before, &after, &Renames::default()),
        &diff(&after, &before, &Renames::default()),
    );
    insta::assert_snapshot!(text);
    let loaded = carafe_core::load(&[SourceFile::new(
        "0004_add_alcohol_column_to_products.sql",
        text,
    )]);
    let migration = loaded
        .set
        .iter()
        .next()
        .expect("the file reads as a migration");
    assert_eq!(
        migration.description,
        "Add the alcohol content, in percent by volume.\nIndex products by country and region."
    );
}

// ---------------------------------------------------------------------------------------------
// Dependency order.

#[test]
fn a_foreign_key_to_a_new_table_comes_after_that_table_and_its_key() {
    let before = saq_catalogue();
    let mut after = saq_catalogue();
    let producers = with_constraint(
        table(vec![
            not_null(column("id", "bigint")),
            not_null(column("name", "text")),
        ]),
        "producers_pkey",
        ConstraintKind::PrimaryKey,
        "PRIMARY KEY (id)",
    );
    after.tables.insert(public("producers"), producers);
    let products = after.tables.get_mut(&public("products")).expect("products");
    products.columns.push(column("producer_id", "bigint"));
    *products = with_constraint(
        products.clone(),
        "products_producer_id_fkey",
        ConstraintKind::ForeignKey,
        "FOREIGN KEY (producer_id) REFERENCES public.producers(id) ON DELETE SET NULL",
    );
    let text = revision(&before, &after, &Renames::default());
    let create = line_of(&text, "CREATE TABLE \"public\".\"producers\"");
    let key = line_of(&text, "ALTER TABLE \"public\".\"producers\" ADD CONSTRAINT");
    let column = line_of(&text, "ALTER TABLE \"public\".\"products\" ADD COLUMN");
    let foreign_key = line_of(
        &text,
        "ALTER TABLE \"public\".\"products\" ADD CONSTRAINT \"products_producer_id_fkey\"",
    );
    assert!(create < key && key < foreign_key && column < foreign_key);
    // Down: the foreign key goes before the table it points at.
    let down = &text[text.find("-- migrate:down").expect("down")..];
    assert!(
        line_of(down, "ALTER TABLE \"public\".\"products\" DROP CONSTRAINT")
            < line_of(down, "DROP TABLE \"public\".\"producers\"")
    );
    insta::assert_snapshot!(text);
}

#[test]
fn a_view_over_a_dropped_column_goes_first_and_comes_back_last() {
    let mut before = saq_catalogue();
    before.views.insert(
        public("reds"),
        view(
            " SELECT products.sku,\n    products.grape\n   FROM public.products\n  WHERE products.colour = 'red'::text;",
            &["products"],
        ),
    );
    // A view over the view: dropped before it, created after it.
    before.views.insert(
        public("red_grapes"),
        view(
            " SELECT DISTINCT reds.grape\n   FROM public.reds;",
            &["reds"],
        ),
    );
    let mut after = before.clone();
    let products = after.tables.get_mut(&public("products")).expect("products");
    products.columns.retain(|column| column.name != "grape");
    after.views.insert(
        public("reds"),
        view(
            " SELECT products.sku\n   FROM public.products\n  WHERE products.colour = 'red'::text;",
            &["products"],
        ),
    );
    after.views.insert(
        public("red_grapes"),
        view(" SELECT count(*) AS count\n   FROM public.reds;", &["reds"]),
    );
    let text = revision(&before, &after, &Renames::default());
    let drop_outer = line_of(&text, "DROP VIEW \"public\".\"red_grapes\"");
    let drop_inner = line_of(&text, "DROP VIEW \"public\".\"reds\"");
    let drop_column = line_of(
        &text,
        "ALTER TABLE \"public\".\"products\" DROP COLUMN \"grape\"",
    );
    let create_inner = line_of(&text, "CREATE VIEW \"public\".\"reds\"");
    let create_outer = line_of(&text, "CREATE VIEW \"public\".\"red_grapes\"");
    assert!(drop_outer < drop_inner && drop_inner < drop_column);
    assert!(drop_column < create_inner && create_inner < create_outer);
    insta::assert_snapshot!(text);
}

#[test]
fn a_view_over_an_unchanged_table_is_left_alone() {
    let mut before = saq_catalogue();
    before.views.insert(
        public("reds"),
        view(
            " SELECT products.sku\n   FROM public.products;",
            &["products"],
        ),
    );
    let mut after = before.clone();
    after
        .tables
        .get_mut(&public("products"))
        .expect("products")
        .columns
        .push(column("alcohol", "numeric(4,1)"));
    let up = diff(&before, &after, &Renames::default());
    assert_eq!(
        up.script(),
        "ALTER TABLE \"public\".\"products\" ADD COLUMN \"alcohol\" numeric(4,1);\n"
    );
}

#[test]
fn tables_pointing_at_each_other_are_dropped_after_their_foreign_keys() {
    let before = {
        let mut schema = database();
        let a = with_constraint(
            table(vec![
                column("b_id", "bigint"),
                not_null(column("id", "bigint")),
            ]),
            "a_b_fkey",
            ConstraintKind::ForeignKey,
            "FOREIGN KEY (b_id) REFERENCES public.b(id)",
        );
        let b = with_constraint(
            table(vec![
                column("a_id", "bigint"),
                not_null(column("id", "bigint")),
            ]),
            "b_a_fkey",
            ConstraintKind::ForeignKey,
            "FOREIGN KEY (a_id) REFERENCES public.a(id)",
        );
        schema.tables.insert(public("a"), a);
        schema.tables.insert(public("b"), b);
        schema
    };
    insta::assert_snapshot!(diff(&before, &database(), &Renames::default()).script());
}

// ---------------------------------------------------------------------------------------------
// Review comments.

#[test]
fn drops_rewrites_and_removed_enum_values_are_flagged_for_review() {
    let mut before = saq_catalogue();
    before
        .enums
        .insert(public("colour"), colour(&["red", "white", "rosé"]));
    before.tables.insert(
        public("shelves"),
        table(vec![
            column("aisle", "character varying(10)"),
            column("label", "character varying(40)"),
            column("colour", "public.colour"),
            with_default(column("price", "numeric(10,2)"), "0"),
        ]),
    );
    before
        .tables
        .insert(public("old_stock"), table(vec![column("sku", "text")]));
    let mut after = before.clone();
    after.tables.remove(&public("old_stock"));
    after
        .enums
        .insert(public("colour"), colour(&["red", "white"]));
    after.tables.insert(
        public("shelves"),
        table(vec![
            column("aisle", "integer"),
            column("label", "character varying(80)"),
            column("colour", "public.colour"),
            with_default(column("price", "numeric(12,2)"), "0"),
        ]),
    );
    after
        .tables
        .get_mut(&public("products"))
        .expect("products")
        .columns
        .retain(|column| column.name != "region");
    let up = diff(&before, &after, &Renames::default());
    insta::assert_debug_snapshot!(up.reviews().collect::<Vec<_>>(), @r#"
    [
        "removing enum value 'rosé' rewrites every column of type public.colour; rows holding 'rosé' make it fail",
        "drops table public.old_stock and its data",
        "drops column public.products.region and its data",
        "changing the type of public.shelves.aisle from character varying(10) to integer rewrites the table and takes an ACCESS EXCLUSIVE lock",
    ]
    "#);
    // Widening a varchar or a numeric's precision rewrites nothing: no review, no USING.
    let script = up.script();
    assert!(script.contains(
        "ALTER TABLE \"public\".\"shelves\" ALTER COLUMN \"label\" TYPE character varying(80);\n"
    ));
    assert!(script.contains(
        "ALTER TABLE \"public\".\"shelves\" ALTER COLUMN \"price\" TYPE numeric(12,2);\n"
    ));
    insta::assert_snapshot!(
        "drops_rewrites_and_removed_enum_values_revision",
        revision(&before, &after, &Renames::default())
    );
}

/// A table given to another role comes after the schema grant that role needs to own it (`CREATE`
/// on the schema): the owner change came first and failed for a non-superuser (found by review).
#[test]
fn a_schema_grant_comes_before_the_objects_given_to_its_grantee() {
    let grant = |grantee: &str, privilege: &str| Grant {
        grantee: grantee.to_owned(),
        privilege: privilege.to_owned(),
        grantable: false,
    };
    let before = saq_catalogue();
    let mut after = saq_catalogue();
    let defaults: BTreeSet<Grant> = [
        grant("CURRENT_USER", "CREATE"),
        grant("CURRENT_USER", "USAGE"),
        grant("PUBLIC", "USAGE"),
    ]
    .into();
    let mut grants = defaults.clone();
    grants.insert(grant("wine_owner", "CREATE"));
    after.privileges.insert(
        Securable::Schema("public".to_owned()),
        Privileges {
            owner: "CURRENT_USER".to_owned(),
            grants,
            defaults,
            extension: None,
        },
    );
    after
        .owners
        .insert(Owned::Relation(public("products")), "wine_owner".to_owned());
    let script = diff(&before, &after, &Renames::default()).script();
    let granted = line_of(&script, "GRANT CREATE ON SCHEMA \"public\" TO wine_owner;");
    let given = line_of(
        &script,
        "ALTER TABLE \"public\".\"products\" OWNER TO wine_owner;",
    );
    assert!(granted < given, "{script}");
}

/// A foreign table that moves to another server is dropped and created again: the review says so
/// and where its rows stay, not only that it is dropped (found by review).
#[test]
fn a_foreign_table_moved_to_another_server_says_why_it_is_dropped() {
    let on = |server: &str| {
        let mut offers = table(vec![column("sku", "text")]);
        offers.foreign = Some(ForeignTable {
            server: server.to_owned(),
            options: ForeignOptions::default(),
        });
        offers
    };
    let mut before = saq_catalogue();
    before.tables.insert(public("offers"), on("old_feed"));
    let mut after = saq_catalogue();
    after.tables.insert(public("offers"), on("new_feed"));
    let up = diff(&before, &after, &Renames::default());
    insta::assert_debug_snapshot!(up.reviews().collect::<Vec<_>>(), @r#"
    [
        "drops foreign table public.offers to create it again on server new_feed (a foreign table cannot change server; its rows stay where server old_feed keeps them): what reads it is created again with it",
    ]
    "#);
}

#[test]
fn an_enum_value_used_in_the_same_revision_makes_the_enum_new() {
    let mut before = database();
    before.enums.insert(public("colour"), colour(&["red"]));
    before.tables.insert(
        public("wines"),
        table(vec![column("colour", "public.colour")]),
    );
    let mut after = before.clone();
    after
        .enums
        .insert(public("colour"), colour(&["red", "white"]));
    after.tables.insert(
        public("wines"),
        table(vec![with_default(
            column("colour", "public.colour"),
            "'white'::public.colour",
        )]),
    );
    insta::assert_snapshot!(diff(&before, &after, &Renames::default()).script(), @r#"
    ALTER TYPE "public"."colour" RENAME TO "colour__old";
    CREATE TYPE "public"."colour" AS ENUM ('red', 'white');
    ALTER TABLE "public"."wines" ALTER COLUMN "colour" TYPE public.colour USING "colour"::text::public.colour;
    ALTER TABLE "public"."wines" ALTER COLUMN "colour" SET DEFAULT 'white'::public.colour;
    DROP TYPE "public"."colour__old";
    "#);
    let up = diff(&before, &after, &Renames::default());
    insta::assert_debug_snapshot!(up.reviews().collect::<Vec<_>>(), @r#"
    [
        "enum public.colour gains 'white' and this revision uses it; PostgreSQL cannot use a value added in the same transaction, so the type is created anew, which rewrites every column of that type",
    ]
    "#);
}

// ---------------------------------------------------------------------------------------------
// Renames.

fn with_renamed_region() -> (Schema, Schema) {
    let before = saq_catalogue();
    let mut after = saq_catalogue();
    let products = after.tables.get_mut(&public("products")).expect("products");
    for column in &mut products.columns {
        if column.name == "region" {
            column.name = "appellation".to_owned();
            column.not_null = true;
        }
    }
    (before, after)
}

#[test]
fn a_dropped_and_an_added_column_of_one_type_are_offered_as_a_rename_never_guessed() {
    let (before, after) = with_renamed_region();
    let up = diff(&before, &after, &Renames::default());
    assert_eq!(
        up.rename_candidates,
        [RenameCandidate {
            table: public("products"),
            dropped: "region".to_owned(),
            added: "appellation".to_owned(),
        }]
    );
    assert_eq!(
        up.rename_candidates[0].flag_value(),
        "public.products.region:appellation"
    );
    insta::assert_snapshot!(up.script(), @r#"
    ALTER TABLE "public"."products" DROP COLUMN "region";
    ALTER TABLE "public"."products" ADD COLUMN "appellation" text NOT NULL;
    "#);
    insta::assert_debug_snapshot!(up.reviews().collect::<Vec<_>>(), @r#"
    [
        "drops column public.products.region and its data; if it was renamed to appellation, run again with --rename public.products.region:appellation",
        "adds NOT NULL column public.products.appellation without a default: fails if the table has rows",
    ]
    "#);
}

#[test]
fn a_confirmed_rename_renames_then_alters() {
    let (before, after) = with_renamed_region();
    let renames = Renames::parse(["products.region:appellation"]).expect("valid rename");
    let up = diff(&before, &after, &renames);
    assert!(up.rename_candidates.is_empty());
    insta::assert_snapshot!(revision(&before, &after, &renames), @r#"
    -- the change under test

    -- migrate:up
    ALTER TABLE "public"."products" RENAME COLUMN "region" TO "appellation";

    ALTER TABLE "public"."products" ALTER COLUMN "appellation" SET NOT NULL;

    -- migrate:down
    ALTER TABLE "public"."products" RENAME COLUMN "appellation" TO "region";

    ALTER TABLE "public"."products" ALTER COLUMN "region" DROP NOT NULL;
    "#);
}

#[test]
fn columns_of_different_types_are_no_rename_candidates() {
    let before = saq_catalogue();
    let mut after = saq_catalogue();
    let products = after.tables.get_mut(&public("products")).expect("products");
    products.columns.retain(|column| column.name != "vintage");
    products.columns.push(column("bottled_on", "date"));
    assert!(
        diff(&before, &after, &Renames::default())
            .rename_candidates
            .is_empty()
    );
}

#[test]
fn rename_flags_read_with_or_without_schema_and_report_every_bad_one() {
    let renames = Renames::parse(["products.region:appellation", "cellar.wines.hue:colour"])
        .expect("valid renames");
    assert_eq!(
        renames,
        Renames::default()
            .with_column(public("products"), "region", "appellation")
            .with_column(Name::new("cellar", "wines"), "hue", "colour")
    );
    assert_eq!(
        renames.reversed().columns[1],
        (
            Name::new("cellar", "wines"),
            "colour".to_owned(),
            "hue".to_owned()
        )
    );
    let errors = Renames::parse(["region:appellation", "products.region", "a.b.c.d:e", "t.:x"])
        .expect_err("all four are wrong");
    insta::assert_snapshot!(
        errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"),
        @r"
    invalid rename `region:appellation`: expected `TABLE.OLD:NEW` or `SCHEMA.TABLE.OLD:NEW` (a table outside `public` needs its schema)
    invalid rename `products.region`: expected `TABLE.OLD:NEW` or `SCHEMA.TABLE.OLD:NEW` (a table outside `public` needs its schema)
    invalid rename `a.b.c.d:e`: expected `TABLE.OLD:NEW` or `SCHEMA.TABLE.OLD:NEW` (a table outside `public` needs its schema)
    invalid rename `t.:x`: expected `TABLE.OLD:NEW` or `SCHEMA.TABLE.OLD:NEW` (a table outside `public` needs its schema)
    "
    );
}

// ---------------------------------------------------------------------------------------------
// Enums.

#[test]
fn new_enum_values_keep_their_place() {
    let mut before = database();
    before
        .enums
        .insert(public("colour"), colour(&["red", "white"]));
    let mut after = database();
    after.enums.insert(
        public("colour"),
        colour(&["orange", "amber", "red", "rosé", "white", "sparkling"]),
    );
    insta::assert_snapshot!(diff(&before, &after, &Renames::default()).script(), @r#"
    ALTER TYPE "public"."colour" ADD VALUE 'orange' BEFORE 'red';
    ALTER TYPE "public"."colour" ADD VALUE 'amber' BEFORE 'red';
    ALTER TYPE "public"."colour" ADD VALUE 'rosé' AFTER 'red';
    ALTER TYPE "public"."colour" ADD VALUE 'sparkling';
    "#);
}

#[test]
fn an_enum_losing_a_value_is_built_anew_and_its_columns_converted() {
    let mut before = database();
    before
        .enums
        .insert(public("colour"), colour(&["red", "rosé", "white"]));
    before.tables.insert(
        public("wines"),
        table(vec![
            with_default(column("colour", "public.colour"), "'red'::public.colour"),
            column("blend", "public.colour[]"),
        ]),
    );
    let mut after = before.clone();
    after
        .enums
        .insert(public("colour"), colour(&["red", "white"]));
    insta::assert_snapshot!(revision(&before, &after, &Renames::default()));
}

// ---------------------------------------------------------------------------------------------
// Columns, sequences and comments.

#[test]
fn column_attributes_change_in_an_order_postgresql_accepts() {
    let mut before = database();
    before.tables.insert(
        public("bottles"),
        table(vec![
            not_null(column("id", "integer")),
            with_default(column("size", "text"), "'750'::text"),
            Column {
                generated: Some(Generated {
                    expression: "(id * 2)".to_owned(),
                }),
                ..column("twice", "integer")
            },
            Column {
                identity: Some(Identity::Always),
                ..not_null(column("serial", "bigint"))
            },
        ]),
    );
    before.sequences.insert(
        public("bottles_serial_seq"),
        Sequence {
            data_type: "bigint".to_owned(),
            start: 1,
            increment: 1,
            min: 1,
            max: i64::MAX,
            cache: 1,
            cycle: false,
            owned_by: Some((public("bottles"), "serial".to_owned())),
            identity: true,
            comment: None,
        },
    );
    let mut after = database();
    after.tables.insert(
        public("bottles"),
        table(vec![
            Column {
                identity: Some(Identity::ByDefault),
                ..not_null(column("id", "integer"))
            },
            with_default(not_null(column("size", "integer")), "750"),
            column("twice", "integer"),
            not_null(column("serial", "bigint")),
        ]),
    );
    after.sequences.insert(
        public("bottles_id_seq"),
        Sequence {
            data_type: "integer".to_owned(),
            start: 100,
            increment: 1,
            min: 1,
            max: i32::MAX.into(),
            cache: 1,
            cycle: false,
            owned_by: Some((public("bottles"), "id".to_owned())),
            identity: true,
            comment: None,
        },
    );
    insta::assert_snapshot!(revision(&before, &after, &Renames::default()));
}

#[test]
fn a_serial_table_brings_its_sequence_and_takes_it_along() {
    let before = database();
    let mut after = database();
    after.tables.insert(
        public("orders"),
        table(vec![with_default(
            not_null(column("id", "integer")),
            "nextval('public.orders_id_seq'::regclass)",
        )]),
    );
    after.sequences.insert(
        public("orders_id_seq"),
        Sequence {
            data_type: "integer".to_owned(),
            start: 1,
            increment: 1,
            min: 1,
            max: i32::MAX.into(),
            cache: 1,
            cycle: false,
            owned_by: Some((public("orders"), "id".to_owned())),
            identity: false,
            comment: None,
        },
    );
    // Down drops the table, which drops the sequence it owns: no DROP SEQUENCE after it.
    insta::assert_snapshot!(revision(&before, &after, &Renames::default()));
}

#[test]
fn comments_are_set_changed_removed_and_restored_on_recreated_objects() {
    let mut before = saq_catalogue();
    before.views.insert(
        public("reds"),
        View {
            comment: Some("only red".to_owned()),
            ..view(
                " SELECT products.sku\n   FROM public.products;",
                &["products"],
            )
        },
    );
    let mut after = before.clone();
    let products = after.tables.get_mut(&public("products")).expect("products");
    products.comment = None;
    products.columns[1].comment = Some("as on the label".to_owned());
    products
        .indexes
        .get_mut("products_price_idx")
        .expect("index")
        .comment = Some("for the under $20 shelf".to_owned());
    if let Some(reds) = after.views.get_mut(&public("reds")) {
        reds.definition =
            " SELECT products.sku,\n    products.name\n   FROM public.products;".to_owned();
    }
    insta::assert_snapshot!(revision(&before, &after, &Renames::default()));
}

#[test]
fn no_change_no_diff() {
    let schema = saq_catalogue();
    let same = diff(&schema, &schema.clone(), &Renames::default());
    assert!(same.is_empty() && same.rename_candidates.is_empty());
}

#[test]
fn a_message_line_that_looks_like_a_marker_stays_in_the_description() {
    let up = diff(&database(), &saq_catalogue(), &Renames::default());
    let down = diff(&saq_catalogue(), &database(), &Renames::default());
    let text = render_revision("migrate:down the products\n\nsecond paragraph", &up, &down);
    assert!(
        text.starts_with(
            "-- `migrate:down the products`\n--\n-- second paragraph\n\n-- migrate:up\n"
        )
    );
    let loaded = carafe_core::load(&[SourceFile::new("0001_create.sql", text)]);
    assert!(
        loaded
            .problems
            .iter()
            .all(|problem| problem.kind.is_about_sum())
    );
}

/// No statement changes a table's partition key: the revision must not pass silently as if it
/// did, so it gets a statement that stops it, saying so, marked for review.
#[test]
fn a_changed_partition_key_stops_the_revision_and_says_why() {
    let partitioned = |key: &str| Table {
        partition_key: Some(key.to_owned()),
        ..table(vec![column("at", "date"), column("kind", "text")])
    };
    let mut before = database();
    before
        .tables
        .insert(public("events"), partitioned("RANGE (at)"));
    let mut after = database();
    after
        .tables
        .insert(public("events"), partitioned("LIST (kind)"));
    let up = diff(&before, &after, &Renames::default());
    let reviews: Vec<&str> = up.reviews().collect();
    assert_eq!(
        reviews,
        [
            "carafe cannot change how public.events is partitioned (RANGE (at) to LIST (kind)): \
          replace this statement with your own steps (create the new table, move the rows, swap the names)"
        ]
    );
    assert!(up.script().contains("RAISE EXCEPTION"), "{}", up.script());
}
