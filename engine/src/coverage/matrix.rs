//! A row-major matrix of cell fractions over a window, reused between rings.

/// Sentinel for a cell that no traversal crossed: its value comes from the flood fill.
pub const FILLABLE: f64 = -1.0;

/// Fractions of a `width × height` window, row-major.
#[derive(Debug, Default, Clone)]
pub struct Matrix {
    width: usize,
    height: usize,
    values: Vec<f64>,
}

impl Matrix {
    /// Resizes to `width × height` (keeping capacity) with every cell [`FILLABLE`].
    pub fn reset(&mut self, width: usize, height: usize) {
        self.width = width;
        self.height = height;
        self.values.clear();
        self.values.resize(width.saturating_mul(height), FILLABLE);
    }

    /// Resizes to `width × height` with the values `write` pushes into the emptied
    /// buffer, row-major: each cell written once, not reset first. Missing values are
    /// [`FILLABLE`], extra ones dropped.
    pub fn rebuild(&mut self, width: usize, height: usize, write: impl FnOnce(&mut Vec<f64>)) {
        self.width = width;
        self.height = height;
        self.values.clear();
        write(&mut self.values);
        self.values.resize(width.saturating_mul(height), FILLABLE);
    }

    /// Cells per row.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Number of rows.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Row-major index of `(col, row)`, if inside.
    pub fn index(&self, col: usize, row: usize) -> Option<usize> {
        (col < self.width && row < self.height).then(|| row * self.width + col)
    }

    /// The value at `(col, row)` (`None` outside).
    pub fn get(&self, col: usize, row: usize) -> Option<f64> {
        self.index(col, row)
            .and_then(|i| self.values.get(i).copied())
    }

    /// Sets the value at `(col, row)`; ignored outside.
    pub fn set(&mut self, col: usize, row: usize, v: f64) {
        if let Some(slot) = self.index(col, row).and_then(|i| self.values.get_mut(i)) {
            *slot = v;
        }
    }

    /// All values, row-major.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Takes the values out (row-major), leaving an empty `0 × 0` matrix; the next
    /// [`Matrix::reset`] allocates afresh.
    pub fn take_values(&mut self) -> Vec<f64> {
        self.width = 0;
        self.height = 0;
        std::mem::take(&mut self.values)
    }

    /// All values, row-major, mutable.
    pub fn values_mut(&mut self) -> &mut [f64] {
        &mut self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_fills_with_the_sentinel() {
        let mut m = Matrix::default();
        m.reset(3, 2);
        assert_eq!(m.values().len(), 6);
        assert!(m.values().iter().all(|&v| v == FILLABLE));
        m.set(2, 1, 0.5);
        assert_eq!(m.get(2, 1), Some(0.5));
        assert_eq!(m.values()[5], 0.5);
        assert_eq!(m.get(3, 0), None);
        m.set(3, 0, 1.0); // ignored
        m.reset(1, 1);
        assert_eq!(m.values(), &[FILLABLE]);
        m.set(0, 0, 0.25);
        assert_eq!(m.take_values(), vec![0.25]);
        assert_eq!((m.width(), m.height(), m.values().len()), (0, 0, 0));
        assert_eq!(m.get(0, 0), None);
        // A short rebuild is padded with the sentinel.
        m.rebuild(2, 1, |v| v.push(0.5));
        assert_eq!(m.values(), &[0.5, FILLABLE]);
        assert_eq!(m.get(1, 0), Some(FILLABLE));
    }
}
