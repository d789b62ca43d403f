//! Engine tests beyond the Go vectors (`tests/dagg_template.rs`): budgets, provenance, positions.

use super::*;
use crate::dagg::file::read;
use crate::parse::Limits as YamlLimits;
use crate::source::FileId;

fn data() -> Val {
    let file = SourceFile::new(
        FileId(0),
        "dag.yaml",
        "name: wf\njobs:\n- name: a\n  commands: [x]\n- name: b\n  commands: [y]\n  dependencies: [a]\n"
            .to_string(),
    );
    let mut out = Vec::new();
    let dag = read(&file, &YamlLimits::default(), &mut out);
    assert!(out.is_empty());
    dag_data(&dag)
}

fn run(text: &str, limits: Limits) -> Result<Output, Box<Diagnostic>> {
    let file = SourceFile::new(FileId(1), "t.tmpl", text.to_string());
    Template::parse(&file, &limits)?.execute(&file, &data())
}

#[test]
fn printed_values_remember_their_dag_file_span() {
    let out = run(
        "x: {{ range .Jobs }}{{ .Name }}-{{ end }}",
        Limits::default(),
    )
    .unwrap();
    assert_eq!(out.text, "x: a-b-");
    assert_eq!(out.origins.len(), 2);
    // `b` is at output offset 5; it was read at `name: b` (offset of `b` in the DAG file).
    let span = out.origin_at(5).unwrap();
    assert_eq!(span.start, 49);
    assert_eq!(out.origin_at(4), None);
    let out = run(
        "{{ printf \"%s-x\" (index .Jobs 1).Name }}",
        Limits::default(),
    )
    .unwrap();
    assert_eq!(out.origin_at(0).map(|s| s.start), Some(49));
}

#[test]
fn budgets_stop_runaway_templates() {
    let nested = "{{ range $.Jobs }}".repeat(40) + "x" + &"{{ end }}".repeat(40);
    let d = run(&nested, Limits::default()).unwrap_err();
    assert_eq!(d.code(), "AG009");
    assert!(
        d.message.contains("more than 2000000 steps"),
        "{}",
        d.message
    );
    let small = Limits {
        max_output: 10,
        ..Limits::default()
    };
    let d = run("{{ range .Jobs }}0123456789{{ end }}", small).unwrap_err();
    assert!(d.message.contains("larger than 10 bytes"), "{}", d.message);
}

#[test]
fn errors_point_at_the_failing_action() {
    let d = run("line one\n  {{ .Nope }}", Limits::default()).unwrap_err();
    assert_eq!(d.code(), "AG009");
    assert_eq!((d.span().start, d.span().end), (14, 19));
    assert_eq!(
        d.message,
        "executing at <.Nope>: can't evaluate field Nope in type DAG"
    );
    let d = run("{{ range .Jobs }}\n{{ join . }}", Limits::default()).unwrap_err();
    assert_eq!(d.code(), "AG008");
    assert_eq!(d.span().start, 21);
    assert!(d.help.as_deref().unwrap_or("").contains("builtin"));
}
