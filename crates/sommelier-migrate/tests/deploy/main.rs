//! SAQ Sommelier's deploy binary against a real PostgreSQL: `migrate` deploys the compiled-in set,
//! the catalogue refuses an older schema and works on the current one, and with no database
//! configured the binary stops instead of starting one.

mod app;
mod models;
mod readme_app;
