//! `ServiceResource`: boto3's `iam` resource for the parts iamlite covers.

use super::client::{support, Client};
use super::device::{Bootstrap, Source, VirtualMfaDevice};
use super::params::{self, Request};
use super::shared::{build_account, AccountOptions, Shared};
use crate::shapes;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple};
use std::sync::{Arc, OnceLock};

/// The IAM service resource (boto3's `iam.ServiceResource`) backed by one iamlite account.
#[pyclass(frozen, module = "iamlite._native")]
pub struct ServiceResource {
    shared: Arc<Shared>,
    client: Py<Client>,
    meta: PyOnceLock<Py<PyAny>>,
}

#[pymethods]
impl ServiceResource {
    /// A resource with its own new account. Prefer `iamlite.resource("iam", ...)`.
    #[new]
    #[pyo3(signature = (*, account_id = "123456789012".to_string(), partition = "aws".to_string(), account_alias = None, rng_seed = None, clock = None, quotas = None, accept_any_code = false, state_file = None))]
    #[allow(clippy::too_many_arguments)]
    fn py_new(
        py: Python<'_>,
        account_id: String,
        partition: String,
        account_alias: Option<String>,
        rng_seed: Option<u64>,
        clock: Option<Py<PyAny>>,
        quotas: Option<&Bound<'_, PyDict>>,
        accept_any_code: bool,
        state_file: Option<String>,
    ) -> PyResult<Self> {
        let shared = build_account(
            py,
            AccountOptions {
                account_id,
                partition,
                account_alias,
                rng_seed,
                clock,
                quotas,
                accept_any_code,
                state_file,
            },
        )?;
        let client = Client::from_shared(py, shared.clone())?;
        Ok(ServiceResource {
            shared,
            client,
            meta: PyOnceLock::new(),
        })
    }

    /// CreateVirtualMFADevice → a `VirtualMfaDevice` holding the seed and (lazily) the QR PNG.
    #[pyo3(signature = (*args, **kwargs))]
    fn create_virtual_mfa_device(
        &self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<VirtualMfaDevice> {
        let kwargs = params::keyword_request(py, "create_virtual_mfa_device", args, kwargs)?;
        let op = shapes::operation("CreateVirtualMFADevice")
            .ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("operation table"))?;
        params::check(py, op, kwargs.as_any())?;
        let (created, _, _) = self
            .client
            .get()
            .create_device(py, &Request::new(&kwargs), false)?;
        let bootstrap = Bootstrap {
            seed: created.secret.base32(),
            uri: created.otpauth_uri.clone(),
            tags: (!created.tags.is_empty()).then(|| created.tags.clone()),
            png: OnceLock::new(),
        };
        Ok(VirtualMfaDevice::new(
            created.serial.clone(),
            self.client.clone_ref(py),
            Source::Created(Box::new(bootstrap)),
        ))
    }

    /// A device by its SerialNumber (no call is made; boto3's no-load behaviour applies).
    #[allow(non_snake_case)]
    fn VirtualMfaDevice(
        &self,
        py: Python<'_>,
        serial_number: &Bound<'_, PyAny>,
    ) -> PyResult<VirtualMfaDevice> {
        if serial_number.is_none() {
            // boto3's text for a missing identifier.
            return Err(pyo3::exceptions::PyValueError::new_err(
                "Required parameter serial_number not set",
            ));
        }
        let serial: String = serial_number.extract().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(
                "serial_number must be a str (an MFA device ARN)",
            )
        })?;
        Ok(VirtualMfaDevice::new(
            serial,
            self.client.clone_ref(py),
            Source::Unloaded,
        ))
    }

    /// CreateUser → a `User` resource.
    #[pyo3(signature = (*args, **kwargs))]
    fn create_user<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let kwargs = params::keyword_request(py, "create_user", args, kwargs)?;
        support(py)?
            .getattr("create_user")?
            .call((self.client.clone_ref(py),), Some(&kwargs))
    }

    /// A user by name (loaded with GetUser on first attribute read).
    #[allow(non_snake_case)]
    fn User<'py>(&self, py: Python<'py>, name: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        support(py)?
            .getattr("User")?
            .call1((self.client.clone_ref(py), name))
    }

    /// An MFA device of a user.
    #[allow(non_snake_case)]
    fn MfaDevice<'py>(
        &self,
        py: Python<'py>,
        user_name: Bound<'py, PyAny>,
        serial_number: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        support(py)?.getattr("MfaDevice")?.call1((
            self.client.clone_ref(py),
            user_name,
            serial_number,
        ))
    }

    /// The account summary (GetAccountSummary on load).
    #[allow(non_snake_case)]
    fn AccountSummary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        support(py)?
            .getattr("AccountSummary")?
            .call1((self.client.clone_ref(py),))
    }

    /// Collection of all virtual MFA devices (`all()`, `filter(AssignmentStatus=...)`, …).
    #[getter]
    fn virtual_mfa_devices<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        support(py)?
            .getattr("virtual_mfa_devices_collection")?
            .call1((self.client.clone_ref(py),))
    }

    /// Collection of all users.
    #[getter]
    fn users<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        support(py)?
            .getattr("users_collection")?
            .call1((self.client.clone_ref(py),))
    }

    #[getter]
    fn meta(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.meta
            .get_or_try_init(py, || {
                support(py)?
                    .getattr("ResourceMeta")?
                    .call1((
                        "iam",
                        Vec::<String>::new(),
                        self.client.clone_ref(py),
                        py.None(),
                    ))
                    .map(Bound::unbind)
            })
            .map(|m| m.clone_ref(py))
    }

    /// The sub-resources iamlite implements (boto3 lists the whole IAM model here).
    fn get_available_subresources(&self) -> Vec<&'static str> {
        vec!["AccountSummary", "MfaDevice", "User", "VirtualMfaDevice"]
    }

    /// Number of virtual devices and users (for notebooks' summaries).
    fn _counts(&self) -> (usize, usize) {
        let a = self.shared.lock();
        (a.device_count(), a.user_count())
    }

    fn __repr__(&self) -> &'static str {
        "iam.ServiceResource()"
    }

    /// Jupyter: a summary of the account.
    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
        PyModule::import(slf.py(), "iamlite.display")?
            .getattr("resource_html")?
            .call1((slf,))?
            .extract()
    }
}
