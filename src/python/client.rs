//! `Client`: the boto3 client for the IAM operations iamlite covers. Every method goes through
//! one entry, `_make_api_call(operation_name, params)`, which `mock_iam` and the CLI reuse.

use super::convert;
use super::errors;
use super::params::{self, Request};
use super::shared::{build_account, state_error, AccountOptions, Shared};
use crate::account::{Account, Entropy};
use crate::error::IamResult;
use crate::model::CreatedDevice;
use crate::qr;
use crate::shapes::{self, Operation};
use crate::state::StateError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};
use std::sync::Arc;

/// A boto3-compatible IAM client backed by one iamlite account.
#[pyclass(frozen, module = "iamlite._native")]
pub struct Client {
    pub(crate) shared: Arc<Shared>,
    meta: PyOnceLock<Py<PyAny>>,
    exceptions: PyOnceLock<Py<PyAny>>,
}

static SUPPORT: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// Operations that change nothing, so a state file is not rewritten for them.
const READ_ONLY_OPERATIONS: [&str; 3] = ["GetUser", "GetMFADevice", "GetAccountSummary"];

/// `iamlite._support`: the pure-Python pieces (metas, paginators, resources).
pub fn support(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    SUPPORT
        .get_or_try_init(py, || {
            PyModule::import(py, "iamlite._support").map(Bound::unbind)
        })
        .map(|m| m.bind(py))
}

impl Client {
    pub fn from_shared(py: Python<'_>, shared: Arc<Shared>) -> PyResult<Py<Client>> {
        Py::new(
            py,
            Client {
                shared,
                meta: PyOnceLock::new(),
                exceptions: PyOnceLock::new(),
            },
        )
    }

    /// Runs one operation under the account lock and returns its value, the RequestId and the
    /// time; a service error becomes the botocore-shaped exception.
    pub fn run<T: Send>(
        &self,
        py: Python<'_>,
        operation_name: &str,
        f: impl FnOnce(&mut Account, i64) -> IamResult<T> + Send,
    ) -> PyResult<(T, String, i64)> {
        self.run_with(py, operation_name, true, f)
    }

    /// `run`, drawing a RequestId only where one is returned: always for client responses,
    /// only on errors for resources (whose results carry no ResponseMetadata).
    pub fn run_with<T: Send>(
        &self,
        py: Python<'_>,
        operation_name: &str,
        always_request_id: bool,
        f: impl FnOnce(&mut Account, i64) -> IamResult<T> + Send,
    ) -> PyResult<(T, String, i64)> {
        let now = self.shared.now(py)?;
        let request_id = |account: &mut Account, ok: bool| {
            if ok && !always_request_id {
                String::new()
            } else {
                account.request_id()
            }
        };
        let (result, request_id) = match &self.shared.state {
            None => {
                // Whoever holds the account lock runs only Rust until it lets go, so waiting for
                // it with the GIL held cannot deadlock.
                let mut account = self.shared.lock();
                let result = f(&mut account, now);
                let rid = request_id(&mut account, result.is_ok());
                (result, rid)
            }
            Some(file) => {
                // Lock order: the state file, then the account. Waiting for another process and
                // the disk I/O run without the GIL; no Python runs until both locks are released.
                let shared = &*self.shared;
                let persist = !READ_ONLY_OPERATIONS.contains(&operation_name);
                py.detach(|| -> Result<_, StateError> {
                    let held = file.lock()?;
                    let mut account = shared.lock();
                    *account = match file.load()? {
                        Some(stored) => stored,
                        // The file was removed: its account starts afresh.
                        None => Account::new(account.config.clone(), Entropy::Os, now),
                    };
                    let result = f(&mut account, now);
                    if result.is_ok() && persist {
                        file.save(&account, &held)?;
                    }
                    let rid = request_id(&mut account, result.is_ok());
                    Ok((result, rid))
                })
                .map_err(|e| state_error(py, e))?
            }
        };
        match result {
            Ok(v) => Ok((v, request_id, now)),
            Err(e) => Err(errors::client_error(
                py,
                &e,
                operation_name,
                &request_id,
                convert::headers(py, &request_id, now)?,
            )),
        }
    }

    /// Validates like botocore, runs the operation and builds botocore's parsed response.
    pub fn dispatch<'py>(
        &self,
        py: Python<'py>,
        op: &'static Operation,
        params: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        params::check(py, op, params)?;
        // `check` accepted a dict, or the operation takes no input and ignores what it got.
        let empty = PyDict::new(py);
        let dict = params.cast::<PyDict>().unwrap_or(&empty);
        let r = Request::new(dict);
        let out = PyDict::new(py);
        let ids = &self.shared.ids;
        let (rid, now) = match op.name {
            "CreateVirtualMFADevice" => {
                let (created, rid, now) = self.create_device(py, &r, true)?;
                let png = render_qr_png(py, &created.otpauth_uri)?;
                let d = PyDict::new(py);
                d.set_item("SerialNumber", &created.serial)?;
                d.set_item(
                    "Base32StringSeed",
                    PyBytes::new(py, created.secret.base32().as_bytes()),
                )?;
                d.set_item("QRCodePNG", PyBytes::new(py, &png))?;
                if !created.tags.is_empty() {
                    d.set_item("Tags", convert::tags(py, &created.tags)?)?;
                }
                out.set_item("VirtualMFADevice", d)?;
                (rid, now)
            }
            "DeleteVirtualMFADevice" => {
                let serial = r.req("SerialNumber");
                let ((), rid, now) =
                    self.run(py, op.name, |a, _| a.delete_virtual_mfa_device(&serial))?;
                (rid, now)
            }
            "ListVirtualMFADevices" => {
                let (status, marker, max) = (
                    r.str("AssignmentStatus"),
                    r.str("Marker"),
                    r.int("MaxItems"),
                );
                let (page, rid, now) = self.run(py, op.name, |a, _| {
                    a.list_virtual_mfa_devices(status.as_deref(), marker.as_deref(), max)
                })?;
                let list = PyList::empty(py);
                for e in &page.items {
                    list.append(convert::device_entry(py, ids, e)?)?;
                }
                out.set_item("VirtualMFADevices", list)?;
                set_paging(&out, page.marker)?;
                (rid, now)
            }
            "EnableMFADevice" | "ResyncMFADevice" => {
                let (user, serial, c1, c2) = (
                    r.req("UserName"),
                    r.req("SerialNumber"),
                    r.req("AuthenticationCode1"),
                    r.req("AuthenticationCode2"),
                );
                let enable = op.name == "EnableMFADevice";
                let ((), rid, now) = self.run(py, op.name, |a, now| {
                    if enable {
                        a.enable_mfa_device(&user, &serial, &c1, &c2, now)
                    } else {
                        a.resync_mfa_device(&user, &serial, &c1, &c2, now)
                    }
                })?;
                (rid, now)
            }
            "DeactivateMFADevice" => {
                let (user, serial) = (r.str("UserName"), r.req("SerialNumber"));
                let ((), rid, now) = self.run(py, op.name, |a, _| {
                    a.deactivate_mfa_device(user.as_deref(), &serial)
                })?;
                (rid, now)
            }
            "GetMFADevice" => {
                let (serial, user) = (r.req("SerialNumber"), r.str("UserName"));
                let (entry, rid, now) = self.run(py, op.name, |a, _| {
                    a.get_mfa_device(&serial, user.as_deref())
                })?;
                out.set_item("UserName", &entry.user_name)?;
                out.set_item("SerialNumber", &entry.serial)?;
                out.set_item("EnableDate", convert::datetime(py, entry.enable_date)?)?;
                (rid, now)
            }
            "ListMFADevices" => {
                let (user, marker, max) = (r.str("UserName"), r.str("Marker"), r.int("MaxItems"));
                let (page, rid, now) = self.run(py, op.name, |a, _| {
                    a.list_mfa_devices(user.as_deref(), marker.as_deref(), max)
                })?;
                let list = PyList::empty(py);
                for e in &page.items {
                    list.append(convert::mfa_entry(py, e)?)?;
                }
                out.set_item("MFADevices", list)?;
                set_paging(&out, page.marker)?;
                (rid, now)
            }
            "TagMFADevice" => {
                let (serial, tags) = (r.req("SerialNumber"), r.tags("Tags"));
                let ((), rid, now) =
                    self.run(py, op.name, |a, _| a.tag_mfa_device(&serial, &tags))?;
                (rid, now)
            }
            "UntagMFADevice" => {
                let (serial, keys) = (r.req("SerialNumber"), r.strings("TagKeys"));
                let ((), rid, now) =
                    self.run(py, op.name, |a, _| a.untag_mfa_device(&serial, &keys))?;
                (rid, now)
            }
            "ListMFADeviceTags" => {
                let (serial, marker, max) =
                    (r.req("SerialNumber"), r.str("Marker"), r.int("MaxItems"));
                let (page, rid, now) = self.run(py, op.name, |a, _| {
                    a.list_mfa_device_tags(&serial, marker.as_deref(), max)
                })?;
                out.set_item("Tags", convert::tags(py, &page.items)?)?;
                set_paging(&out, page.marker)?;
                (rid, now)
            }
            "CreateUser" => {
                let (path, name, boundary, tags) = (
                    r.str("Path"),
                    r.req("UserName"),
                    r.str("PermissionsBoundary"),
                    r.tags("Tags"),
                );
                let (user, rid, now) = self.run(py, op.name, |a, now| {
                    a.create_user(path.as_deref(), &name, boundary.as_deref(), &tags, now)
                })?;
                out.set_item("User", convert::user(py, ids, &user, true)?)?;
                (rid, now)
            }
            "GetUser" => {
                let name = r.str("UserName");
                match name {
                    Some(name) => {
                        let (user, rid, now) = self.run(py, op.name, |a, _| a.get_user(&name))?;
                        out.set_item("User", convert::user(py, ids, &user, true)?)?;
                        (rid, now)
                    }
                    None => {
                        // The caller is the account root [CHOICE, as ListMFADevices].
                        let (created, rid, now) = self.run(py, op.name, |a, _| Ok(a.created))?;
                        let d = PyDict::new(py);
                        d.set_item("UserId", &ids.account_id)?;
                        d.set_item(
                            "Arn",
                            format!("arn:{}:iam::{}:root", ids.partition, ids.account_id),
                        )?;
                        d.set_item("CreateDate", convert::datetime(py, created)?)?;
                        out.set_item("User", d)?;
                        (rid, now)
                    }
                }
            }
            "UpdateUser" => {
                let (name, new_path, new_name) =
                    (r.req("UserName"), r.str("NewPath"), r.str("NewUserName"));
                let ((), rid, now) = self.run(py, op.name, |a, _| {
                    a.update_user(&name, new_path.as_deref(), new_name.as_deref())
                })?;
                (rid, now)
            }
            "DeleteUser" => {
                let name = r.req("UserName");
                let ((), rid, now) = self.run(py, op.name, |a, _| a.delete_user(&name))?;
                (rid, now)
            }
            "ListUsers" => {
                let (prefix, marker, max) =
                    (r.str("PathPrefix"), r.str("Marker"), r.int("MaxItems"));
                let (page, rid, now) = self.run(py, op.name, |a, _| {
                    a.list_users(prefix.as_deref(), marker.as_deref(), max)
                })?;
                let list = PyList::empty(py);
                for u in &page.items {
                    list.append(convert::user(py, ids, u, false)?)?;
                }
                out.set_item("Users", list)?;
                set_paging(&out, page.marker)?;
                (rid, now)
            }
            "GetAccountSummary" => {
                let (summary, rid, now) = self.run(py, op.name, |a, _| Ok(a.account_summary()))?;
                let map = PyDict::new(py);
                for (k, v) in summary {
                    map.set_item(k, v)?;
                }
                out.set_item("SummaryMap", map)?;
                (rid, now)
            }
            other => return Err(errors::unsupported(py, other)),
        };
        out.set_item(
            "ResponseMetadata",
            convert::response_metadata(py, &rid, now)?,
        )?;
        Ok(out)
    }

    fn call_method<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let params = params::keyword_request(py, method, args, kwargs)?;
        let op = shapes::OPERATIONS
            .iter()
            .find(|o| o.method == method)
            .ok_or_else(|| errors::unsupported(py, method))?;
        self.dispatch(py, op, params.as_any())
    }

    /// CreateVirtualMFADevice from a request `check` accepted: the one path shared by the client
    /// and the resource. The resource's result carries no ResponseMetadata, so it draws no
    /// RequestId (`with_request_id`).
    pub fn create_device(
        &self,
        py: Python<'_>,
        r: &Request<'_, '_>,
        with_request_id: bool,
    ) -> PyResult<(CreatedDevice, String, i64)> {
        let (path, name, tags) = (r.str("Path"), r.req("VirtualMFADeviceName"), r.tags("Tags"));
        self.run_with(py, "CreateVirtualMFADevice", with_request_id, |a, _| {
            a.create_virtual_mfa_device(path.as_deref(), &name, &tags)
        })
    }
}

/// The QR code PNG of an otpauth URI, rendered with the GIL released.
pub fn render_qr_png(py: Python<'_>, uri: &str) -> PyResult<Vec<u8>> {
    py.detach(|| qr::png_for(uri.as_bytes()))
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))
}

fn set_paging(out: &Bound<'_, PyDict>, marker: Option<String>) -> PyResult<()> {
    out.set_item("IsTruncated", marker.is_some())?;
    if let Some(m) = marker {
        out.set_item("Marker", m)?;
    }
    Ok(())
}

macro_rules! call {
    ($self:ident, $py:ident, $method:literal, $args:ident, $kwargs:ident) => {
        $self.call_method($py, $method, $args, $kwargs)
    };
}

#[pymethods]
impl Client {
    /// A client with its own new account. Prefer `iamlite.client("iam", ...)`.
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
    ) -> PyResult<Client> {
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
        Ok(Client {
            shared,
            meta: PyOnceLock::new(),
            exceptions: PyOnceLock::new(),
        })
    }

    /// The single dispatch entry: `operation_name` as in the service model (`CreateVirtualMFADevice`),
    /// `params` the request dict. Returns botocore's parsed response; raises its exceptions.
    fn _make_api_call<'py>(
        &self,
        py: Python<'py>,
        operation_name: &str,
        params: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let op = shapes::operation(operation_name)
            .ok_or_else(|| errors::unsupported(py, operation_name))?;
        self.dispatch(py, op, params)
    }

    /// `client.meta`: service name, region, partition and the method → operation mapping.
    #[getter]
    fn meta(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let this = slf.get();
        this.meta
            .get_or_try_init(py, || {
                support(py)?
                    .getattr("ClientMeta")?
                    .call1((&this.shared.ids.partition,))
                    .map(Bound::unbind)
            })
            .map(|m| m.clone_ref(py))
    }

    /// `client.exceptions`: the modeled error classes (`NoSuchEntityException`, …).
    #[getter]
    fn exceptions(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.exceptions
            .get_or_try_init(py, || {
                errors::exceptions_module(py)?
                    .getattr("ClientExceptions")?
                    .call0()
                    .map(Bound::unbind)
            })
            .map(|m| m.clone_ref(py))
    }

    /// A botocore-style paginator for a list operation (`"list_virtual_mfa_devices"`, …).
    fn get_paginator(slf: &Bound<'_, Self>, operation_name: &str) -> PyResult<Py<PyAny>> {
        support(slf.py())?
            .getattr("get_paginator")?
            .call1((slf, operation_name))
            .map(Bound::unbind)
    }

    /// botocore's waiter by name; iamlite has `"user_exists"`.
    fn get_waiter(slf: &Bound<'_, Self>, waiter_name: &str) -> PyResult<Py<PyAny>> {
        support(slf.py())?
            .getattr("get_waiter")?
            .call1((slf, waiter_name))
            .map(Bound::unbind)
    }

    /// Whether `get_paginator(operation_name)` works.
    fn can_paginate(&self, py: Python<'_>, operation_name: &str) -> PyResult<bool> {
        support(py)?
            .getattr("can_paginate")?
            .call1((operation_name,))?
            .extract()
    }

    /// The seed behind a device this account holds, as base32 text (for `iamlite mfa-codes`
    /// and tests that compute codes). Not part of boto3.
    fn _device_seed(&self, py: Python<'_>, serial_number: &str) -> PyResult<String> {
        let (seed, _, _) = self.run(py, "GetMFADevice", |a, _| {
            a.device_secret(serial_number)
                .map(|s| s.base32().to_string())
        })?;
        Ok(seed)
    }

    /// Like botocore's `close()`: there is no connection to close.
    fn close(&self) {}

    /// The account id this client answers for.
    #[getter]
    fn _account_id(&self) -> &str {
        &self.shared.ids.account_id
    }

    fn __repr__(&self) -> String {
        "<iamlite.Client iam>".to_string()
    }

    /// CreateVirtualMFADevice(VirtualMFADeviceName, Path='/', Tags=[]) → {'VirtualMFADevice': {'SerialNumber', 'Base32StringSeed', 'QRCodePNG'}}; the only call that returns the seed and QR code.
    #[pyo3(signature = (*args, **kwargs))]
    fn create_virtual_mfa_device<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        call!(self, py, "create_virtual_mfa_device", args, kwargs)
    }
    /// DeleteVirtualMFADevice(SerialNumber): refused with DeleteConflict while the device is enabled.
    #[pyo3(signature = (*args, **kwargs))]
    fn delete_virtual_mfa_device<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        call!(self, py, "delete_virtual_mfa_device", args, kwargs)
    }
    /// ListVirtualMFADevices(AssignmentStatus='Any', Marker, MaxItems=100) → {'VirtualMFADevices', 'IsTruncated', 'Marker'?}, in SerialNumber order.
    #[pyo3(signature = (*args, **kwargs))]
    fn list_virtual_mfa_devices<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        call!(self, py, "list_virtual_mfa_devices", args, kwargs)
    }
    /// EnableMFADevice(UserName, SerialNumber, AuthenticationCode1, AuthenticationCode2): two consecutive TOTP codes of the device.
    #[pyo3(signature = (*args, **kwargs))]
    fn enable_mfa_device<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        call!(self, py, "enable_mfa_device", args, kwargs)
    }
    /// DeactivateMFADevice(SerialNumber, UserName?): the device stays, unassigned.
    #[pyo3(signature = (*args, **kwargs))]
    fn deactivate_mfa_device<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        call!(self, py, "deactivate_mfa_device", args, kwargs)
    }
    /// ResyncMFADevice(UserName, SerialNumber, AuthenticationCode1, AuthenticationCode2): two consecutive codes within ±20 steps.
    #[pyo3(signature = (*args, **kwargs))]
    fn resync_mfa_device<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        call!(self, py, "resync_mfa_device", args, kwargs)
    }
    /// GetMFADevice(SerialNumber, UserName?) → {'UserName', 'SerialNumber', 'EnableDate'} of an enabled device.
    #[pyo3(signature = (*args, **kwargs))]
    fn get_mfa_device<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        call!(self, py, "get_mfa_device", args, kwargs)
    }
    /// ListMFADevices(UserName?, Marker, MaxItems) → {'MFADevices', 'IsTruncated', 'Marker'?}.
    #[pyo3(signature = (*args, **kwargs))]
    fn list_mfa_devices<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        call!(self, py, "list_mfa_devices", args, kwargs)
    }
    /// TagMFADevice(SerialNumber, Tags): adds or overwrites tags (case-sensitive keys, at most 50).
    #[pyo3(signature = (*args, **kwargs))]
    fn tag_mfa_device<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        call!(self, py, "tag_mfa_device", args, kwargs)
    }
    /// UntagMFADevice(SerialNumber, TagKeys): keys that are not there are ignored.
    #[pyo3(signature = (*args, **kwargs))]
    fn untag_mfa_device<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        call!(self, py, "untag_mfa_device", args, kwargs)
    }
    /// ListMFADeviceTags(SerialNumber, Marker, MaxItems) → {'Tags', 'IsTruncated', 'Marker'?}, sorted by key.
    #[pyo3(signature = (*args, **kwargs))]
    fn list_mfa_device_tags<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        call!(self, py, "list_mfa_device_tags", args, kwargs)
    }
    /// CreateUser(UserName, Path='/', Tags=[]) → {'User': {...}}; names are unique case-insensitively.
    #[pyo3(signature = (*args, **kwargs))]
    fn create_user<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        call!(self, py, "create_user", args, kwargs)
    }
    /// GetUser(UserName?) → {'User': {...}}; without UserName, the account root.
    #[pyo3(signature = (*args, **kwargs))]
    fn get_user<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        call!(self, py, "get_user", args, kwargs)
    }
    /// UpdateUser(UserName, NewUserName?, NewPath?): the user keeps its MFA devices.
    #[pyo3(signature = (*args, **kwargs))]
    fn update_user<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        call!(self, py, "update_user", args, kwargs)
    }
    /// DeleteUser(UserName): refused with DeleteConflict while an MFA device is enabled.
    #[pyo3(signature = (*args, **kwargs))]
    fn delete_user<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        call!(self, py, "delete_user", args, kwargs)
    }
    /// ListUsers(PathPrefix='/', Marker, MaxItems) → {'Users', 'IsTruncated', 'Marker'?}.
    #[pyo3(signature = (*args, **kwargs))]
    fn list_users<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        call!(self, py, "list_users", args, kwargs)
    }
    /// GetAccountSummary() → {'SummaryMap': {...}} with MFADevices, MFADevicesInUse, Users, UsersQuota, …
    #[pyo3(signature = (*args, **kwargs))]
    fn get_account_summary<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        call!(self, py, "get_account_summary", args, kwargs)
    }
}
