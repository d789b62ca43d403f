//! The layered (Sugiyama) layout of one flat graph of boxes.
//!
//! 1. Cycles are broken by reversing the back edges of a depth-first search from the sources
//!    (self-loops are set aside and drawn as loops).
//! 2. Layers: longest path from the sources, then each source is pulled down next to its
//!    nearest successor, so side branches do not start at the top with a long edge.
//! 3. Edges spanning several layers get a chain of dummy nodes (one per layer crossed); a
//!    labelled edge's first dummy is as wide as its label, so the label has room.
//! 4. Crossing reduction: barycenter sweeps down and up, keeping the best order seen; crossings
//!    between two layers are counted in O(E log V) with a Fenwick tree.
//! 5. x coordinates: alternating sweeps move every layer towards the weighted mean of its
//!    neighbours' positions, solved exactly under the order and spacing constraints by isotonic
//!    regression (pool adjacent violators). Edges between dummies weigh most, so long edges run
//!    straight; nodes with no neighbour in the reference layer keep their place.
//! 6. y coordinates: layer bands as tall as their tallest box; edges leave boxes at the bottom
//!    and enter at the top, through their dummies' positions.
//!
//! Every step is linear or `O(E log V)` per sweep, with a fixed number of sweeps.

/// Spacing of the layout, in SVG user units (px).
#[derive(Clone, Copy, Debug)]
pub struct Spacing {
    /// Horizontal gap between two boxes of a layer.
    pub node: f64,
    /// Horizontal gap next to a dummy (an edge passing through a layer).
    pub edge: f64,
    /// Vertical gap between two layers.
    pub rank: f64,
}

impl Default for Spacing {
    fn default() -> Self {
        Spacing {
            node: 22.0,
            edge: 10.0,
            rank: 42.0,
        }
    }
}

/// A flat graph of boxes to lay out.
#[derive(Clone, Debug, Default)]
pub struct Input {
    /// Width and height of each box.
    pub sizes: Vec<(f64, f64)>,
    /// `(from, to)` box indices.
    pub edges: Vec<(usize, usize)>,
    /// Width of each edge's label (0 for none).
    pub label_widths: Vec<f64>,
}

/// Where everything went; coordinates start at (0, 0).
#[derive(Clone, Debug, Default)]
pub struct Output {
    /// Centre of each box.
    pub centers: Vec<(f64, f64)>,
    pub width: f64,
    pub height: f64,
    pub routes: Vec<Route>,
}

/// The path of one edge, from its source to its target.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Route {
    pub points: Vec<(f64, f64)>,
    /// Drawn against the flow (the edge closes a cycle).
    pub back: bool,
    /// An edge from a box to itself.
    pub self_loop: bool,
    /// Centre of the label, when the edge has one.
    pub label_at: Option<(f64, f64)>,
}

/// Room kept on each side of a box with a self-loop.
const SELF_LOOP_ROOM: f64 = 22.0;
/// Height reserved for an edge label in its dummy layer.
const LABEL_HEIGHT: f64 = 16.0;
/// Passes of the edge-shortening layer moves.
const LAYER_PASSES: usize = 8;
/// Passes of the transpose heuristic per sweep, and the largest layer it works on.
const TRANSPOSE_PASSES: usize = 4;
const TRANSPOSE_MAX_LAYER: usize = 300;
const TRANSPOSE_MAX_EDGES: usize = 50_000;
/// Most boxes plus dummy nodes in one layout: dense DAGs with long edges would otherwise need
/// quadratically many dummies.
const MAX_VIRTUAL: usize = 200_000;
/// Number of down+up sweeps of the crossing reduction.
const ORDER_SWEEPS: usize = 8;
/// Number of sweeps of the coordinate assignment.
const PLACE_SWEEPS: usize = 8;

/// Lays out `input`.
pub fn layout(input: &Input, spacing: &Spacing) -> Output {
    let n = input.sizes.len();
    if n == 0 {
        return Output::default();
    }
    let mut connected = vec![false; n];
    for &(a, b) in &input.edges {
        if a < n && b < n {
            connected[a] = true;
            connected[b] = true;
        }
    }
    let isolated = connected.iter().filter(|c| !**c).count();
    if isolated > GRID_AFTER && isolated < n {
        return with_grid(input, &connected, spacing);
    }
    layout_connected(input, spacing)
}

/// More than this many boxes without edges go to a grid above the rest.
const GRID_AFTER: usize = 6;

/// Lays out the boxes without edges as a grid at the top, and the rest below it.
fn with_grid(input: &Input, connected: &[bool], spacing: &Spacing) -> Output {
    let rest: Vec<usize> = (0..connected.len()).filter(|&v| connected[v]).collect();
    let alone: Vec<usize> = (0..connected.len()).filter(|&v| !connected[v]).collect();
    let mut index = vec![usize::MAX; connected.len()];
    for (i, &v) in rest.iter().enumerate() {
        index[v] = i;
    }
    let n = connected.len();
    let kept: Vec<usize> = (0..input.edges.len())
        .filter(|&e| input.edges[e].0 < n && input.edges[e].1 < n)
        .collect();
    let sub = Input {
        sizes: rest.iter().map(|&v| input.sizes[v]).collect(),
        edges: kept
            .iter()
            .map(|&e| (index[input.edges[e].0], index[input.edges[e].1]))
            .collect(),
        label_widths: kept
            .iter()
            .map(|&e| input.label_widths.get(e).copied().unwrap_or(0.0))
            .collect(),
    };
    let below = layout_connected(&sub, spacing);
    let grid_input = Input {
        sizes: alone.iter().map(|&v| input.sizes[v]).collect(),
        ..Input::default()
    };
    let grid = layout_connected(&grid_input, spacing);
    let shift = grid.height + spacing.rank;
    let mut out = Output {
        centers: vec![(0.0, 0.0); connected.len()],
        width: below.width.max(grid.width),
        height: shift + below.height,
        routes: vec![Route::default(); input.edges.len()],
    };
    for (route, &e) in below.routes.into_iter().zip(&kept) {
        out.routes[e] = route;
    }
    for (i, &v) in alone.iter().enumerate() {
        out.centers[v] = grid.centers[i];
    }
    for (i, &v) in rest.iter().enumerate() {
        let (x, y) = below.centers[i];
        out.centers[v] = (x, y + shift);
    }
    for r in &mut out.routes {
        for p in &mut r.points {
            p.1 += shift;
        }
        r.label_at = r.label_at.map(|(x, y)| (x, y + shift));
    }
    out
}

/// A grid of `n` unconnected boxes: rows of about √(2n) boxes, at least [`GRID_AFTER`].
fn grid_layers(n: usize) -> Vec<usize> {
    let columns = ((2 * n) as f64).sqrt().ceil().max(GRID_AFTER as f64) as usize;
    (0..n).map(|i| i / columns).collect()
}

fn layout_connected(input: &Input, spacing: &Spacing) -> Output {
    let n = input.sizes.len();
    if n == 0 {
        return Output::default();
    }
    // 1. Cycle removal.
    let edges: Vec<(usize, usize)> = input
        .edges
        .iter()
        .map(|&(a, b)| (a.min(n - 1), b.min(n - 1)))
        .collect();
    let reversed = back_edges(n, &edges);
    let dag: Vec<Option<(usize, usize)>> = edges
        .iter()
        .zip(&reversed)
        .map(|(&(a, b), &rev)| match (a == b, rev) {
            (true, _) => None,
            (false, false) => Some((a, b)),
            (false, true) => Some((b, a)),
        })
        .collect();
    // 2. Layers. With edge labels every layer is doubled, so each edge crosses at least one
    // dummy layer where its label gets room of its own.
    let mut layer = if input.edges.is_empty() && n > GRID_AFTER {
        grid_layers(n)
    } else {
        layers(n, &dag)
    };
    let labelled = input.label_widths.iter().any(|&w| w > 0.0);
    if labelled {
        for l in &mut layer {
            *l *= 2;
        }
    }
    // 3. Dummy nodes. A box with a self-loop is widened on both sides, so the loop drawn on
    // its right has room.
    let mut g = Virtual::new(input, &layer);
    for &(a, b) in &edges {
        if a == b {
            g.width[a] = input.sizes[a].0.max(1.0) + 2.0 * SELF_LOOP_ROOM;
        }
    }
    let chains: Vec<Vec<usize>> = dag
        .iter()
        .enumerate()
        .map(|(e, d)| match d {
            Some((a, b)) => g.chain(*a, *b, input.label_widths.get(e).copied().unwrap_or(0.0)),
            None => Vec::new(),
        })
        .collect();
    // 4. Order.
    g.order();
    // 5–6. Coordinates.
    g.place(spacing);
    g.straighten(&chains, spacing);
    let rank_gap = if labelled {
        spacing.rank / 2.0
    } else {
        spacing.rank
    };
    let bands = g.bands(rank_gap);
    let mut out = Output {
        centers: (0..n).map(|v| (g.x[v], bands.box_center(&g, v))).collect(),
        width: g.width(),
        height: bands.total,
        routes: Vec::with_capacity(edges.len()),
    };
    for (e, chain) in chains.iter().enumerate() {
        let (a, _) = edges[e];
        if chain.is_empty() {
            out.routes.push(self_loop(&g, &bands, a));
            continue;
        }
        let label = input.label_widths.get(e).copied().unwrap_or(0.0);
        out.routes
            .push(route(&g, &bands, chain, reversed[e], label));
    }
    spread_ports(&g, &chains, &mut out.routes);
    for r in &mut out.routes {
        if r.back && !r.self_loop {
            r.points.reverse();
        }
    }
    out
}

/// Marks the edges that a depth-first search (from sources first) finds going back to a node
/// still on the stack. Iterative: no recursion on input size.
fn back_edges(n: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut out_adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for (e, &(a, b)) in edges.iter().enumerate() {
        if a != b {
            out_adj[a].push(e);
            indeg[b] += 1;
        }
    }
    let mut reversed = vec![false; edges.len()];
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let starts = (0..n)
        .filter(|&v| indeg[v] == 0)
        .chain((0..n).filter(|&v| indeg[v] != 0));
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for s in starts {
        if state[s] != 0 {
            continue;
        }
        state[s] = 1;
        stack.push((s, 0));
        while let Some(top) = stack.last_mut() {
            let (v, i) = *top;
            if let Some(&e) = out_adj[v].get(i) {
                top.1 += 1;
                let w = edges[e].1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => reversed[e] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    reversed
}

/// Longest-path layering, then nodes moved towards their successors or predecessors wherever
/// that shortens edges (a local version of network-simplex layering).
fn layers(n: usize, dag: &[Option<(usize, usize)>]) -> Vec<usize> {
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for &(a, b) in dag.iter().flatten() {
        succ[a].push(b);
        indeg[b] += 1;
    }
    let mut layer = vec![0usize; n];
    let mut queue: Vec<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut topo = Vec::with_capacity(n);
    let mut head = 0;
    while head < queue.len() {
        let v = queue[head];
        head += 1;
        topo.push(v);
        for &w in &succ[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            indeg[w] -= 1;
            if indeg[w] == 0 {
                queue.push(w);
            }
        }
    }
    // Shorten edges: move each node within the room its neighbours leave, towards the side
    // with more edges (ties go down, so a chain feeding a late join follows it down).
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (a, list) in succ.iter().enumerate() {
        for &b in list {
            pred[b].push(a);
        }
    }
    for _ in 0..LAYER_PASSES {
        let mut changed = false;
        for &v in topo.iter().rev() {
            let (i, o) = (pred[v].len(), succ[v].len());
            let target = if o > 0 && o >= i {
                succ[v]
                    .iter()
                    .map(|&w| layer[w])
                    .min()
                    .map(|m| m.saturating_sub(1))
            } else if i > o {
                pred[v].iter().map(|&w| layer[w] + 1).max()
            } else {
                None
            };
            if let Some(t) = target
                && t != layer[v]
                && pred[v].iter().all(|&w| layer[w] < t)
                && succ[v].iter().all(|&w| layer[w] > t)
            {
                layer[v] = t;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    layer
}

/// The graph with dummy nodes: boxes `0..real`, then dummies.
struct Virtual {
    real: usize,
    /// Widths of the boxes themselves (without room kept around them).
    box_width: Vec<f64>,
    width: Vec<f64>,
    height: Vec<f64>,
    layer: Vec<usize>,
    /// Neighbours in the layer above / below, with the edge weight.
    up: Vec<Vec<(usize, f64)>>,
    down: Vec<Vec<(usize, f64)>>,
    layers: Vec<Vec<usize>>,
    pos: Vec<usize>,
    x: Vec<f64>,
}

impl Virtual {
    fn new(input: &Input, layer: &[usize]) -> Self {
        let n = input.sizes.len();
        Virtual {
            real: n,
            box_width: input.sizes.iter().map(|s| s.0.max(1.0)).collect(),
            width: input.sizes.iter().map(|s| s.0.max(1.0)).collect(),
            height: input.sizes.iter().map(|s| s.1.max(1.0)).collect(),
            layer: layer.to_vec(),
            up: vec![Vec::new(); n],
            down: vec![Vec::new(); n],
            layers: Vec::new(),
            pos: Vec::new(),
            x: Vec::new(),
        }
    }

    fn is_dummy(&self, v: usize) -> bool {
        v >= self.real
    }

    /// Adds the chain of `a → b` (dummies included) and returns it.
    fn chain(&mut self, a: usize, b: usize, label_width: f64) -> Vec<usize> {
        let (la, lb) = (self.layer[a], self.layer[b]);
        if self.width.len() + (lb - la) > MAX_VIRTUAL {
            // Past the budget, a long edge is drawn straight and takes no part in ordering.
            return vec![a, b];
        }
        let mut chain = vec![a];
        let mut prev = a;
        for l in la + 1..lb {
            let d = self.width.len();
            let (w, h) = if l == la + 1 && label_width > 0.0 {
                (2.0 * (label_width + 6.0), LABEL_HEIGHT)
            } else {
                (2.0, 0.0)
            };
            self.width.push(w);
            self.height.push(h);
            self.layer.push(l);
            self.up.push(Vec::new());
            self.down.push(Vec::new());
            self.link(prev, d);
            chain.push(d);
            prev = d;
        }
        self.link(prev, b);
        chain.push(b);
        chain
    }

    fn link(&mut self, a: usize, b: usize) {
        let w = match (self.is_dummy(a), self.is_dummy(b)) {
            (true, true) => 24.0,
            (false, false) => 1.0,
            _ => 2.0,
        };
        self.down[a].push((b, w));
        self.up[b].push((a, w));
    }

    /// Initial order (depth-first from the boxes in input order), then barycenter sweeps.
    fn order(&mut self) {
        let total = self.width.len();
        let depth = self.layer.iter().copied().max().unwrap_or(0) + 1;
        self.layers = vec![Vec::new(); depth];
        let mut seen = vec![false; total];
        let mut stack = Vec::new();
        for s in 0..self.real {
            if seen[s] {
                continue;
            }
            seen[s] = true;
            stack.push(s);
            while let Some(v) = stack.pop() {
                self.layers[self.layer[v]].push(v);
                for &(w, _) in self.down[v].iter().rev() {
                    if !seen[w] {
                        seen[w] = true;
                        stack.push(w);
                    }
                }
            }
        }
        // Dummies are always reached from their chain's source; this is a safety net.
        for (v, s) in seen.iter().enumerate() {
            if !s {
                self.layers[self.layer[v]].push(v);
            }
        }
        self.pos = vec![0; total];
        self.renumber();
        let mut best = self.layers.clone();
        let mut best_crossings = self.crossings();
        for _ in 0..ORDER_SWEEPS {
            if best_crossings == 0 {
                break;
            }
            for l in 1..self.layers.len() {
                self.reorder(l, true);
            }
            for l in (0..self.layers.len().saturating_sub(1)).rev() {
                self.reorder(l, false);
            }
            self.transpose();
            let c = self.crossings();
            if c < best_crossings {
                best_crossings = c;
                best = self.layers.clone();
            }
        }
        self.layers = best;
        self.renumber();
    }

    /// Swaps neighbours within a layer while that removes crossings (the transpose heuristic),
    /// on layers small enough for it to stay cheap.
    fn transpose(&mut self) {
        let edges: usize = self.down.iter().map(Vec::len).sum();
        if edges > TRANSPOSE_MAX_EDGES {
            return;
        }
        for _ in 0..TRANSPOSE_PASSES {
            let mut improved = false;
            for l in 0..self.layers.len() {
                if self.layers[l].len() > TRANSPOSE_MAX_LAYER {
                    continue;
                }
                for i in 0..self.layers[l].len().saturating_sub(1) {
                    let (u, v) = (self.layers[l][i], self.layers[l][i + 1]);
                    if self.pair_crossings(u, v) > self.pair_crossings(v, u) {
                        self.layers[l].swap(i, i + 1);
                        self.pos[u] = i + 1;
                        self.pos[v] = i;
                        improved = true;
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }

    /// Crossings between the edges of `u` and `v` when `u` is left of `v`.
    fn pair_crossings(&self, u: usize, v: usize) -> usize {
        let count = |a: &[(usize, f64)], b: &[(usize, f64)]| {
            let mut c = 0;
            for &(x, _) in a {
                for &(y, _) in b {
                    if self.pos[x] > self.pos[y] {
                        c += 1;
                    }
                }
            }
            c
        };
        count(&self.up[u], &self.up[v]) + count(&self.down[u], &self.down[v])
    }

    fn renumber(&mut self) {
        for layer in &self.layers {
            for (i, &v) in layer.iter().enumerate() {
                self.pos[v] = i;
            }
        }
    }

    /// Sorts layer `l` by the barycenter of its neighbours above (`from_above`) or below.
    fn reorder(&mut self, l: usize, from_above: bool) {
        let mut keyed: Vec<(f64, usize)> = self.layers[l]
            .iter()
            .map(|&v| {
                let nbrs = if from_above {
                    &self.up[v]
                } else {
                    &self.down[v]
                };
                let key = if nbrs.is_empty() {
                    self.pos[v] as f64
                } else {
                    nbrs.iter().map(|&(w, _)| self.pos[w] as f64).sum::<f64>() / nbrs.len() as f64
                };
                (key, v)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
        self.layers[l] = keyed.into_iter().map(|(_, v)| v).collect();
        for (i, &v) in self.layers[l].iter().enumerate() {
            self.pos[v] = i;
        }
    }

    /// Edge crossings between every pair of adjacent layers.
    fn crossings(&self) -> usize {
        let mut total = 0;
        for l in 0..self.layers.len().saturating_sub(1) {
            let mut pairs: Vec<(usize, usize)> = Vec::new();
            for &v in &self.layers[l] {
                for &(w, _) in &self.down[v] {
                    pairs.push((self.pos[v], self.pos[w]));
                }
            }
            pairs.sort_unstable();
            let size = self.layers[l + 1].len();
            total += inversions(pairs.iter().map(|p| p.1), size);
        }
        total
    }

    /// x coordinates: packed, then pulled towards neighbours with isotonic regression.
    fn place(&mut self, spacing: &Spacing) {
        self.x = vec![0.0; self.width.len()];
        for layer in &self.layers {
            let mut at = 0.0;
            for (i, &v) in layer.iter().enumerate() {
                if i > 0 {
                    at += self.gap(layer[i - 1], v, spacing);
                }
                self.x[v] = at;
            }
        }
        let depth = self.layers.len();
        for sweep in 0..PLACE_SWEEPS {
            let last = sweep + 1 == PLACE_SWEEPS;
            for l in 1..depth {
                self.align(l, Some(true), spacing);
            }
            for l in (0..depth.saturating_sub(1)).rev() {
                self.align(l, Some(false), spacing);
            }
            if last {
                for l in 0..depth {
                    self.align(l, None, spacing);
                }
            }
        }
        let min = (0..self.width.len())
            .map(|v| self.x[v] - self.width[v] / 2.0)
            .fold(f64::INFINITY, f64::min);
        if min.is_finite() {
            for x in &mut self.x {
                *x -= min;
            }
        }
    }

    /// Puts the dummies of each long edge on one vertical line where their layers leave room,
    /// so long edges run straight instead of wavering from layer to layer.
    fn straighten(&mut self, chains: &[Vec<usize>], spacing: &Spacing) {
        for _ in 0..2 {
            for chain in chains {
                let dummies: Vec<usize> = chain
                    .iter()
                    .copied()
                    .filter(|&v| self.is_dummy(v))
                    .collect();
                if dummies.len() < 2 {
                    continue;
                }
                let mut xs: Vec<f64> = dummies.iter().map(|&d| self.x[d]).collect();
                xs.sort_by(f64::total_cmp);
                let candidates = [
                    xs[xs.len() / 2],
                    self.x[dummies[0]],
                    self.x[dummies[dummies.len() - 1]],
                ];
                if let Some(x) = candidates
                    .into_iter()
                    .find(|&x| dummies.iter().all(|&d| self.room(d, spacing).contains(&x)))
                {
                    for &d in &dummies {
                        self.x[d] = x;
                    }
                }
            }
        }
    }

    /// Where `v` may move without touching its neighbours in the layer.
    fn room(&self, v: usize, spacing: &Spacing) -> std::ops::RangeInclusive<f64> {
        let layer = &self.layers[self.layer[v]];
        let i = self.pos[v];
        let lo = match i.checked_sub(1).and_then(|j| layer.get(j)) {
            Some(&left) => self.x[left] + self.gap(left, v, spacing),
            None => f64::NEG_INFINITY,
        };
        let hi = match layer.get(i + 1) {
            Some(&right) => self.x[right] - self.gap(v, right, spacing),
            None => f64::INFINITY,
        };
        lo..=hi
    }

    fn gap(&self, a: usize, b: usize, spacing: &Spacing) -> f64 {
        let sep = if self.is_dummy(a) || self.is_dummy(b) {
            spacing.edge
        } else {
            spacing.node
        };
        (self.width[a] + self.width[b]) / 2.0 + sep
    }

    /// Moves layer `l` towards its neighbours above (`Some(true)`), below (`Some(false)`) or
    /// both (`None`), keeping its order and spacing.
    fn align(&mut self, l: usize, from_above: Option<bool>, spacing: &Spacing) {
        let layer = &self.layers[l];
        let k = layer.len();
        if k == 0 {
            return;
        }
        let mut target = Vec::with_capacity(k);
        let mut weight = Vec::with_capacity(k);
        for &v in layer {
            let nbrs = match from_above {
                Some(true) => self.up[v].iter().chain(&[][..]),
                Some(false) => self.down[v].iter().chain(&[][..]),
                None => self.up[v].iter().chain(&self.down[v][..]),
            };
            let (mut sum, mut wsum) = (0.0, 0.0);
            for &(w, wt) in nbrs {
                sum += wt * self.x[w];
                wsum += wt;
            }
            if wsum > 0.0 {
                target.push(sum / wsum);
                weight.push(wsum);
            } else if self.up[v].is_empty() && self.down[v].is_empty() {
                // No edges at all: stay next to the left neighbour instead of drifting.
                let i = target.len();
                let x = match i.checked_sub(1).map(|j| layer[j]) {
                    Some(left) => target[i - 1] + self.gap(left, v, spacing),
                    None => self.x[v],
                };
                target.push(x);
                weight.push(0.05);
            } else {
                target.push(self.x[v]);
                weight.push(0.05);
            }
        }
        // x[i] >= x[i-1] + gap(i-1, i): substitute y[i] = x[i] - offset[i], y non-decreasing.
        let mut offset = vec![0.0; k];
        for i in 1..k {
            offset[i] = offset[i - 1] + self.gap(layer[i - 1], layer[i], spacing);
        }
        let shifted: Vec<f64> = target.iter().zip(&offset).map(|(t, o)| t - o).collect();
        let y = isotonic(&shifted, &weight);
        let layer = self.layers[l].clone();
        for (i, v) in layer.into_iter().enumerate() {
            self.x[v] = y[i] + offset[i];
        }
    }

    fn bands(&self, rank_gap: f64) -> Bands {
        let mut top = Vec::with_capacity(self.layers.len());
        let mut height = Vec::with_capacity(self.layers.len());
        let mut at = 0.0;
        for layer in &self.layers {
            let h = layer.iter().map(|&v| self.height[v]).fold(0.0, f64::max);
            top.push(at);
            height.push(h);
            at += h + rank_gap;
        }
        Bands {
            top,
            height,
            total: (at - rank_gap).max(0.0),
        }
    }

    fn width(&self) -> f64 {
        (0..self.width.len())
            .map(|v| self.x[v] + self.width[v] / 2.0)
            .fold(0.0, f64::max)
    }
}

struct Bands {
    top: Vec<f64>,
    height: Vec<f64>,
    total: f64,
}

impl Bands {
    /// The vertical centre of box `v`: boxes hang from the top of their layer, so a small box
    /// next to a tall frame stays close to what feeds it.
    fn box_center(&self, g: &Virtual, v: usize) -> f64 {
        self.top.get(g.layer[v]).copied().unwrap_or(0.0) + g.height[v] / 2.0
    }

    fn center(&self, l: usize) -> f64 {
        self.top.get(l).copied().unwrap_or(0.0) + self.height.get(l).copied().unwrap_or(0.0) / 2.0
    }
}

/// The route of a chain (in layout direction), reversed for back edges.
fn route(g: &Virtual, bands: &Bands, chain: &[usize], back: bool, label_width: f64) -> Route {
    let (Some(&a), Some(&b)) = (chain.first(), chain.last()) else {
        return Route::default();
    };
    let mut points = Vec::with_capacity(chain.len() * 2);
    points.push((g.x[a], bands.box_center(g, a) + g.height[a] / 2.0));
    for &d in &chain[1..chain.len() - 1] {
        let l = g.layer[d];
        points.push((g.x[d], bands.top[l]));
        points.push((g.x[d], bands.top[l] + bands.height[l]));
    }
    points.push((g.x[b], bands.box_center(g, b) - g.height[b] / 2.0));
    let label_at = (label_width > 0.0).then(|| match chain.get(1) {
        Some(&d) if g.is_dummy(d) => (g.x[d] + label_width / 2.0 + 4.0, bands.center(g.layer[d])),
        _ => {
            let (p, q) = (points[0], points[points.len() - 1]);
            ((p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0)
        }
    });
    Route {
        points,
        back,
        self_loop: false,
        label_at,
    }
}

fn self_loop(g: &Virtual, bands: &Bands, v: usize) -> Route {
    let (x, y) = (
        g.x[v] + g.width[v] / 2.0 - SELF_LOOP_ROOM,
        bands.box_center(g, v),
    );
    let h = g.height[v] / 4.0;
    Route {
        points: vec![(x, y - h), (x + 18.0, y), (x, y + h)],
        back: true,
        self_loop: true,
        label_at: Some((x + 26.0, y)),
    }
}

/// One edge end on a box side: (route, point index, x of the neighbouring point).
type PortEnd = (usize, usize, f64);

/// Spreads the ends of edges sharing a box side along the middle of that side, ordered by
/// where the edges go, so they do not all meet in one point. Routes are still in layout
/// direction: the first point is on the bottom of `chain[0]`, the last on the top of the last.
fn spread_ports(g: &Virtual, chains: &[Vec<usize>], routes: &mut [Route]) {
    // (box, bottom side) -> (route, point index, x of the neighbouring point)
    let mut sides: std::collections::HashMap<(usize, bool), Vec<PortEnd>> =
        std::collections::HashMap::new();
    for (r, (route, chain)) in routes.iter().zip(chains).enumerate() {
        let (Some(&a), Some(&b)) = (chain.first(), chain.last()) else {
            continue;
        };
        if route.self_loop || route.points.len() < 2 {
            continue;
        }
        let last = route.points.len() - 1;
        sides
            .entry((a, true))
            .or_default()
            .push((r, 0, route.points[1].0));
        sides
            .entry((b, false))
            .or_default()
            .push((r, last, route.points[last - 1].0));
    }
    for ((v, _), mut ends) in sides {
        if ends.len() < 2 {
            continue;
        }
        ends.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)));
        let own = g.box_width.get(v).copied().unwrap_or(g.width[v]);
        let spread = own * 0.3;
        let k = ends.len() as f64;
        for (j, (r, i, _)) in ends.into_iter().enumerate() {
            routes[r].points[i].0 = g.x[v] - spread + 2.0 * spread * (j as f64 + 0.5) / k;
        }
    }
}

/// Weighted isotonic regression (non-decreasing), pool adjacent violators.
fn isotonic(target: &[f64], weight: &[f64]) -> Vec<f64> {
    // Blocks of (mean, weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(target.len());
    for (&t, &w) in target.iter().zip(weight) {
        blocks.push((t, w, 1));
        while blocks.len() > 1 {
            let (m2, w2, c2) = blocks[blocks.len() - 1];
            let (m1, w1, c1) = blocks[blocks.len() - 2];
            if m1 <= m2 {
                break;
            }
            blocks.pop();
            let w = w1 + w2;
            let last = blocks.len() - 1;
            blocks[last] = ((m1 * w1 + m2 * w2) / w, w, c1 + c2);
        }
    }
    let mut out = Vec::with_capacity(target.len());
    for (m, _, c) in blocks {
        out.extend(std::iter::repeat_n(m, c));
    }
    out
}

/// Inversions of `seq` (values below `size`): the crossings of a two-layer edge list sorted by
/// its upper end. Fenwick tree, O(E log V).
fn inversions(seq: impl Iterator<Item = usize>, size: usize) -> usize {
    let mut tree = vec![0usize; size + 1];
    let mut count = 0usize;
    for (seen, v) in seq.enumerate() {
        // Elements seen so far that are greater than v.
        let mut i = v + 1;
        let mut le = 0;
        while i > 0 {
            le += tree[i];
            i &= i - 1;
        }
        count += seen - le;
        let mut i = v + 1;
        while i <= size {
            tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_pools_violators() {
        let y = isotonic(&[1.0, 3.0, 2.0, 4.0], &[1.0; 4]);
        assert_eq!(y, [1.0, 2.5, 2.5, 4.0]);
        let y = isotonic(&[5.0, 1.0], &[3.0, 1.0]);
        assert_eq!(y, [4.0, 4.0]);
    }

    #[test]
    fn inversions_count_crossings() {
        assert_eq!(inversions([0, 1, 2].into_iter(), 3), 0);
        assert_eq!(inversions([2, 1, 0].into_iter(), 3), 3);
        assert_eq!(inversions([1, 0, 1].into_iter(), 2), 1);
    }

    #[test]
    fn cycles_are_broken_and_layers_respect_edges() {
        let edges = [(0, 1), (1, 2), (2, 0), (2, 3)];
        let rev = back_edges(4, &edges);
        assert_eq!(rev, [false, false, true, false]);
        let dag: Vec<_> = edges
            .iter()
            .zip(&rev)
            .map(|(&(a, b), &r)| Some(if r { (b, a) } else { (a, b) }))
            .collect();
        let layer = layers(4, &dag);
        for (a, b) in dag.iter().flatten() {
            assert!(layer[*a] < layer[*b]);
        }
    }

    #[test]
    fn a_diamond_is_laid_out_without_overlap() {
        let input = Input {
            sizes: vec![(80.0, 30.0); 4],
            edges: vec![(0, 1), (0, 2), (1, 3), (2, 3)],
            label_widths: vec![0.0; 4],
        };
        let out = layout(&input, &Spacing::default());
        let (a, b, c, d) = (
            out.centers[0],
            out.centers[1],
            out.centers[2],
            out.centers[3],
        );
        assert!(a.1 < b.1 && b.1 == c.1 && c.1 < d.1);
        assert!((b.0 - c.0).abs() >= 80.0);
        // The source and sink sit between their two neighbours.
        assert!((a.0 - (b.0 + c.0) / 2.0).abs() < 1.0);
        assert!((d.0 - (b.0 + c.0) / 2.0).abs() < 1.0);
        assert_eq!(out.routes.len(), 4);
    }
}
