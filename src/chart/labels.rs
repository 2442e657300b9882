//! Placing value labels where they cover nothing: a label's box moves, in steps of its height,
//! to the nearest place clear of the boxes already taken (whiskers, bars, other labels).

/// A box on the page, in pixels (y grows downwards).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

impl Rect {
    /// The box of a `w`×`h` label whose bottom centre is at (`x`, `y`).
    pub fn above(x: i32, y: i32, (w, h): (i32, i32)) -> Rect {
        Rect { left: x - w / 2, top: y - h, right: x + w - w / 2, bottom: y }
    }

    /// The box of a `w`×`h` label whose top centre is at (`x`, `y`).
    pub fn below(x: i32, y: i32, (w, h): (i32, i32)) -> Rect {
        Rect { left: x - w / 2, top: y, right: x + w - w / 2, bottom: y + h }
    }

    /// The box spanning two corners, in any order.
    pub fn spanning((x0, y0): (i32, i32), (x1, y1): (i32, i32)) -> Rect {
        Rect { left: x0.min(x1), top: y0.min(y1), right: x0.max(x1), bottom: y0.max(y1) }
    }

    pub fn overlaps(&self, o: &Rect, gap: i32) -> bool {
        self.left < o.right + gap && o.left < self.right + gap && self.top < o.bottom + gap && o.top < self.bottom + gap
    }

    fn moved(&self, dy: i32) -> Rect {
        Rect { top: self.top + dy, bottom: self.bottom + dy, ..*self }
    }
}

/// Which way a label may move to find room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moves {
    Up,
    Down,
}

/// `want`, or the nearest place `moves` allows that overlaps none of `taken` (`gap` pixels
/// apart), in steps of its height; `want` itself when none is found within as many steps as
/// there are boxes taken.
pub fn free_place(want: Rect, taken: &[Rect], gap: i32, moves: Moves) -> Rect {
    let step = (want.bottom - want.top).max(1) + gap;
    let free = |r: &Rect| taken.iter().all(|p| !r.overlaps(p, gap));
    let way = match moves {
        Moves::Up => -1,
        Moves::Down => 1,
    };
    (0..=taken.len() as i32 + 1).map(|k| want.moved(way * k * step)).find(|r| free(r)).unwrap_or(want)
}

/// Labels stacked apart in their own order from top to bottom: each keeps its place when it
/// is clear of the others, and labels that would overlap (`gap` pixels apart) form a column
/// centred where they wanted to be. Heights only: the labels are taken to share their x.
pub fn stack(wants: &[Rect], gap: i32) -> Vec<Rect> {
    let mut order: Vec<usize> = (0..wants.len()).collect();
    order.sort_by_key(|&i| (wants[i].top, i));
    // columns of labels, each its members in order and its top
    let mut columns: Vec<(Vec<usize>, i32)> = Vec::new();
    for i in order {
        columns.push((vec![i], wants[i].top));
        while columns.len() > 1 {
            let height = |members: &[usize]| members.iter().map(|&m| wants[m].bottom - wants[m].top + gap).sum::<i32>();
            let (above, below) = (&columns[columns.len() - 2], &columns[columns.len() - 1]);
            if above.1 + height(&above.0) <= below.1 {
                break;
            }
            let (mut members, _) = columns.pop().expect("two columns");
            let (mut merged, _) = columns.pop().expect("two columns");
            merged.append(&mut members);
            // the top that puts the column's labels, on average, where they wanted to be
            let mut offset = 0;
            let mut shift = 0;
            for &m in &merged {
                shift += wants[m].top - offset;
                offset += wants[m].bottom - wants[m].top + gap;
            }
            let top = shift / merged.len() as i32;
            columns.push((merged, top));
        }
    }
    let mut placed = wants.to_vec();
    for (members, top) in columns {
        let mut y = top;
        for m in members {
            placed[m] = wants[m].moved(y - wants[m].top);
            y += wants[m].bottom - wants[m].top + gap;
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_keeps_its_place_when_free_and_moves_clear_otherwise() {
        let want = Rect::above(100, 100, (40, 20));
        assert_eq!(free_place(want, &[], 4, Moves::Up), want);
        let taken = [Rect::above(110, 105, (40, 20))];
        let up = free_place(want, &taken, 4, Moves::Up);
        assert!(up.bottom < want.bottom && !up.overlaps(&taken[0], 4), "{up:?}");
        let down = free_place(want, &taken, 4, Moves::Down);
        assert!(down.top > want.top && !down.overlaps(&taken[0], 4), "{down:?}");
        // far apart sideways: no overlap whatever the height
        assert!(!Rect::above(0, 100, (40, 20)).overlaps(&Rect::above(100, 100, (40, 20)), 4));
    }

    #[test]
    fn stacked_labels_keep_their_order_and_stop_overlapping() {
        let wants = [Rect::above(0, 110, (30, 20)), Rect::above(0, 100, (30, 20)), Rect::above(0, 300, (30, 20))];
        let placed = stack(&wants, 4);
        // the first two overlapped: stacked apart, in their order, around where they were
        assert!(placed[1].bottom + 4 <= placed[0].top, "{placed:?}");
        assert!(placed[1].top < 80 && placed[0].bottom > 110, "{placed:?}");
        // the third was clear and stays
        assert_eq!(placed[2], wants[2]);
        for (a, b) in [(0, 1), (0, 2), (1, 2)] {
            assert!(!placed[a].overlaps(&placed[b], 3), "{a} and {b} overlap: {placed:?}");
        }
    }
}
