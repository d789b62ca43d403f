//! Where a CronJob's `argo submit` is, and where the file it submits lives: a ConfigMap mounted
//! into the container (read from the inputs), or something Bosun cannot read (a file inside an
//! image, copied at run time, on a volume), described precisely enough to go and get it.

use super::shell;
use super::{at, str_at};
use crate::parse::NodeRef;

/// An `argo submit` found in a container.
#[derive(Clone, Debug)]
pub(crate) struct Found<'a> {
    pub container: NodeRef<'a>,
    /// The words after `argo submit`.
    pub args: Vec<String>,
}

/// The items of a sequence (none for anything else).
fn items_of(node: Option<NodeRef<'_>>) -> Vec<NodeRef<'_>> {
    match node {
        Some(n) if n.is_seq() => n.items().collect(),
        _ => Vec::new(),
    }
}

/// The pod spec of a CronJob's job template.
pub(crate) fn pod_spec<'a>(cronjob: NodeRef<'a>) -> Option<NodeRef<'a>> {
    at(
        cronjob,
        &["spec", "jobTemplate", "spec", "template", "spec"],
    )
}

/// The words a container runs: `command` then `args`.
fn argv(container: NodeRef<'_>) -> Vec<String> {
    ["command", "args"]
        .iter()
        .filter_map(|k| container.get(k))
        .filter(|n| n.is_seq())
        .flat_map(|n| {
            n.items()
                .filter_map(|i| i.scalar_text())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The simple commands a container runs: its argv, or the commands of its `sh -c` script.
fn commands(container: NodeRef<'_>) -> Vec<Vec<String>> {
    let words = argv(container);
    let is_shell = words.first().is_some_and(|w| {
        matches!(
            basename(w),
            "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "busybox"
        )
    });
    if is_shell
        && let Some(c) = words
            .iter()
            .position(|w| w == "-c" || w == "-ec" || w == "-ce")
    {
        return words
            .get(c + 1)
            .map(|script| shell::commands(script))
            .unwrap_or_default();
    }
    vec![words]
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Every `argo submit` run by the CronJob's (non-init) containers.
pub(crate) fn submits<'a>(cronjob: NodeRef<'a>) -> Vec<Found<'a>> {
    let Some(containers) = pod_spec(cronjob).and_then(|p| p.get("containers")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for container in containers.items() {
        for mut words in commands(container) {
            // `exec argo submit …`, `time argo submit …`
            while words
                .first()
                .is_some_and(|w| matches!(w.as_str(), "exec" | "time" | "command"))
            {
                words.remove(0);
            }
            // `argo [global flags] submit …`: global flags (`-n ns`) count as submit flags.
            if words.first().is_some_and(|w| basename(w) == "argo")
                && let Some(pos) = words.iter().position(|w| w == "submit")
                && words[1..pos].first().is_none_or(|w| w.starts_with('-'))
            {
                let mut args = words[1..pos].to_vec();
                args.extend_from_slice(&words[pos + 1..]);
                out.push(Found { container, args });
            }
        }
    }
    out
}

/// Where the submitted file is.
#[derive(Clone, Debug)]
pub(crate) enum Location<'a> {
    /// In a ConfigMap of the inputs: its document, the key, and the manifest text.
    ConfigMap {
        configmap: NodeRef<'a>,
        key: String,
        text: &'a str,
    },
    /// Not readable from the inputs: what it is and how to supply it.
    Unreadable { what: String, how: String },
}

/// How to supply a file Bosun cannot read.
fn supply(extract: Option<String>) -> String {
    let flag = "run `bosun migrate` again with `--workflow FILE` to supply it";
    match extract {
        Some(e) => format!("{e}, then {flag}"),
        None => flag.to_string(),
    }
}

/// Finds the file `path` as the container sees it.
pub(crate) fn locate<'a>(
    path: &str,
    cronjob: NodeRef<'a>,
    container: NodeRef<'a>,
    configmaps: &[NodeRef<'a>],
) -> Location<'a> {
    let cname = str_at(container, &["name"]).unwrap_or("?");
    let image = str_at(container, &["image"]).unwrap_or("?");
    if path == "-" {
        return Location::Unreadable {
            what: format!("container `{cname}` submits its standard input (`argo submit -`)"),
            how: supply(None),
        };
    }
    let absolute = if path.starts_with('/') {
        path.to_string()
    } else {
        match str_at(container, &["workingDir"]) {
            Some(dir) => format!("{}/{path}", dir.trim_end_matches('/')),
            None => {
                return Location::Unreadable {
                    what: format!(
                        "`{path}` is relative to the working directory of image `{image}` \
                         (container `{cname}`): Bosun cannot read files inside images"
                    ),
                    how: supply(Some(format!(
                        "copy it out of the image (`docker run --rm --entrypoint cat {image} {path} > workflow.yaml`)"
                    ))),
                };
            }
        }
    };
    let Some((volume_name, inner)) = mount_of(container, &absolute) else {
        return Location::Unreadable {
            what: format!(
                "`{absolute}` is inside image `{image}` of container `{cname}`: Bosun cannot read \
                 files inside images"
            ),
            how: supply(Some(format!(
                "copy it out of the image (`docker run --rm --entrypoint cat {image} {absolute} > workflow.yaml`)"
            ))),
        };
    };
    let pod = pod_spec(cronjob);
    let volume = items_of(pod.and_then(|p| p.get("volumes")))
        .into_iter()
        .find(|v| str_at(*v, &["name"]) == Some(volume_name.as_str()));
    let Some(volume) = volume else {
        return Location::Unreadable {
            what: format!(
                "`{absolute}` is on volume `{volume_name}`, which the pod does not declare"
            ),
            how: supply(None),
        };
    };
    if let Some(cm) = volume.get("configMap") {
        return from_configmap(cm, &inner, &absolute, cronjob, configmaps);
    }
    if volume.get("emptyDir").is_some() {
        return from_empty_dir(&volume_name, &inner, &absolute, cronjob);
    }
    let (kind, name) = if let Some(s) = volume.get("secret") {
        ("Secret", str_at(s, &["secretName"]))
    } else if let Some(p) = volume.get("persistentVolumeClaim") {
        ("PersistentVolumeClaim", str_at(p, &["claimName"]))
    } else if let Some(h) = volume.get("hostPath") {
        ("hostPath", str_at(h, &["path"]))
    } else {
        ("volume", None)
    };
    let named = name.map(|n| format!(" `{n}`")).unwrap_or_default();
    Location::Unreadable {
        what: format!(
            "`{absolute}` is on volume `{volume_name}` ({kind}{named}), which Bosun does not read"
        ),
        how: supply(None),
    }
}

/// The volume mounted at the longest prefix of `path`, and the path inside that volume.
fn mount_of(container: NodeRef<'_>, path: &str) -> Option<(String, String)> {
    let mut best: Option<(usize, String, String)> = None;
    for mount in container.get("volumeMounts")?.items() {
        let (Some(name), Some(mount_path)) =
            (str_at(mount, &["name"]), str_at(mount, &["mountPath"]))
        else {
            continue;
        };
        let base = mount_path.trim_end_matches('/');
        let sub = str_at(mount, &["subPath"]).filter(|s| !s.is_empty());
        let inner = match sub {
            // A subPath mount puts one entry of the volume at exactly `mountPath`.
            Some(sub) if path == base => Some(sub.to_string()),
            Some(sub) => path
                .strip_prefix(base)
                .and_then(|r| r.strip_prefix('/'))
                .map(|r| format!("{}/{r}", sub.trim_end_matches('/'))),
            None => path
                .strip_prefix(base)
                .and_then(|r| r.strip_prefix('/'))
                .map(str::to_string),
        };
        if let Some(inner) = inner
            && best.as_ref().is_none_or(|(len, _, _)| base.len() > *len)
        {
            best = Some((base.len(), name.to_string(), inner));
        }
    }
    best.map(|(_, name, inner)| (name, inner))
}

fn from_configmap<'a>(
    cm: NodeRef<'a>,
    inner: &str,
    absolute: &str,
    cronjob: NodeRef<'a>,
    configmaps: &[NodeRef<'a>],
) -> Location<'a> {
    let Some(name) = str_at(cm, &["name"]) else {
        return Location::Unreadable {
            what: format!("`{absolute}` is on a ConfigMap volume without a name"),
            how: supply(None),
        };
    };
    // `items` projects chosen keys to chosen paths; without it every key is a file.
    let key = match cm.get("items").filter(|i| i.is_seq()) {
        Some(items) => match items
            .items()
            .find(|i| str_at(*i, &["path"]).map(|p| p.trim_start_matches("./")) == Some(inner))
            .and_then(|i| str_at(i, &["key"]))
        {
            Some(k) => k.to_string(),
            None => {
                return Location::Unreadable {
                    what: format!(
                        "ConfigMap `{name}` is mounted with `items` that project no `{inner}`"
                    ),
                    how: supply(None),
                };
            }
        },
        None => inner.to_string(),
    };
    let namespace = str_at(cronjob, &["metadata", "namespace"]);
    let found = configmaps.iter().copied().find(|c| {
        str_at(*c, &["metadata", "name"]) == Some(name) && {
            let ns = str_at(*c, &["metadata", "namespace"]);
            ns.is_none() || namespace.is_none() || ns == namespace
        }
    });
    let ns = namespace.map(|n| format!(" -n {n}")).unwrap_or_default();
    let Some(configmap) = found else {
        return Location::Unreadable {
            what: format!(
                "`{absolute}` is key `{key}` of ConfigMap `{name}`, which is not among the inputs"
            ),
            how: format!(
                "pass its manifest too (`kubectl get configmap {name}{ns} -o yaml > configmap.yaml`), \
                 or {}",
                supply(None)
            ),
        };
    };
    match configmap.get("data").and_then(|d| d.get(&key)) {
        Some(v) => match v.as_str() {
            Some(text) => Location::ConfigMap {
                configmap,
                key,
                text,
            },
            None => Location::Unreadable {
                what: format!("key `{key}` of ConfigMap `{name}` is not a string"),
                how: supply(None),
            },
        },
        None => {
            let binary = configmap
                .get("binaryData")
                .and_then(|d| d.get(&key))
                .is_some();
            Location::Unreadable {
                what: if binary {
                    format!("key `{key}` of ConfigMap `{name}` is in `binaryData`")
                } else {
                    format!("ConfigMap `{name}` has no key `{key}` (`{absolute}`)")
                },
                how: supply(None),
            }
        }
    }
}

/// A file on an emptyDir was written at run time: find the init container that copied it.
fn from_empty_dir<'a>(
    volume: &str,
    inner: &str,
    absolute: &str,
    cronjob: NodeRef<'a>,
) -> Location<'a> {
    let inits = items_of(pod_spec(cronjob).and_then(|p| p.get("initContainers")));
    for init in inits {
        let Some(mount) = items_of(init.get("volumeMounts"))
            .into_iter()
            .find(|m| str_at(*m, &["name"]) == Some(volume))
            .and_then(|m| str_at(m, &["mountPath"]))
        else {
            continue;
        };
        let target = format!("{}/{inner}", mount.trim_end_matches('/'));
        for words in commands(init) {
            let Some(cp) = words
                .iter()
                .position(|w| matches!(basename(w), "cp" | "install" | "mv"))
            else {
                continue;
            };
            let operands: Vec<&String> = words[cp + 1..]
                .iter()
                .filter(|w| !w.starts_with('-'))
                .collect();
            let (Some(dst), Some(src)) = (operands.last(), operands.iter().rev().nth(1)) else {
                continue;
            };
            let dst = dst.trim_end_matches('/');
            let lands = *dst == target || format!("{dst}/{}", basename(src)) == target;
            if !lands {
                continue;
            }
            let iname = str_at(init, &["name"]).unwrap_or("?");
            let image = str_at(init, &["image"]).unwrap_or("?");
            if src.contains("://") {
                return Location::Unreadable {
                    what: format!(
                        "`{absolute}` is downloaded at run time from `{src}` by init container \
                         `{iname}`"
                    ),
                    how: supply(Some(format!("download `{src}`"))),
                };
            }
            return Location::Unreadable {
                what: format!(
                    "`{absolute}` is copied at run time from `{src}` in image `{image}` (init \
                     container `{iname}`): Bosun cannot read files inside images"
                ),
                how: supply(Some(format!(
                    "copy it out of the image (`docker run --rm --entrypoint cat {image} {src} > workflow.yaml`)"
                ))),
            };
        }
    }
    Location::Unreadable {
        what: format!(
            "`{absolute}` is written at run time into emptyDir volume `{volume}`, by no init \
             container Bosun can follow"
        ),
        how: supply(None),
    }
}
