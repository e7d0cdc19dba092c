//! The book's `ColumnPrinter`: several multi-line texts side by side.

use std::fmt;

/// Collects columns (usually one grid per generation) and prints them side by
/// side, separated by ` | `, under a header row numbering them from 0.
///
/// ```
/// use bw56_life::{ColumnPrinter, Grid};
///
/// let mut columns = ColumnPrinter::new();
/// columns.append(Grid::glider().to_string());
/// columns.append(Grid::glider().to_string());
/// let text = columns.to_string();
/// assert_eq!(text.lines().nth(1), Some("---*----- | ---*-----"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct ColumnPrinter {
    columns: Vec<String>,
}

impl ColumnPrinter {
    /// No columns yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a column on the right.
    pub fn append(&mut self, text: impl Into<String>) {
        self.columns.push(text.into());
    }
}

impl fmt::Display for ColumnPrinter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let columns: Vec<Vec<&str>> = self.columns.iter().map(|c| c.lines().collect()).collect();
        let widths: Vec<usize> = columns
            .iter()
            .map(|lines| lines.iter().map(|l| l.chars().count()).max().unwrap_or(0))
            .collect();
        let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
        // Row 0 is the header: each column's index, centred over it.
        for row in 0..=rows {
            if row > 0 {
                f.write_str("\n")?;
            }
            for (i, (lines, &width)) in columns.iter().zip(&widths).enumerate() {
                if i > 0 {
                    f.write_str(" | ")?;
                }
                if row == 0 {
                    write!(f, "{:^width$}", i)?;
                } else {
                    let line = lines.get(row - 1).copied().unwrap_or("");
                    write!(f, "{line:<width$}")?;
                }
            }
        }
        Ok(())
    }
}
