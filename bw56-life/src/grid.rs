//! The grid: cells that are alive or empty, wrapping at the edges (a torus).

use std::fmt;

/// The state of one cell. The book writes them as `ALIVE = '*'` and
/// `EMPTY = '-'`; [`State::symbol`] gives the same characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum State {
    /// An empty cell, shown as `-`.
    #[default]
    Empty,
    /// A live cell, shown as `*`.
    Alive,
}

impl State {
    /// The character the book prints for this state.
    pub fn symbol(self) -> char {
        match self {
            State::Alive => '*',
            State::Empty => '-',
        }
    }
}

/// A `height × width` grid of cells whose edges wrap around: the row above
/// the first is the last, the column left of the first is the last.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Grid {
    height: usize,
    width: usize,
    /// Row-major: cell `(y, x)` is at `y * width + x`.
    cells: Vec<State>,
}

/// The cells alive in the book's starting pattern, a glider on a 5×9 grid.
pub const GLIDER: [(usize, usize); 5] = [(0, 3), (1, 4), (2, 2), (2, 3), (2, 4)];

impl Grid {
    /// An empty grid.
    ///
    /// # Panics
    ///
    /// If `height` or `width` is zero: a torus needs at least one cell. The
    /// command line rejects such sizes with a message before they get here.
    pub fn new(height: usize, width: usize) -> Self {
        assert!(
            height > 0 && width > 0,
            "a grid needs at least one row and one column, got {height}x{width}"
        );
        Self {
            height,
            width,
            cells: vec![State::Empty; height * width],
        }
    }

    /// The book's starting grid: 5×9 with a glider in the top left.
    pub fn glider() -> Self {
        Self::with_glider(5, 9).expect("a 5x9 grid holds the glider")
    }

    /// A `height × width` grid holding the book's glider at its usual place,
    /// or `None` if the grid is too small for it (it needs 3 rows, 5 columns).
    pub fn with_glider(height: usize, width: usize) -> Option<Self> {
        if height < 3 || width < 5 {
            return None;
        }
        let mut grid = Self::new(height, width);
        for (y, x) in GLIDER {
            grid.set(y, x, State::Alive);
        }
        Some(grid)
    }

    /// The seeded "soup": a 31-bit linear congruential generator starting at
    /// `seed`, advanced once per cell in row-major order; a cell is alive when
    /// the new state is divisible by 3. Every lesson builds the same grid from
    /// the same seed, so their results can be compared by fingerprint.
    pub fn soup(height: usize, width: usize, seed: u32) -> Self {
        let mut grid = Self::new(height, width);
        let mut state = u64::from(seed);
        for cell in &mut grid.cells {
            state = (state * 1_103_515_245 + 12_345) % (1 << 31);
            if state % 3 == 0 {
                *cell = State::Alive;
            }
        }
        grid
    }

    /// Number of rows.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Number of cells, `height × width`.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Always false: a grid has at least one cell.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The state at `(y, x)`, wrapping: `-1` is the last row or column and
    /// `height` is the first row again, as Python's `%` does in the book.
    pub fn get(&self, y: isize, x: isize) -> State {
        let y = wrap(y, self.height);
        let x = wrap(x, self.width);
        self.cells[y * self.width + x]
    }

    /// Sets the state at `(y, x)`.
    ///
    /// # Panics
    ///
    /// If `(y, x)` is outside the grid: writes never wrap, so a wrong
    /// coordinate is a bug to find, not a cell to silently overwrite.
    pub fn set(&mut self, y: usize, x: usize, state: State) {
        assert!(
            y < self.height && x < self.width,
            "({y}, {x}) is outside the {}x{} grid",
            self.height,
            self.width
        );
        self.cells[y * self.width + x] = state;
    }

    /// Every cell's coordinates and state, in row-major order.
    pub fn cells(&self) -> impl Iterator<Item = (usize, usize, State)> + '_ {
        self.cells
            .iter()
            .enumerate()
            .map(|(i, &state)| (i / self.width, i % self.width, state))
    }

    /// Every cell's coordinates, in row-major order.
    pub fn positions(&self) -> impl Iterator<Item = (usize, usize)> + use<> {
        let width = self.width;
        (0..self.len()).map(move |i| (i / width, i % width))
    }

    /// The cells as a row-major slice.
    pub fn as_slice(&self) -> &[State] {
        &self.cells
    }

    /// Builds a grid from row-major states.
    ///
    /// # Panics
    ///
    /// If `cells.len() != height * width` or either side is zero.
    pub fn from_states(height: usize, width: usize, cells: Vec<State>) -> Self {
        assert!(height > 0 && width > 0, "a grid needs at least one cell");
        assert_eq!(
            cells.len(),
            height * width,
            "{height}x{width} grid needs {} states",
            height * width
        );
        Self {
            height,
            width,
            cells,
        }
    }

    /// Number of live cells.
    pub fn alive(&self) -> usize {
        self.cells.iter().filter(|&&s| s == State::Alive).count()
    }

    /// FNV-1a (64-bit) over the cells in row-major order, one byte per cell
    /// (1 alive, 0 empty): a short fingerprint for comparing grids across
    /// strategies and lessons.
    pub fn fingerprint(&self) -> u64 {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        self.cells.iter().fold(OFFSET, |hash, &state| {
            (hash ^ u64::from(state == State::Alive)).wrapping_mul(PRIME)
        })
    }
}

/// Python's `i % n` for a possibly negative `i`: always in `0..n`.
fn wrap(i: isize, n: usize) -> usize {
    // A grid never has more than isize::MAX cells, so `n` fits in an isize.
    i.rem_euclid(n as isize) as usize
}

/// Rows of `*` and `-`, one line per row, as the book's `Grid.__str__`.
impl fmt::Display for Grid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (y, row) in self.cells.chunks(self.width).enumerate() {
            if y > 0 {
                f.write_str("\n")?;
            }
            for state in row {
                write!(f, "{}", state.symbol())?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Grid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Grid {}x{}:\n{self}", self.height, self.width)
    }
}
