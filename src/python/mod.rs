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

/// The server-side constraint table (shape name, pattern, min, max), for cross-checking against
/// the botocore model.
#[pyfunction]
fn _constraints() -> Vec<crate::validate::Constraint> {
    crate::validate::CONSTRAINTS.to_vec()
}

/// Member name, kind, required, min.
type MemberRow = (&'static str, &'static str, bool, Option<i64>);

/// The client-side input shapes: (operation, method, members).
#[pyfunction]
fn _input_shapes() -> Vec<(&'static str, &'static str, Vec<MemberRow>)> {
    crate::shapes::OPERATIONS
        .iter()
        .map(|op| {
            let members = op
                .members
                .iter()
                .map(|m| {
                    let kind = match m.kind {
                        crate::shapes::Kind::String => "string",
                        crate::shapes::Kind::Integer => "integer",
                        crate::shapes::Kind::TagList => "tag_list",
                        crate::shapes::Kind::StringList => "string_list",
                    };
                    (m.name, kind, m.required, m.min)
                })
                .collect();
            (op.name, op.method, members)
        })
        .collect()
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<client::Client>()?;
    m.add_class::<resource::ServiceResource>()?;
    m.add_class::<device::VirtualMfaDevice>()?;
    m.add_function(wrap_pyfunction!(totp_at, m)?)?;
    m.add_function(wrap_pyfunction!(_constraints, m)?)?;
    m.add_function(wrap_pyfunction!(_input_shapes, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
