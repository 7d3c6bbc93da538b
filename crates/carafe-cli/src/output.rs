//! Printing that never stops a migration: `say!` and `tell!` write to stdout and stderr and drop
//! a write error (a closed pipe, `upgrade head | head -1`; a full disk, `> /dev/full`), where
//! `println!` would panic in the middle of a run. The exit code says what happened to the
//! database, not whether anyone read the output. Clippy's `print_stdout`/`print_stderr` lints keep
//! the panicking macros out of this crate.

/// `println!` to stdout, ignoring write errors.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `print!` to stdout, ignoring write errors.
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        let _ = write!(stdout, $($arg)*);
        let _ = stdout.flush();
    }};
}

/// `eprintln!` to stderr, ignoring write errors.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// `eprint!` to stderr, ignoring write errors.
#[cfg_attr(not(feature = "dev"), allow(unused_macros))]
macro_rules! tell_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut stderr = std::io::stderr().lock();
        let _ = write!(stderr, $($arg)*);
        let _ = stderr.flush();
    }};
}
