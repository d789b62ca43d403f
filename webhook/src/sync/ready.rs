//! Readiness of the syncer (`/readyz` of `bosun-webhook sync`): a replica is ready when it does
//! its job. The leader's job is syncing, so it is ready only once its caches hold their initial
//! lists (copies, namespaces, SecretSyncs, Plans); before that a restart would look like a
//! healthy pod doing nothing. A standby replica's job is to wait for the Lease, so it reports
//! ready once its start-up probe (permissions, CRDs) passed: a never-ready standby would stall
//! every rolling update of a two-replica Deployment.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

/// Where the syncer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Probing permissions and CRDs.
    Starting,
    /// Not the leader: waiting for the Lease.
    Standby,
    /// Active, caches filling.
    Syncing,
    /// Active with complete caches.
    Synced,
}

impl Phase {
    fn from_u8(v: u8) -> Phase {
        match v {
            1 => Phase::Standby,
            2 => Phase::Syncing,
            3 => Phase::Synced,
            _ => Phase::Starting,
        }
    }
}

/// Shared, cheap-to-clone view of the syncer's [`Phase`].
#[derive(Clone, Debug, Default)]
pub struct Readiness(Arc<AtomicU8>);

impl Readiness {
    pub fn phase(&self) -> Phase {
        Phase::from_u8(self.0.load(Ordering::Acquire))
    }

    /// Standby or synced.
    pub fn is_ready(&self) -> bool {
        matches!(self.phase(), Phase::Standby | Phase::Synced)
    }

    pub(crate) fn set(&self, phase: Phase) {
        self.0.store(phase as u8, Ordering::Release);
    }

    /// Enters [`Phase::Syncing`]; the guard returns to [`Phase::Standby`] when dropped (the
    /// active syncer ended or was aborted on lost leadership).
    pub(crate) fn activate(&self) -> StandbyOnDrop {
        self.set(Phase::Syncing);
        StandbyOnDrop(self.clone())
    }
}

/// See [`Readiness::activate`].
pub(crate) struct StandbyOnDrop(Readiness);

impl Drop for StandbyOnDrop {
    fn drop(&mut self) {
        self.0.set(Phase::Standby);
    }
}
