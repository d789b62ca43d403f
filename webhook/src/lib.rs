//! `bosun-webhook`: the admission webhook and the Secret sync controller.
//!
//! Not built yet: this crate only fixes the dependency direction (`webhook` → `compiler`). The
//! admission server and the controller land with their issues; until then there is no binary.
