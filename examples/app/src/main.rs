//! The app: refuses to start against a schema older than this build.

use carafe_example_app::migrations;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let url = std::env::var("DATABASE_URL").unwrap_or_default();
    let (client, connection) = match tokio_postgres::connect(&url, tokio_postgres::NoTls).await {
        Ok(pair) => pair,
        Err(error) => {
            eprintln!("error: cannot connect: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    tokio::spawn(connection);
    // At start-up: refuse an older schema.
    if let Err(error) = carafe::asynchronous::require(&client, migrations::HEAD).await {
        eprintln!("error: {error}");
        return std::process::ExitCode::FAILURE;
    }
    println!("serving with schema {}", migrations::HEAD);
    std::process::ExitCode::SUCCESS
}
