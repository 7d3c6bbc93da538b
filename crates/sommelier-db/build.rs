//! Compiles SAQ Sommelier's migrations into the typed module `sommelier_db::migrations`.

fn main() {
    carafe_build::compile("../../migrations");
}
