//! A deterministic search over the unit cube, in two stages. A Nelder–Mead simplex first
//! moves all parameters at once, so it can follow a valley that runs across them (more
//! additions and more forgetting can balance each other out, and a search that moves one
//! parameter at a time stalls there). A pattern search (Hooke and Jeeves) then polishes the
//! result on the grid the fitted values are written with: around the best point each
//! parameter in turn moves up or down by a step and stays where that lowers the objective, a
//! successful sweep is followed by a jump on in the same direction, and when nothing improves
//! the step is halved.
//!
//! Every candidate is simulated on the same random numbers (common random numbers), so the
//! objective changes with the rates, not with the dice. Neither stage needs a gradient, and
//! each point of the grid is evaluated once.

use std::collections::HashMap;

/// The first step, in units of a parameter's range.
const FIRST_STEP: f64 = 0.16;
/// The search stops when the step falls below this: the grid the fitted values live on.
pub const GRID: f64 = 0.01;
/// The most objective evaluations the search makes.
const MAX_EVALUATIONS: usize = 600;
/// The simplex's first edge, in units of a parameter's range.
const SIMPLEX_EDGE: f64 = 0.2;
/// The simplex stops when all its points lie within this of the best.
const SIMPLEX_SIZE: f64 = 0.02;

/// The best point found, its objective, and how many points were evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub at: Vec<f64>,
    pub objective: f64,
    pub evaluations: usize,
}

/// Minimises `f` over [0, 1]^n from `start`, on a grid of [`GRID`]. A search that ends
/// somewhere better than it started starts again from there with the first step, since a
/// parameter the early, large steps could not move (others were further off then) may move
/// now; it stops when a whole search finds nothing better.
pub fn minimise(start: &[f64], f: impl FnMut(&[f64]) -> f64) -> Found {
    let mut search = Search { f, seen: HashMap::new() };
    let start: Vec<f64> = start.iter().map(|&u| snap(u)).collect();
    let (mut at, mut best) = search.simplex(&start);
    loop {
        let (next, value) = search.pass(&at, best);
        if value >= best || search.seen.len() >= MAX_EVALUATIONS {
            break;
        }
        (at, best) = (next, value);
    }
    Found { at, objective: best, evaluations: search.seen.len() }
}

impl<F: FnMut(&[f64]) -> f64> Search<F> {
    /// Nelder–Mead from `start` (reflection 1, expansion 2, contraction ½, shrink ½), every
    /// point clamped to the cube and snapped to the grid.
    fn simplex(&mut self, start: &[f64]) -> (Vec<f64>, f64) {
        let n = start.len();
        let mut points: Vec<Vec<f64>> = vec![start.to_vec()];
        for i in 0..n {
            let mut p = start.to_vec();
            p[i] = snap(if p[i] + SIMPLEX_EDGE <= 1.0 { p[i] + SIMPLEX_EDGE } else { p[i] - SIMPLEX_EDGE });
            points.push(p);
        }
        let mut values: Vec<f64> = points.iter().map(|p| self.eval(p)).collect();
        while self.seen.len() < MAX_EVALUATIONS {
            // order best first (ties by position, so the order never depends on anything else)
            let mut order: Vec<usize> = (0..=n).collect();
            order.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(key(&points[a]).cmp(&key(&points[b]))));
            points = order.iter().map(|&i| points[i].clone()).collect();
            values = order.iter().map(|&i| values[i]).collect();
            let size = points.iter().skip(1).flat_map(|p| p.iter().zip(&points[0]).map(|(a, b)| (a - b).abs())).fold(0.0, f64::max);
            if size < SIMPLEX_SIZE {
                break;
            }
            let centre: Vec<f64> = (0..n).map(|j| points[..n].iter().map(|p| p[j]).sum::<f64>() / n as f64).collect();
            let towards = |t: f64| -> Vec<f64> { centre.iter().zip(&points[n]).map(|(c, w)| snap(c + t * (c - w))).collect() };
            let reflected = towards(1.0);
            let r = self.eval(&reflected);
            if r < values[0] {
                let expanded = towards(2.0);
                let e = self.eval(&expanded);
                (points[n], values[n]) = if e < r { (expanded, e) } else { (reflected, r) };
            } else if r < values[n - 1] {
                (points[n], values[n]) = (reflected, r);
            } else {
                let contracted = if r < values[n] { towards(0.5) } else { towards(-0.5) };
                let c = self.eval(&contracted);
                if c < values[n].min(r) {
                    (points[n], values[n]) = (contracted, c);
                } else {
                    let before = points.clone();
                    for i in 1..=n {
                        points[i] = points[i].iter().zip(&points[0]).map(|(p, b)| snap(b + 0.5 * (p - b))).collect();
                        values[i] = self.eval(&points[i]);
                    }
                    if points == before {
                        // on the grid the simplex can shrink no further
                        break;
                    }
                }
            }
        }
        let best = (0..=n).min_by(|&a, &b| values[a].total_cmp(&values[b]).then(key(&points[a]).cmp(&key(&points[b])))).unwrap_or(0);
        (points[best].clone(), values[best])
    }

    /// One pattern search from `at`, from the first step down to the grid.
    fn pass(&mut self, at: &[f64], value: f64) -> (Vec<f64>, f64) {
        let (mut at, mut best) = (at.to_vec(), value);
        let mut step = FIRST_STEP;
        while step >= GRID - 1e-12 && self.seen.len() < MAX_EVALUATIONS {
            let (next, value) = self.explore(&at, best, step);
            if value >= best {
                step /= 2.0;
                continue;
            }
            // pattern moves: keep going the way the last sweep went while it pays
            let (mut base, mut base_value) = (next, value);
            let mut previous = at;
            loop {
                let jump: Vec<f64> = base.iter().zip(&previous).map(|(b, p)| snap(b + (b - p))).collect();
                let jump_value = self.eval(&jump);
                let (probe, probe_value) = self.explore(&jump, jump_value, step);
                if probe_value < base_value && self.seen.len() < MAX_EVALUATIONS {
                    previous = std::mem::replace(&mut base, probe);
                    base_value = probe_value;
                } else {
                    break;
                }
            }
            (at, best) = (base, base_value);
        }
        (at, best)
    }
}

fn snap(u: f64) -> f64 {
    (u.clamp(0.0, 1.0) / GRID).round() * GRID
}

fn key(u: &[f64]) -> Vec<i64> {
    u.iter().map(|x| (x / GRID).round() as i64).collect()
}

struct Search<F> {
    f: F,
    seen: HashMap<Vec<i64>, f64>,
}

impl<F: FnMut(&[f64]) -> f64> Search<F> {
    fn eval(&mut self, u: &[f64]) -> f64 {
        let k = key(u);
        if let Some(&v) = self.seen.get(&k) {
            return v;
        }
        let v = (self.f)(u);
        self.seen.insert(k, v);
        v
    }

    /// One sweep of single-parameter moves from `at`: the best point found and its value.
    fn explore(&mut self, at: &[f64], value: f64, step: f64) -> (Vec<f64>, f64) {
        let (mut at, mut best) = (at.to_vec(), value);
        for i in 0..at.len() {
            for direction in [1.0, -1.0] {
                let mut candidate = at.clone();
                candidate[i] = snap(at[i] + direction * step);
                if key(&candidate) == key(&at) {
                    continue;
                }
                let v = self.eval(&candidate);
                if v < best {
                    (at, best) = (candidate, v);
                    break;
                }
            }
        }
        (at, best)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_minimum_of_a_bowl_on_the_grid() {
        let found = minimise(&[0.5, 0.5, 0.9], |u| (u[0] - 0.23).powi(2) + 2.0 * (u[1] - 0.71).powi(2) + (u[2] - 0.05).abs());
        for (x, want) in found.at.iter().zip([0.23, 0.71, 0.05]) {
            assert!((x - want).abs() < 0.011, "{:?}", found.at);
        }
        assert!(found.evaluations < MAX_EVALUATIONS);
    }

    /// A narrow valley across two parameters, where moving one alone never helps.
    #[test]
    fn follows_a_diagonal_valley() {
        let found = minimise(&[0.2, 0.2], |u| (u[0] - u[1]).powi(2) * 100.0 + (u[0] + u[1] - 1.4).powi(2));
        assert!((found.at[0] - 0.7).abs() < 0.03 && (found.at[1] - 0.7).abs() < 0.03, "{:?}", found.at);
    }

    #[test]
    fn stays_inside_the_cube() {
        let found = minimise(&[0.5], |u| -u[0]);
        assert_eq!(found.at, vec![1.0]);
    }
}
