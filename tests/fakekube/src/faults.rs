//! Fault injection: rules matched per request (verb and path substring) that fire with a
//! probability drawn from a seeded RNG, so a failing run replays with the same seed.

use std::time::Duration;

/// The API verb of a request, as Kubernetes' audit log names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verb {
    Get,
    List,
    Watch,
    Create,
    Update,
    Patch,
    Delete,
}

impl Verb {
    /// Whether the verb changes state.
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Self::Create | Self::Update | Self::Patch | Self::Delete
        )
    }
}

/// What happens when a rule fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status code (500, 503, 409, 429, ...) without touching storage.
    Status(u16),
    /// Carry out the request, then answer with this status code anyway (a lost response).
    StatusAfterCommit(u16),
    /// Wait this long before handling the request.
    Delay(Duration),
    /// For watches: end the stream after this long (without an error event).
    CutWatchAfter(Duration),
}

/// One fault rule. Empty `verbs` matches every verb; `path_contains` matches a substring of the
/// request path.
#[derive(Debug, Clone)]
pub struct FaultRule {
    pub verbs: Vec<Verb>,
    pub path_contains: Option<String>,
    pub probability: f64,
    pub fault: Fault,
}

impl FaultRule {
    /// A rule firing with probability `p` on every request.
    pub fn new(p: f64, fault: Fault) -> Self {
        Self {
            verbs: Vec::new(),
            path_contains: None,
            probability: p,
            fault,
        }
    }
    /// Restricts the rule to these verbs.
    #[must_use]
    pub fn verbs(mut self, verbs: &[Verb]) -> Self {
        self.verbs = verbs.to_vec();
        self
    }
    /// Restricts the rule to paths containing `s`.
    #[must_use]
    pub fn path(mut self, s: &str) -> Self {
        self.path_contains = Some(s.to_owned());
        self
    }
}

/// Rules plus a splitmix64 generator.
#[derive(Debug)]
pub(crate) struct Faults {
    pub(crate) rules: Vec<FaultRule>,
    state: u64,
}

impl Faults {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            rules: Vec::new(),
            state: seed,
        }
    }

    fn next_f64(&mut self) -> f64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    /// The faults that fire for this request (each matching rule rolls once).
    pub(crate) fn roll(&mut self, verb: Verb, path: &str) -> Vec<Fault> {
        let rules: Vec<FaultRule> = self
            .rules
            .iter()
            .filter(|r| {
                (r.verbs.is_empty() || r.verbs.contains(&verb))
                    && r.path_contains.as_deref().is_none_or(|p| path.contains(p))
            })
            .cloned()
            .collect();
        rules
            .into_iter()
            .filter(|r| self.next_f64() < r.probability)
            .map(|r| r.fault)
            .collect()
    }
}
