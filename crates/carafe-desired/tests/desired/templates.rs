//! Kept templates: `check` and `autogenerate` read what the same migrations built last time
//! instead of replaying them, a changed migration set makes a new template, and a server keeps
//! only the newest few.

use carafe::{DatabaseUrl, MigrationSet, Settings};
use carafe_desired::{Comparison, Declared};
use carafe_devdb::TempCluster;

fn set_of(texts: &[String]) -> MigrationSet {
    let sources: Vec<carafe_core::SourceFile> = texts
        .iter()
        .enumerate()
        .map(|(index, text)| {
            carafe_core::SourceFile::new(format!("{:04}_step.sql", index + 1), text.as_bytes())
        })
        .collect();
    let loaded = carafe_core::load(&sources);
    assert_eq!(loaded.set.len(), texts.len(), "{:?}", loaded.problems);
    loaded.set
}

fn table(name: &str) -> String {
    format!(
        "-- migrate:up\nCREATE TABLE {name} (id integer PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE {name};\n"
    )
}

fn templates(server: &DatabaseUrl) -> Vec<String> {
    carafe::connect(server, std::time::Duration::from_secs(10))
        .expect("connect")
        .query(
            "SELECT datname::text FROM pg_database WHERE starts_with(datname, 'carafe_template_') ORDER BY oid",
            &[],
        )
        .expect("list")
        .iter()
        .map(|row| row.get(0))
        .collect()
}

fn built_tables(comparison: &Comparison) -> Vec<String> {
    comparison
        .built
        .tables
        .keys()
        .map(|name| name.name.clone())
        .collect()
}

#[allow(dead_code)]
mod declared {
    #[derive(carafe::Table)]
    pub struct Crate {
        #[carafe(primary_key)]
        pub id: i32,
    }
}

#[test]
fn the_same_migrations_are_read_from_their_template_not_replayed() {
    let cluster = TempCluster::start().expect("a server of its own");
    let server = DatabaseUrl::parse(&cluster.url("postgres")).expect("url");
    let settings = Settings::new(server.clone());
    let declared = Declared::models(carafe::models![declared::Crate], None);
    let set = set_of(&[table("crates")]);

    let first = Comparison::load(&settings, &set, &server, &declared).expect("first");
    assert_eq!(built_tables(&first), ["crates"]);
    let kept = templates(&server);
    assert_eq!(
        kept.len(),
        2,
        "one for the migrations, one for the declared schema: {kept:?}"
    );
    assert!(first.draft(&Default::default()).up.changes.is_empty());

    // Plant a table in every template: a reused template shows it, a replay would not.
    for template in &kept {
        carafe::connect(
            &server.with_database(template),
            std::time::Duration::from_secs(10),
        )
        .expect("connect to the template")
        .batch_execute("CREATE TABLE planted ()")
        .expect("plant");
    }
    let second = Comparison::load(&settings, &set, &server, &declared).expect("second");
    assert_eq!(
        built_tables(&second),
        ["crates", "planted"],
        "read, not replayed"
    );
    assert_eq!(templates(&server), kept, "nothing new was built");

    let changed = set_of(&[table("crates"), table("boxes")]);
    let third = Comparison::load(&settings, &changed, &server, &declared).expect("third");
    assert_eq!(
        built_tables(&third),
        ["boxes", "crates"],
        "a changed set is replayed"
    );
    assert_eq!(templates(&server).len(), 3);
}

#[test]
fn a_server_keeps_the_newest_eight_templates() {
    let cluster = TempCluster::start().expect("a server of its own");
    let server = DatabaseUrl::parse(&cluster.url("postgres")).expect("url");
    let mut made = Vec::new();
    for index in 0..11 {
        let set = set_of(&[table(&format!("t{index}"))]);
        let databases = carafe_desired::TestDatabases::migrated(&server, &set).expect("template");
        made.push(databases.template().to_owned());
    }
    assert_eq!(
        templates(&server),
        made[3..],
        "the newest eight, oldest first"
    );
}
