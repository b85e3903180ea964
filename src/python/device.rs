//! `VirtualMfaDevice`: boto3's resource for a virtual MFA device. It has no load method
//! (aws-reference §8); its data comes only from the call that returned it. A device this process
//! created holds its bootstrap data (seed and otpauth URI) and renders the QR PNG on first read.

use super::client::{render_qr_png, support, Client};
use super::convert;
use super::errors;
use crate::model::Tag;
use crate::qr;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyTuple};
use std::sync::OnceLock;
use zeroize::Zeroizing;

/// The secrets CreateVirtualMFADevice returned. Wiped when the object is dropped.
pub struct Bootstrap {
    pub seed: Zeroizing<String>,
    pub uri: Zeroizing<String>,
    /// `Some` when tags were given at create (then echoed in `Tags` [CHOICE]).
    pub tags: Option<Vec<Tag>>,
    pub png: OnceLock<Zeroizing<Vec<u8>>>,
}

pub enum Source {
    /// Made from an identifier alone: attribute reads raise ResourceLoadException.
    Unloaded,
    Created(Box<Bootstrap>),
    /// An entry from a list call.
    Data(Py<PyDict>),
}

/// An IAM virtual MFA device (boto3's `iam.VirtualMfaDevice`).
#[pyclass(frozen, module = "iamlite._native")]
pub struct VirtualMfaDevice {
    serial: String,
    client: Py<Client>,
    source: Source,
    data: PyOnceLock<Py<PyDict>>,
    meta: PyOnceLock<Py<PyAny>>,
}

impl VirtualMfaDevice {
    pub fn new(serial: String, client: Py<Client>, source: Source) -> Self {
        VirtualMfaDevice {
            serial,
            client,
            source,
            data: PyOnceLock::new(),
            meta: PyOnceLock::new(),
        }
    }

    fn png(&self, py: Python<'_>, b: &Bootstrap) -> PyResult<Vec<u8>> {
        if let Some(png) = b.png.get() {
            return Ok(png.to_vec());
        }
        let rendered = render_qr_png(py, &b.uri)?;
        let _ = b.png.set(Zeroizing::new(rendered));
        Ok(b.png.get().map(|p| p.to_vec()).unwrap_or_default())
    }

    /// `meta.data`, built once: None for an unloaded device.
    fn data_dict<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        match &self.source {
            Source::Unloaded => Ok(None),
            Source::Data(d) => Ok(Some(d.bind(py).clone())),
            Source::Created(b) => {
                let d = self.data.get_or_try_init(py, || -> PyResult<Py<PyDict>> {
                    let d = PyDict::new(py);
                    d.set_item("SerialNumber", &self.serial)?;
                    d.set_item("Base32StringSeed", PyBytes::new(py, b.seed.as_bytes()))?;
                    d.set_item("QRCodePNG", PyBytes::new(py, &self.png(py, b)?))?;
                    if let Some(tags) = &b.tags {
                        d.set_item("Tags", convert::tags(py, tags)?)?;
                    }
                    Ok(d.unbind())
                })?;
                Ok(Some(d.bind(py).clone()))
            }
        }
    }

    fn no_load(py: Python<'_>) -> PyErr {
        errors::resource_load_error(py, "iam.VirtualMfaDevice has no load method")
    }

    /// A member of the data; reading any attribute of an unloaded device raises, as in boto3.
    fn member<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Bound<'py, PyAny>> {
        match &self.source {
            Source::Unloaded => Err(Self::no_load(py)),
            Source::Created(b) => match key {
                "Base32StringSeed" => Ok(PyBytes::new(py, b.seed.as_bytes()).into_any()),
                "QRCodePNG" => Ok(PyBytes::new(py, &self.png(py, b)?).into_any()),
                "Tags" => match &b.tags {
                    Some(tags) => Ok(convert::tags(py, tags)?.into_any()),
                    None => Ok(py.None().into_bound(py)),
                },
                _ => Ok(py.None().into_bound(py)),
            },
            Source::Data(d) => Ok(d
                .bind(py)
                .get_item(key)?
                .unwrap_or_else(|| py.None().into_bound(py))),
        }
    }

    pub fn holds_bootstrap(&self) -> bool {
        matches!(self.source, Source::Created(_))
    }
}

#[pymethods]
impl VirtualMfaDevice {
    /// Builds a device from a ListVirtualMFADevices entry (used by collections).
    #[staticmethod]
    fn _from_data(client: Py<Client>, data: Bound<'_, PyDict>) -> PyResult<Self> {
        let serial: String = data
            .get_item("SerialNumber")?
            .ok_or_else(|| pyo3::exceptions::PyValueError::new_err("entry has no SerialNumber"))?
            .extract()?;
        Ok(VirtualMfaDevice::new(
            serial,
            client,
            Source::Data(data.unbind()),
        ))
    }

    /// The identifier: the device's ARN.
    #[getter]
    fn serial_number(&self) -> &str {
        &self.serial
    }

    /// The seed as the bytes of its 64-character base32 text; only on a device this process
    /// created. Treat it like a password.
    #[getter]
    fn base32_string_seed<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.member(py, "Base32StringSeed")
    }

    /// The QR code PNG (rendered on first read, then cached); only on a device this process created.
    #[getter]
    fn qr_code_png<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.member(py, "QRCodePNG")
    }

    /// The shape's `User` member (a dict), when the device came from a list and is assigned.
    #[getter]
    fn user_attribute<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.member(py, "User")
    }

    #[getter]
    fn enable_date<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.member(py, "EnableDate")
    }

    #[getter]
    fn tags<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.member(py, "Tags")
    }

    /// The `User` resource the device is enabled for, or None.
    #[getter]
    fn user<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let attr = self.member(py, "User")?;
        if attr.is_none() {
            return Ok(attr);
        }
        let name = attr.get_item("UserName")?;
        support(py)?
            .getattr("User")?
            .call1((self.client.clone_ref(py), name))
    }

    /// `meta`: service_name, identifiers, client and `data` (None when not loaded).
    #[getter]
    fn meta(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let this = slf.get();
        this.meta
            .get_or_try_init(py, || {
                support(py)?
                    .getattr("ResourceMeta")?
                    .call1((
                        "iam",
                        vec!["serial_number"],
                        this.client.clone_ref(py),
                        slf.getattr("_meta_data")?,
                    ))
                    .map(Bound::unbind)
            })
            .map(|m| m.clone_ref(py))
    }

    fn _meta_data<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.data_dict(py)
    }

    /// Whether this object holds the bootstrap data from CreateVirtualMFADevice.
    #[getter]
    fn _has_bootstrap(&self) -> bool {
        self.holds_bootstrap()
    }

    /// The otpauth URI inside the QR code; only on a device this process created.
    fn _otpauth_uri(&self, py: Python<'_>) -> PyResult<Option<String>> {
        match &self.source {
            Source::Created(b) => Ok(Some(b.uri.to_string())),
            Source::Unloaded => Err(Self::no_load(py)),
            Source::Data(_) => Ok(None),
        }
    }

    /// SVG of the QR code (for notebooks); only on a device this process created.
    fn _qr_svg(&self, py: Python<'_>) -> PyResult<Option<String>> {
        match &self.source {
            Source::Created(b) => {
                let svg = py
                    .detach(|| qr::encode(b.uri.as_bytes()).map(|m| qr::render_svg(&m)))
                    .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
                Ok(Some(svg))
            }
            _ => Ok(None),
        }
    }

    /// DeleteVirtualMFADevice for this device.
    #[pyo3(signature = (*args, **kwargs))]
    fn delete<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let params = PyDict::new(py);
        params.set_item("SerialNumber", &self.serial)?;
        if let Some(k) = kwargs {
            params.update(k.as_mapping())?;
        }
        self.client
            .bind(py)
            .call_method("delete_virtual_mfa_device", args.clone(), Some(&params))
    }

    fn get_available_subresources(&self) -> Vec<String> {
        Vec::new()
    }

    /// Jupyter: the QR code image, only for a device this process created.
    fn _repr_png_<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyBytes>>> {
        match &self.source {
            Source::Created(b) => Ok(Some(PyBytes::new(py, &self.png(py, b)?))),
            _ => Ok(None),
        }
    }

    /// Jupyter: a card with the QR code (when held), serial, status, user, enable date and tags;
    /// never the base32 text.
    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
        PyModule::import(slf.py(), "iamlite.display")?
            .getattr("device_html")?
            .call1((slf,))?
            .extract()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let quoted = pyo3::types::PyString::new(py, &self.serial).repr()?;
        Ok(format!("iam.VirtualMfaDevice(serial_number={quoted})"))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<VirtualMfaDevice>()
            .map(|o| o.get().serial == self.serial)
            .unwrap_or(false)
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        ("iam.VirtualMfaDevice", &self.serial).hash(&mut h);
        h.finish()
    }
}
