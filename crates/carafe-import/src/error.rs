//! `ImportError`: every file that cannot be converted faithfully, each with the reason and the fix.

use std::fmt;

/// One file that stops the import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportProblem {
    /// The file's path, relative to the imported directory.
    pub path: String,
    /// Why, and what to do about it.
    pub reason: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.path, self.reason)
    }
}

/// Why nothing was written: every problem found, at once, by path.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ImportError {
    /// The problems, in path order.
    pub problems: Vec<ImportProblem>,
}

impl ImportError {
    pub(crate) fn one(path: impl Into<String>, reason: impl Into<String>) -> ImportError {
        ImportError {
            problems: vec![ImportProblem {
                path: path.into(),
                reason: reason.into(),
            }],
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.problems.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

/// Collects problems while a tool's reader walks the files.
#[derive(Debug, Default)]
pub(crate) struct Problems(Vec<ImportProblem>);

impl Problems {
    pub(crate) fn push(&mut self, path: impl Into<String>, reason: impl Into<String>) {
        self.0.push(ImportProblem {
            path: path.into(),
            reason: reason.into(),
        });
    }

    /// `Ok(value)` when nothing was pushed.
    pub(crate) fn into_result<T>(mut self, value: T) -> Result<T, ImportError> {
        match self.0.is_empty() {
            true => Ok(value),
            false => {
                self.0.sort_by(|a, b| a.path.cmp(&b.path));
                Err(ImportError { problems: self.0 })
            }
        }
    }
}
