#!/usr/bin/env bash
# Builds the seed corpora of every fuzz target in fuzz/corpus/<target>/ (git-ignored) from the
# repository's fixtures, so nothing is committed in bulk:
#   lint       every YAML file under compiler/tests/fixtures, examples/ and, when ../shared
#              exists, Argo's upstream examples (/work/shared/corpus/argo-examples);
#   expr       `{{= }}` bodies and `expression:` values found in those files, and the expression
#              bodies of the vectors in compiler/tests/expr_vectors.rs;
#   tags       every scalar containing `{{` in those files, and every vector template;
#   when       `when:` values in those files and the govaluate vectors;
#   depends    `depends:` values in those files and the depends vectors;
#   dagg       the dagg fixtures' DAG files, alone and joined with each template;
#   admission  webhook/tests/data/*.json as raw bodies (mode byte 0), and every Argo object of
#              the YAML files as the object of a CREATE review (mode byte 1, kind bits set).
# Plus the hand-picked seeds in fuzz/seeds/<target>/ and the crash regressions in
# fuzz/regressions/<target>/. Files are named by content hash; rerunning is idempotent.
# Needs python3 with PyYAML (only for the admission seeds; the rest uses the standard library).
set -euo pipefail
cd "$(dirname "$0")/.."
out="fuzz/corpus"
mkdir -p "$out"/{lint,expr,tags,when,depends,admission,dagg}
python3 - "$out" <<'PY'
import glob, hashlib, json, os, re, sys

out = sys.argv[1]
counts = {}

def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    if not data or len(data) > 1 << 20:
        return
    name = hashlib.sha1(data).hexdigest()
    path = os.path.join(out, target, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        counts[target] = counts.get(target, 0) + 1

yaml_files = sorted(
    glob.glob("compiler/tests/fixtures/**/*.yaml", recursive=True)
    + glob.glob("examples/**/*.yaml", recursive=True)
    + glob.glob("../shared/corpus/argo-examples/**/*.yaml", recursive=True)
    + glob.glob("/work/shared/corpus/argo-examples/**/*.yaml", recursive=True)
)
value = r"\s*[\"']?(.+?)[\"']?\s*$"
for path in yaml_files:
    raw = open(path, "rb").read()
    put("lint", raw)
    text = raw.decode("utf-8", "replace")
    for line in text.splitlines():
        if "{{" in line:
            put("tags", line.split(":", 1)[-1].strip().strip("\"'"))
        for m in re.finditer(r"\{\{=(.*?)\}\}", line):
            put("expr", m.group(1))
        for key, target in (("when", "when"), ("depends", "depends"), ("expression", "expr")):
            m = re.match(r"\s*-?\s*" + key + ":" + value, line)
            if m:
                put(target, m.group(1))

def rust_unescape(s):
    s = re.sub(r"\\u\{([0-9a-fA-F]+)\}", lambda m: chr(int(m.group(1), 16)), s)
    return (s.replace("\\n", "\n").replace("\\t", "\t").replace('\\"', '"')
             .replace("\\\\", "\\"))

vectors = open("compiler/tests/expr_vectors.rs").read()
section = None
for line in vectors.splitlines():
    m = re.match(r"fn (\w+)\(", line)
    if m:
        section = m.group(1)
    m = re.match(r'\s*\("[0-9a-z]+",\s*"((?:[^"\\]|\\.)*)"', line)
    if not m:
        continue
    src = rust_unescape(m.group(1))
    if section == "when_conditions":
        put("when", src)
    elif section == "depends_expressions":
        put("depends", src)
    else:
        put("tags", src)
        for e in re.finditer(r"\{\{=(.*?)\}\}", src, re.S):
            put("expr", e.group(1))
        if section == "raw_expression_fields_use_go_percent_v":
            put("expr", src)

for path in sorted(glob.glob("webhook/tests/data/*.json")):
    put("admission", b"\x00" + open(path, "rb").read())

try:
    import yaml
except ImportError:
    yaml = None
kinds = ["Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"]
if yaml:
    for path in yaml_files:
        try:
            docs = list(yaml.safe_load_all(open(path, encoding="utf-8")))
        except Exception:
            continue
        for doc in docs:
            if isinstance(doc, dict) and doc.get("kind") in kinds:
                mode = 1 | (kinds.index(doc["kind"]) << 2)
                put("admission", bytes([mode]) + json.dumps(doc, default=str).encode())

# dagg: every DAG file of the dagg fixtures and examples, alone and followed by each template
# (the `\n#template\n` mark splits them, as in tests/fuzz.rs).
dags = sorted(glob.glob("compiler/tests/fixtures/dagg/**/*.dag", recursive=True)
              + glob.glob("examples/dagg/*.dag"))
tmpls = sorted(glob.glob("compiler/tests/fixtures/dagg/**/*.tmpl", recursive=True)
               + glob.glob("examples/dagg/*.tmpl"))
for d in dags:
    dag = open(d, "rb").read()
    put("dagg", dag)
    for t in tmpls:
        put("dagg", dag + b"\n#template\n" + open(t, "rb").read())

for target in ("lint", "expr", "tags", "when", "depends", "admission", "dagg"):
    for d in ("fuzz/seeds", "fuzz/regressions"):
        for path in sorted(glob.glob(os.path.join(d, target, "*"))):
            put(target, open(path, "rb").read())
    total = len(os.listdir(os.path.join(out, target)))
    print(f"{target:<10} {counts.get(target, 0):>5} new, {total:>5} in {out}/{target}")
PY
