//! botocore's client-side parameter validation, reproduced message for message
//! (`botocore/validate.py`): missing required members, unknown members, wrong types and values
//! below `min`. Then typed extraction of the validated values.

use super::errors;
use crate::model::Tag;
use crate::shapes::{Kind, Member, Operation, TAG_MEMBERS};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

const STR_TYPES: &str = "<class 'str'>";
const INT_TYPES: &str = "<class 'int'>";
const LIST_TYPES: &str = "<class 'list'>, <class 'tuple'>";
const DICT_TYPES: &str = "<class 'dict'>";

struct Report {
    lines: Vec<String>,
}

impl<'py> Report {
    fn invalid_type(&mut self, name: &str, value: &Bound<'py, PyAny>, valid: &str) {
        let shown = value
            .str()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "<unprintable>".into());
        let ty = value
            .get_type()
            .str()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.lines.push(format!(
            "Invalid type for parameter {name}, value: {shown}, type: {ty}, valid types: {valid}"
        ));
    }

    fn structure(&mut self, value: &Bound<'py, PyAny>, members: &[Member], name: &str) {
        let Ok(dict) = value.cast::<PyDict>() else {
            self.invalid_type(name, value, DICT_TYPES);
            return;
        };
        let shown = if name.is_empty() { "input" } else { name };
        for m in members.iter().filter(|m| m.required) {
            if !dict.contains(m.name).unwrap_or(false) {
                self.lines.push(format!(
                    "Missing required parameter in {shown}: \"{}\"",
                    m.name
                ));
            }
        }
        let valid: Vec<&str> = members.iter().map(|m| m.name).collect();
        let mut known = Vec::new();
        for (k, v) in dict.iter() {
            let key = k
                .str()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            match members.iter().find(|m| m.name == key) {
                Some(m) => known.push((m, v)),
                None => self.lines.push(format!(
                    "Unknown parameter in {shown}: \"{key}\", must be one of: {}",
                    valid.join(", ")
                )),
            }
        }
        for (m, v) in known {
            let child = if name.is_empty() {
                m.name.to_string()
            } else {
                format!("{name}.{}", m.name)
            };
            self.member(&v, m, &child);
        }
    }

    fn member(&mut self, value: &Bound<'py, PyAny>, m: &Member, name: &str) {
        match m.kind {
            Kind::String => self.string(value, m.min, name),
            Kind::Integer => {
                // bool is an int to botocore too (isinstance(True, int)).
                if !value.is_instance_of::<pyo3::types::PyInt>() {
                    self.invalid_type(name, value, INT_TYPES);
                } else if let Some(min) = m.min {
                    let below = value.lt(min).unwrap_or(false);
                    if below {
                        let shown = value
                            .str()
                            .map(|s| s.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        self.lines.push(format!(
                            "Invalid value for parameter {name}, value: {shown}, valid min value: {min}"
                        ));
                    }
                }
            }
            Kind::TagList => {
                let Some(items) = self.sequence(value, name) else {
                    return;
                };
                for (i, item) in items.iter().enumerate() {
                    self.structure(item, &TAG_MEMBERS, &format!("{name}[{i}]"));
                }
            }
            Kind::StringList => {
                let Some(items) = self.sequence(value, name) else {
                    return;
                };
                for (i, item) in items.iter().enumerate() {
                    self.string(item, m.min, &format!("{name}[{i}]"));
                }
            }
        }
    }

    fn string(&mut self, value: &Bound<'py, PyAny>, min: Option<i64>, name: &str) {
        let Ok(s) = value.cast::<PyString>() else {
            self.invalid_type(name, value, STR_TYPES);
            return;
        };
        if let Some(min) = min {
            let len = s.len().unwrap_or(0) as i64;
            if len < min {
                self.lines.push(format!(
                    "Invalid length for parameter {name}, value: {len}, valid min length: {min}"
                ));
            }
        }
    }

    fn sequence(
        &mut self,
        value: &Bound<'py, PyAny>,
        name: &str,
    ) -> Option<Vec<Bound<'py, PyAny>>> {
        if let Ok(list) = value.cast::<PyList>() {
            Some(list.iter().collect())
        } else if let Ok(tuple) = value.cast::<PyTuple>() {
            Some(tuple.iter().collect())
        } else {
            self.invalid_type(name, value, LIST_TYPES);
            None
        }
    }
}

/// The request dict of a boto3-style call: keyword arguments only (boto3's `TypeError`
/// otherwise), an empty dict when none were given.
pub fn keyword_request<'py>(
    py: Python<'py>,
    method: &str,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    if !args.is_empty() {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "{method}() only accepts keyword arguments."
        )));
    }
    Ok(kwargs.cloned().unwrap_or_else(|| PyDict::new(py)))
}

/// Validates a request dict as botocore would; `Err` is botocore's ParamValidationError.
pub fn check(py: Python<'_>, op: &Operation, params: &Bound<'_, PyAny>) -> PyResult<()> {
    if op.members.is_empty() {
        // No input shape in the model (GetAccountSummary): botocore validates nothing.
        return Ok(());
    }
    let mut report = Report { lines: Vec::new() };
    report.structure(params, op.members, "");
    if report.lines.is_empty() {
        Ok(())
    } else {
        Err(errors::param_validation_error(py, report.lines.join("\n")))
    }
}

/// A validated string; text that is not valid UTF-8 (lone surrogates) is kept with U+FFFD in
/// their place, which then fails the service's patterns as any other bad character would.
fn text(value: &Bound<'_, PyAny>) -> String {
    match value.cast::<PyString>() {
        Ok(s) => s.to_string_lossy().into_owned(),
        Err(_) => String::new(),
    }
}

/// Typed access to a request dict that `check` accepted.
pub struct Request<'a, 'py> {
    pub dict: &'a Bound<'py, PyDict>,
}

impl<'a, 'py> Request<'a, 'py> {
    pub fn new(dict: &'a Bound<'py, PyDict>) -> Self {
        Request { dict }
    }

    fn get(&self, name: &str) -> Option<Bound<'py, PyAny>> {
        self.dict.get_item(name).ok().flatten()
    }

    pub fn str(&self, name: &str) -> Option<String> {
        self.get(name).map(|v| text(&v))
    }

    /// The required string `check` has already proved present.
    pub fn req(&self, name: &str) -> String {
        self.str(name).unwrap_or_default()
    }

    /// An integer; values beyond i64 saturate (they fail the service's maximum anyway).
    pub fn int(&self, name: &str) -> Option<i64> {
        let v = self.get(name)?;
        Some(v.extract::<i64>().unwrap_or_else(|_| {
            if v.lt(0).unwrap_or(false) {
                i64::MIN
            } else {
                i64::MAX
            }
        }))
    }

    pub fn tags(&self, name: &str) -> Vec<Tag> {
        let Some(v) = self.get(name) else {
            return Vec::new();
        };
        v.try_iter()
            .map(|it| {
                it.flatten()
                    .map(|item| {
                        let get = |k: &str| item.get_item(k).map(|x| text(&x)).unwrap_or_default();
                        Tag::new(get("Key"), get("Value"))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn strings(&self, name: &str) -> Vec<String> {
        let Some(v) = self.get(name) else {
            return Vec::new();
        };
        v.try_iter()
            .map(|it| it.flatten().map(|x| text(&x)).collect())
            .unwrap_or_default()
    }
}
