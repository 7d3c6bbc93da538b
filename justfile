# carafe's recipes. `just --list` shows them; with no DATABASE_URL (environment or .env), the database
# commands use a local PostgreSQL that carafe creates and starts under target/carafe-pg.

set positional-arguments

carafe := "cargo run --quiet -p carafe-cli --bin carafe --"
# The app's own `migrate` binary with the development commands: it knows the app's models
# (`carafe_cli::main_with`), as Alembic's env.py knows the SQLAlchemy models. Being the app's, it
# never starts a server itself: the recipes give it the development server for scratch databases.
app := "cargo run --quiet -p sommelier-migrate --features dev --"
scratch := "--scratch-url \"$(" + carafe + " db url)\""

# List the recipes
default:
    @just --list

# Apply every pending migration (upgrade head)
migrate:
    {{carafe}} upgrade head

# Write the next migration file: just revision "add alcohol column to products"
revision MESSAGE:
    {{carafe}} revision -m "$1"

# Apply up to TARGET: head, +N or a revision number
upgrade TARGET="head":
    {{carafe}} upgrade "$1"

# Undo down to TARGET: -N (default: one step), a revision number, or base
downgrade TARGET="-1":
    {{carafe}} downgrade "$1"

# Show the revision the database is at
current:
    {{carafe}} current

# List every revision, applied or pending
history:
    {{carafe}} history

# Show the newest revision the code knows
heads:
    {{carafe}} heads

# Show one revision's description, checksum and SQL
show REV:
    {{carafe}} show "$1"

# Write the next migration from what the migrations build to what the models declare
autogenerate MESSAGE:
    {{app}} revision --autogenerate -m "$1" {{scratch}}

# Fail when the migrations do not build the models, or the database is behind or has drifted
check:
    {{app}} check {{scratch}}

# Upgrade, downgrade and upgrade every revision on a scratch database: each down must undo its up
verify:
    {{carafe}} verify

# Show drift made by hand: how the database differs from what its migrations build
diff:
    {{carafe}} diff

# Record REV as applied without running anything (adopting an existing database)
stamp REV:
    {{carafe}} stamp "$1"

# Re-record migrations/carafe.sum after editing a revision that was never applied anywhere
rehash:
    {{carafe}} rehash

# After merging or rebasing onto a branch that also added revisions: move this branch's after them
renumber *ARGS:
    {{carafe}} renumber "$@"

# Replace revisions 0001..REV with one baseline built from pg_dump, checked on scratch databases
squash REV *ARGS:
    {{carafe}} squash --to "$@"

# Print the SQL `upgrade TARGET` would run, for review or a DBA (offline: no connection)
sql TARGET="head":
    {{carafe}} upgrade "$1" --sql

# Start the local development PostgreSQL (target/carafe-pg)
db-up:
    {{carafe}} db up

# Stop the local development PostgreSQL
db-down:
    {{carafe}} db down

# Run every test (each test binary starts its own throwaway PostgreSQL)
test:
    cargo test --workspace

# What a pull request must pass: formatting, lints, the README's app, tests (`.ci/run` runs the same)
ci:
    bash .ci/run

# Measure build-time cost of 1,000 and 10,000 migrations
bench-build:
    cargo bench -p carafe-build --bench build_time

# Measure apply speed against psql baselines on a durable local server
bench:
    cargo bench -p carafe-cli --bench migrate

# Measure a test's database: a copy of a template at head against a replay
bench-tests:
    cargo bench -p carafe-desired --bench test_databases

# Measure autogenerate, check and verify on 1,000 tables and long histories
bench-size:
    cargo bench -p carafe-desired --bench at_size
