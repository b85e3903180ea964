//! The one mapping from core errors to Python exceptions. The classes are defined in
//! `iamlite.exceptions`; this module only looks them up and raises them.

use crate::error::IamError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

static EXCEPTIONS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

pub fn exceptions_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    EXCEPTIONS
        .get_or_try_init(py, || {
            PyModule::import(py, "iamlite.exceptions").map(Bound::unbind)
        })
        .map(|m| m.bind(py))
}

/// The ClientError subclass for a service error, with botocore's `response` shape.
pub fn client_error(
    py: Python<'_>,
    err: &IamError,
    operation_name: &str,
    request_id: &str,
    headers: Bound<'_, PyDict>,
) -> PyErr {
    let built = exceptions_module(py).and_then(|m| {
        m.getattr("_client_error")?.call1((
            err.code(),
            err.message(),
            err.http_status(),
            err.kind().fault(),
            operation_name,
            request_id,
            headers,
        ))
    });
    match built {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

/// botocore's `ParamValidationError` with its report text.
pub fn param_validation_error(py: Python<'_>, report: String) -> PyErr {
    let built =
        exceptions_module(py).and_then(|m| m.getattr("_param_validation_error")?.call1((report,)));
    match built {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

/// boto3's `ResourceLoadException` for a resource without a load method.
pub fn resource_load_error(py: Python<'_>, message: &str) -> PyErr {
    let built =
        exceptions_module(py).and_then(|m| m.getattr("ResourceLoadException")?.call1((message,)));
    match built {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

/// An IAM operation iamlite does not implement.
pub fn unsupported(py: Python<'_>, operation_name: &str) -> PyErr {
    let message = format!(
        "iamlite does not implement the IAM operation {operation_name}; it covers virtual MFA devices and users."
    );
    let built =
        exceptions_module(py).and_then(|m| m.getattr("UnsupportedOperation")?.call1((message,)));
    match built {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}
