//! What a Client and a ServiceResource of one account share: the account behind one lock, and
//! the clock. The lock is never held while Python code runs.

use crate::account::{Account, AccountConfig, Entropy};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};
use std::sync::{Arc, Mutex, MutexGuard};

/// The account's fixed identity, readable without the lock.
#[derive(Debug, Clone)]
pub struct Ids {
    pub partition: String,
    pub account_id: String,
}

pub struct Shared {
    pub ids: Ids,
    account: Mutex<Account>,
    /// Any object with `time() -> float`; `None` means Python's `time.time()`, looked up on
    /// every call so freezegun and time-machine apply.
    clock: Option<Py<PyAny>>,
}

static TIME_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

impl Shared {
    pub fn new(account: Account, clock: Option<Py<PyAny>>) -> Arc<Shared> {
        Arc::new(Shared {
            ids: Ids {
                partition: account.config.partition.clone(),
                account_id: account.config.account_id.clone(),
            },
            account: Mutex::new(account),
            clock,
        })
    }

    /// The account, locked. A poisoned lock still holds a consistent account: every operation
    /// validates before it mutates.
    pub fn lock(&self) -> MutexGuard<'_, Account> {
        self.account.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The account, locked, from a thread that holds the GIL. Waiting with the GIL held cannot
    /// deadlock: whoever holds the account lock runs only Rust until it lets go.
    pub fn lock_detached<'a>(&'a self, _py: Python<'_>) -> MutexGuard<'a, Account> {
        self.lock()
    }

    /// Whole epoch seconds from the clock.
    pub fn now(&self, py: Python<'_>) -> PyResult<i64> {
        let t: f64 = match &self.clock {
            Some(clock) => clock.bind(py).call_method0("time")?.extract()?,
            None => {
                let time = TIME_MODULE
                    .get_or_try_init(py, || PyModule::import(py, "time").map(Bound::unbind))?;
                time.bind(py).getattr("time")?.call0()?.extract()?
            }
        };
        if !t.is_finite() {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "the clock returned a time that is not finite",
            ));
        }
        Ok(t.floor() as i64)
    }

    pub fn clock(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.clock.as_ref().map(|c| c.clone_ref(py))
    }
}

/// Keyword options shared by `resource()` and `client()`.
pub fn build_account(
    py: Python<'_>,
    account_id: String,
    partition: String,
    account_alias: Option<String>,
    rng_seed: Option<u64>,
    clock: Option<Py<PyAny>>,
    quotas: Option<&Bound<'_, PyDict>>,
    accept_any_code: bool,
) -> PyResult<Arc<Shared>> {
    let mut config = AccountConfig {
        account_id,
        partition,
        alias: account_alias,
        accept_any_code,
        ..AccountConfig::default()
    };
    if let Some(quotas) = quotas {
        for (k, v) in quotas.iter() {
            let name: String = k.extract()?;
            let value: u64 = v.extract().map_err(|_| {
                pyo3::exceptions::PyValueError::new_err(format!(
                    "quota {name} must be a non-negative integer"
                ))
            })?;
            config
                .quotas
                .set(&name, value)
                .map_err(pyo3::exceptions::PyValueError::new_err)?;
        }
    }
    config
        .check()
        .map_err(pyo3::exceptions::PyValueError::new_err)?;
    let entropy = match rng_seed {
        Some(seed) => Entropy::seeded(seed),
        None => Entropy::Os,
    };
    let shared_clock = clock;
    let probe = Shared::new(Account::new(config, entropy, 0), shared_clock);
    let now = probe.now(py)?;
    probe.lock().created = now;
    Ok(probe)
}
