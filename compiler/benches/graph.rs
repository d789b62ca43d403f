//! Graph layout benchmark: generated data-pipeline DAGs of 50, 500 and 2,000 tasks
//! (`compiler::graph::sample::pipeline`), laid out and rendered to SVG.
//!
//! Run with `cargo bench -p compiler --bench graph`. Prints, per size, the median of several
//! runs of the picture build (parse, registry, walk), the layout alone, and the SVG rendering.
//! `cargo bench -p compiler --bench graph -- --dump DIR` also writes the sample workflows of 5,
//! 50 and 300 tasks and their SVGs to DIR, for looking at them.

use std::time::{Duration, Instant};

use compiler::graph::{GraphOptions, build_text, layout, sample, svg};

const SIZES: [usize; 3] = [50, 500, 2_000];
const RUNS: usize = 11;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--dump") {
        let dir = std::path::PathBuf::from(args.get(i + 1).map_or("graph-samples", |s| s));
        std::fs::create_dir_all(&dir).expect("create the dump directory");
        for n in [5, 50, 300] {
            let text = sample::pipeline(n, 1, true);
            let graph = build_text(&text, None, &GraphOptions::default()).expect("builds");
            std::fs::write(dir.join(format!("pipeline-{n}.yaml")), &text).expect("write yaml");
            std::fs::write(dir.join(format!("pipeline-{n}.svg")), svg::render(&graph))
                .expect("write svg");
        }
        println!("wrote samples to {}", dir.display());
        return;
    }
    let options = GraphOptions {
        max_nodes: 10_000,
        ..GraphOptions::default()
    };
    println!("| tasks | edges | build | layout | svg | total | picture |");
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for n in SIZES {
        let text = sample::pipeline(n, 1, false);
        let mut build_times = Vec::new();
        let mut layout_times = Vec::new();
        let mut svg_times = Vec::new();
        let mut shape = (0, 0.0, 0.0);
        for _ in 0..RUNS {
            let t = Instant::now();
            let graph = build_text(&text, None, &options).expect("builds");
            build_times.push(t.elapsed());
            let t = Instant::now();
            let placed = layout::layout(&graph);
            layout_times.push(t.elapsed());
            let t = Instant::now();
            let out = svg::render_layout(&graph, &placed);
            svg_times.push(t.elapsed());
            assert!(out.len() > n * 100);
            shape = (graph.edges.len(), placed.width, placed.height);
        }
        let (b, l, s) = (median(build_times), median(layout_times), median(svg_times));
        println!(
            "| {n} | {} | {} | {} | {} | {} | {:.0}×{:.0} px |",
            shape.0,
            ms(b),
            ms(l),
            ms(s),
            ms(b + l + s),
            shape.1,
            shape.2
        );
    }
}
