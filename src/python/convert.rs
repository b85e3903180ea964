//! Core values → the Python objects botocore would hand out: dicts with AWS's keys, timezone-aware
//! UTC datetimes, bytes for blobs.

use super::shared::Ids;
use crate::arn;
use crate::model::{DeviceEntry, MfaEntry, Tag, User};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};

static FROM_EPOCH: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A timezone-aware UTC datetime (dateutil's `tzutc()` when present, as botocore's).
pub fn datetime(py: Python<'_>, epoch: i64) -> PyResult<Bound<'_, PyAny>> {
    let f = FROM_EPOCH.get_or_try_init(py, || {
        PyModule::import(py, "iamlite._compat")?
            .getattr("from_epoch")
            .map(Bound::unbind)
    })?;
    f.bind(py).call1((epoch,))
}

/// RFC 7231 date, as in AWS's `date` response header.
pub fn http_date(epoch: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        DAYS[days.rem_euclid(7) as usize],
        d,
        MONTHS[(m - 1) as usize],
        y,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Howard Hinnant's days-since-epoch → (year, month, day).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub fn headers<'py>(py: Python<'py>, request_id: &str, now: i64) -> PyResult<Bound<'py, PyDict>> {
    let h = PyDict::new(py);
    h.set_item("x-amzn-requestid", request_id)?;
    h.set_item("content-type", "text/xml")?;
    h.set_item("date", http_date(now))?;
    Ok(h)
}

/// `ResponseMetadata` as botocore builds it for a 200 response.
pub fn response_metadata<'py>(
    py: Python<'py>,
    request_id: &str,
    now: i64,
) -> PyResult<Bound<'py, PyDict>> {
    let md = PyDict::new(py);
    md.set_item("RequestId", request_id)?;
    md.set_item("HTTPStatusCode", 200)?;
    md.set_item("HTTPHeaders", headers(py, request_id, now)?)?;
    md.set_item("RetryAttempts", 0)?;
    Ok(md)
}

pub fn tags<'py>(py: Python<'py>, tags: &[Tag]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for t in tags {
        let d = PyDict::new(py);
        d.set_item("Key", &t.key)?;
        d.set_item("Value", &t.value)?;
        list.append(d)?;
    }
    Ok(list)
}

/// The `User` structure; `Tags` only where AWS returns them (GetUser, CreateUser) and non-empty.
pub fn user<'py>(
    py: Python<'py>,
    ids: &Ids,
    u: &User,
    with_tags: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("Path", &u.path)?;
    d.set_item("UserName", &u.name)?;
    d.set_item("UserId", &u.user_id)?;
    d.set_item(
        "Arn",
        arn::user_arn(&ids.partition, &ids.account_id, &u.path, &u.name),
    )?;
    d.set_item("CreateDate", datetime(py, u.create_date)?)?;
    if with_tags && !u.tags.is_empty() {
        d.set_item("Tags", tags(py, &u.tags)?)?;
    }
    Ok(d)
}

/// A ListVirtualMFADevices entry: `SerialNumber` alone when unassigned [REC].
pub fn device_entry<'py>(
    py: Python<'py>,
    ids: &Ids,
    e: &DeviceEntry,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("SerialNumber", &e.serial)?;
    if let Some((u, enable_date)) = &e.assigned {
        d.set_item("User", user(py, ids, u, false)?)?;
        d.set_item("EnableDate", datetime(py, *enable_date)?)?;
    }
    Ok(d)
}

pub fn mfa_entry<'py>(py: Python<'py>, e: &MfaEntry) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("UserName", &e.user_name)?;
    d.set_item("SerialNumber", &e.serial)?;
    d.set_item("EnableDate", datetime(py, e.enable_date)?)?;
    Ok(d)
}
