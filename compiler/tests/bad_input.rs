//! Malformed and hostile inputs: every class gets a diagnostic with a position, without a panic,
//! in bounded time and memory.
//!
//! Memory is measured with a counting global allocator (peak bytes allocated while linting, over
//! the baseline after the input was built), so the bound is deterministic. Time is the CPU time
//! of the linting thread (from `/proc/thread-self/stat`, falling back to wall-clock time), so a
//! busy machine does not make the bound flaky; it is a guard against hangs and quadratic
//! blow-ups, not a benchmark (benchmarks live in `benches/`).

#![allow(unsafe_code)] // The counting allocator below is the only unsafe code in Bosun.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use compiler::LintSettings;
use compiler::load::Loaded;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// Forwards to the system allocator and only updates counters around it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Tests share the allocator counters, so they run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

const MAX_TIME: Duration = Duration::from_secs(1);

/// CPU time of the current thread where Linux exposes it, else wall-clock time.
enum Clock {
    Cpu(Duration),
    Wall(Instant),
}

impl Clock {
    fn now() -> Clock {
        thread_cpu_time().map_or_else(|| Clock::Wall(Instant::now()), Clock::Cpu)
    }

    fn elapsed(&self) -> Duration {
        match self {
            Clock::Cpu(start) => {
                thread_cpu_time().map_or(Duration::ZERO, |t| t.saturating_sub(*start))
            }
            Clock::Wall(start) => start.elapsed(),
        }
    }
}

/// utime + stime of this thread, in clock ticks of 10 ms (USER_HZ is 100 on Linux).
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}
const MAX_MEMORY: usize = 200 << 20;

struct Outcome {
    codes: Vec<&'static str>,
    positions: Vec<(u32, u32)>,
}

fn lint_bytes(bytes: Vec<u8>) -> Outcome {
    let _guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let settings = LintSettings::default();
    let baseline = CURRENT.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let start = Clock::now();
    let mut loaded = Loaded::default();
    let size = bytes.len() as u64;
    loaded.add_bytes("input.yaml", bytes, size, &settings.limits);
    let report = compiler::lint(&loaded, &settings);
    let elapsed = start.elapsed();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(baseline);
    assert!(elapsed < MAX_TIME, "took {elapsed:?}");
    assert!(peak < MAX_MEMORY, "peak allocation {} MiB", peak >> 20);
    let file = loaded
        .sources
        .get(compiler::source::FileId(0))
        .expect("file");
    Outcome {
        codes: report.diagnostics.iter().map(|d| d.code()).collect(),
        positions: report
            .diagnostics
            .iter()
            .map(|d| {
                let lc = file.line_col(d.span().start);
                (lc.line, lc.col)
            })
            .collect(),
    }
}

fn lint_str(text: &str) -> Outcome {
    lint_bytes(text.as_bytes().to_vec())
}

const WF_HEAD: &str =
    "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: x-\n";

#[test]
fn empty_and_comment_only_files_are_quietly_accepted() {
    for text in ["", "\n\n", "# just a comment\n", "---\n---\n", "   "] {
        let o = lint_str(text);
        assert!(o.codes.is_empty(), "{text:?} gave {:?}", o.codes);
    }
}

#[test]
fn binary_garbage_is_reported_as_invalid_utf8() {
    let mut bytes = b"apiVersion: v1\n".to_vec();
    bytes.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 0x80));
    let o = lint_bytes(bytes);
    assert_eq!(o.codes, ["AW002"]);
    assert_eq!(o.positions, [(2, 1)]);
}

#[test]
fn nul_and_control_bytes_are_syntax_errors() {
    let o = lint_str(&format!("{WF_HEAD}spec:\n  entrypoint: \u{0}main\n"));
    assert_eq!(o.codes, ["AW001"]);
    assert_eq!(o.positions[0].0, 6);
}

#[test]
fn byte_order_mark_and_crlf_are_fine() {
    let text = format!("\u{feff}{WF_HEAD}spec:\n  entrypoint: main\n").replace('\n', "\r\n");
    let o = lint_str(&text);
    assert!(!o.codes.contains(&"AW001"), "{:?}", o.codes);
}

#[test]
fn unterminated_quote_points_at_the_scalar() {
    let o = lint_str(&format!("{WF_HEAD}spec:\n  entrypoint: \"main\n"));
    assert_eq!(o.codes, ["AW001"]);
    assert!(o.positions[0].0 >= 6);
}

#[test]
fn tabs_have_their_own_diagnostic() {
    let o = lint_str(&format!("{WF_HEAD}spec:\n\tentrypoint: main\n"));
    assert_eq!(o.codes, ["AW004"]);
    assert_eq!(o.positions, [(6, 2)]);
}

#[test]
fn duplicate_keys_are_warned_about_each_time() {
    let o = lint_str(&format!(
        "{WF_HEAD}  generateName: y-\nspec:\n  a: 1\n  a: 2\n"
    ));
    assert_eq!(o.codes.iter().filter(|c| **c == "AW003").count(), 2);
}

#[test]
fn non_mapping_roots_are_reported() {
    for (text, line) in [("- a\n- b\n", 1), ("just a string\n", 1), ("42\n", 1)] {
        let o = lint_str(text);
        assert_eq!(o.codes, ["AW008"], "{text:?}");
        assert_eq!(o.positions[0].0, line);
    }
}

#[test]
fn billion_laughs_is_stopped() {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..=12 {
        let p = i - 1;
        let refs = vec![format!("*a{p}"); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let o = lint_str(&text);
    assert_eq!(o.codes, ["AW005"]);
}

#[test]
fn quadratic_alias_fan_out_is_stopped() {
    // One big anchored list referenced many times: linear text, quadratic expansion.
    let items = vec!["x"; 5000].join(", ");
    let refs = vec!["*big"; 5000].join(", ");
    let o = lint_str(&format!("big: &big [{items}]\nall: [{refs}]\n"));
    assert_eq!(o.codes, ["AW005"]);
}

#[test]
fn ten_thousand_levels_of_nesting_are_refused() {
    let flow = format!("spec: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(lint_str(&flow).codes, ["AW006"]);
    let flow_maps = format!("spec: {}1{}\n", "{a: ".repeat(10_000), "}".repeat(10_000));
    assert_eq!(lint_str(&flow_maps).codes, ["AW006"]);
    // Block nesting costs quadratic text (indentation), so 2,000 levels is already 4 MB.
    let mut block = String::new();
    for i in 0..2_000 {
        block.push_str(&" ".repeat(i));
        block.push_str("k:\n");
    }
    assert_eq!(lint_str(&block).codes, ["AW006"]);
    let seqs: String = (0..1_000)
        .map(|i| format!("{}-\n", " ".repeat(i * 2)))
        .collect();
    assert_eq!(lint_str(&seqs).codes, ["AW006"]);
}

#[test]
fn fifty_megabyte_file_is_refused_without_parsing() {
    let mut text = String::from(WF_HEAD);
    text.push_str("  annotations:\n    blob: \"");
    text.push_str(&"x".repeat(50 << 20));
    text.push_str("\"\n");
    let o = lint_str(&text);
    assert_eq!(o.codes, ["AW007"]);
    assert_eq!(o.positions, [(1, 1)]);
}

#[test]
fn oversized_document_is_dropped_and_neighbours_checked() {
    let big_doc = format!(
        "{WF_HEAD}  annotations:\n    blob: \"{}\"\n",
        "y".repeat(5 << 20)
    );
    let text = format!("{big_doc}---\napiVersion: v1\nkind: ConfigMap\n");
    let o = lint_str(&text);
    assert_eq!(o.codes, ["AW007", "AW009"]);
}

#[test]
fn huge_scalars_and_numbers_are_values_not_crashes() {
    let long_string = "z".repeat(1 << 20);
    let o = lint_str(&format!(
        "{WF_HEAD}  annotations:\n    a: {long_string}\n    b: {}\n    c: 1e999999\n    d: -99999999999999999999999\n",
        "9".repeat(10_000)
    ));
    assert!(
        o.codes.iter().all(|c| !c.starts_with("AW00")),
        "{:?}",
        o.codes
    );
}

#[test]
fn very_long_single_line_documents_render_quickly() {
    let mut text =
        String::from("{\"apiVersion\": \"argoproj.io/v1alpha1\", \"kind\": \"Workflow\", \"x\": [");
    text.push_str(&vec!["\"item\""; 200_000].join(","));
    text.push_str("], \"broken\": ]}");
    let o = lint_str(&text);
    assert_eq!(o.codes, ["AW001"]);
    assert_eq!(o.positions[0].0, 1);
}

#[test]
fn wrong_kinds_and_versions_are_named() {
    let o = lint_str(
        "apiVersion: argoproj.io/v1beta1\nkind: Workflow\n---\nkind: Workflow\n---\napiVersion: v1\nkind: Secret\n---\nkind: [a]\n",
    );
    assert_eq!(o.codes, ["AW011", "AW010", "AW009", "AW010"]);
}

#[test]
fn merge_keys_and_complex_keys_do_not_confuse_the_tree() {
    let o = lint_str("base: &b {a: 1}\nx:\n  <<: [*b, {c: 2}]\n  ? {k: v}\n  : 3\n<<: 5\n");
    assert!(o.codes.contains(&"AW012"), "{:?}", o.codes);
}
