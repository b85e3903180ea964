//! The Python binding: the only PyO3 code in the crate. It turns keyword arguments into typed
//! requests (with botocore's client-side checks), calls the core under the account lock, and
//! builds boto3-shaped objects and dicts. Exception classes live in `iamlite.exceptions`.

mod client;
mod convert;
mod device;
mod errors;
mod params;
mod resource;
mod shared;

use pyo3::prelude::*;

/// TOTP code (6 digits) of a base32 secret at epoch seconds `t`, shifted by `counter_offset`
/// steps. Backs `iamlite.TOTP`.
#[pyfunction]
#[pyo3(signature = (secret, t, counter_offset = 0))]
fn totp_at(secret: &str, t: f64, counter_offset: i64) -> PyResult<String> {
    let cleaned: String = secret
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let key = zeroize::Zeroizing::new(
        data_encoding::BASE32_NOPAD
            .decode(cleaned.as_bytes())
            .map_err(|_| {
                pyo3::exceptions::PyValueError::new_err("the secret is not valid base32")
            })?,
    );
    let step = crate::totp::step_at(t.floor() as i64).saturating_add(counter_offset);
    Ok(crate::totp::format_code(crate::totp::code_for_step(
        &key,
        step,
        crate::totp::DIGITS,
    )))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<client::Client>()?;
    m.add_class::<resource::ServiceResource>()?;
    m.add_class::<device::VirtualMfaDevice>()?;
    m.add_function(wrap_pyfunction!(totp_at, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
