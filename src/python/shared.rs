//! What a Client and a ServiceResource of one account share: the account behind one lock, and
//! the clock. The lock is never held while Python code runs.

use crate::account::{Account, AccountConfig, Entropy};
use crate::state::{StateError, StateFile};
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
    /// When set, every operation runs as load → change → save under the file's lock.
    pub state: Option<StateFile>,
    /// Any object with `time() -> float`; `None` means Python's `time.time()`, looked up on
    /// every call so freezegun and time-machine apply.
    clock: Option<Py<PyAny>>,
}

static TIME_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

impl Shared {
    pub fn new(
        account: Account,
        clock: Option<Py<PyAny>>,
        state: Option<StateFile>,
    ) -> Arc<Shared> {
        Arc::new(Shared {
            ids: Ids {
                partition: account.config.partition.clone(),
                account_id: account.config.account_id.clone(),
            },
            account: Mutex::new(account),
            state,
            clock,
        })
    }

    /// The account, locked. A poisoned lock still holds a consistent account: every operation
    /// validates before it mutates.
    pub fn lock(&self) -> MutexGuard<'_, Account> {
        self.account.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whole epoch seconds from the clock.
    pub fn now(&self, py: Python<'_>) -> PyResult<i64> {
        clock_now(py, self.clock.as_ref())
    }
}

/// Whole epoch seconds from `clock`, or from Python's `time.time()` looked up on every call (so
/// freezegun and time-machine apply).
pub fn clock_now(py: Python<'_>, clock: Option<&Py<PyAny>>) -> PyResult<i64> {
    let t: f64 = match clock {
        Some(clock) => clock.bind(py).call_method0("time")?.extract()?,
        None => {
            let time = TIME_MODULE
                .get_or_try_init(py, || PyModule::import(py, "time").map(Bound::unbind))?;
            time.bind(py).getattr("time")?.call0()?.extract()?
        }
    };
    checked_epoch(t)
}

/// Python's datetime covers years 1 to 9999; a clock outside that range could not date anything,
/// so it is refused before any change is made.
const EPOCH_MIN: f64 = -62_135_596_800.0;
const EPOCH_MAX: f64 = 253_402_300_799.0;

fn checked_epoch(t: f64) -> PyResult<i64> {
    if !t.is_finite() {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "the clock returned a time that is not finite",
        ));
    }
    if !(EPOCH_MIN..=EPOCH_MAX).contains(&t) {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "the clock returned a time outside the years 1 to 9999",
        ));
    }
    Ok(t.floor() as i64)
}

/// Keyword options shared by `resource()` and `client()`.
pub struct AccountOptions<'a, 'py> {
    pub account_id: String,
    pub partition: String,
    pub account_alias: Option<String>,
    pub rng_seed: Option<u64>,
    pub clock: Option<Py<PyAny>>,
    pub quotas: Option<&'a Bound<'py, PyDict>>,
    pub accept_any_code: bool,
    pub state_file: Option<String>,
}

pub fn build_account(py: Python<'_>, options: AccountOptions<'_, '_>) -> PyResult<Arc<Shared>> {
    let AccountOptions {
        account_id,
        partition,
        account_alias,
        rng_seed,
        clock,
        quotas,
        accept_any_code,
        state_file,
    } = options;
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
    if rng_seed.is_some() && state_file.is_some() {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "rng_seed cannot be combined with state_file: an account kept in a file draws its randomness from the OS",
        ));
    }
    let now = clock_now(py, clock.as_ref())?;
    let state = state_file.map(StateFile::new);
    let account = match &state {
        None => Account::new(config, entropy, now),
        // The stored account wins over the options; a missing file is created with them.
        Some(file) => py
            .detach(|| -> Result<Account, StateError> {
                let held = file.lock()?;
                match file.load()? {
                    Some(stored) => Ok(stored),
                    None => {
                        let fresh = Account::new(config, Entropy::Os, now);
                        file.save(&fresh, &held)?;
                        Ok(fresh)
                    }
                }
            })
            .map_err(|e| state_error(py, e))?,
    };
    Ok(Shared::new(account, clock, state))
}

/// `iamlite.exceptions.StateFileError` with the core's message (which never quotes the file).
pub fn state_error(py: Python<'_>, e: StateError) -> PyErr {
    let built = super::errors::exceptions_module(py)
        .and_then(|m| m.getattr("StateFileError")?.call1((e.to_string(),)));
    match built {
        Ok(exc) => PyErr::from_value(exc),
        Err(err) => err,
    }
}
