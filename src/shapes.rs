//! The input shapes botocore checks on the client side before any request: member names, types,
//! `required` and `min` (aws-reference §8). Patterns, maxima and enums are the service's business
//! (`validate.rs`). `tests/test_constraints.py` proves this table equals the installed botocore model.

/// A member's type as botocore's validator sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Integer,
    /// A list of `{Key, Value}` structures (`tagListType`).
    TagList,
    /// A list of strings with `min` on each (`tagKeyListType`).
    StringList,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Minimum length (strings, lists, list items) or value (integers).
    pub min: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    pub name: &'static str,
    /// The boto3 client method name.
    pub method: &'static str,
    /// In the model's order; botocore lists them in this order in "must be one of". Empty means
    /// the operation has no input shape, and botocore then checks no parameters at all.
    pub members: &'static [Member],
}

const fn m(name: &'static str, kind: Kind, required: bool, min: Option<i64>) -> Member {
    Member {
        name,
        kind,
        required,
        min,
    }
}

use Kind::{Integer as I, String as S, StringList as SL, TagList as TL};

const PAGING: [Member; 2] = [
    m("Marker", S, false, Some(1)),
    m("MaxItems", I, false, Some(1)),
];

pub static OPERATIONS: &[Operation] = &[
    Operation {
        name: "CreateVirtualMFADevice",
        method: "create_virtual_mfa_device",
        members: &[
            m("Path", S, false, Some(1)),
            m("VirtualMFADeviceName", S, true, Some(1)),
            m("Tags", TL, false, None),
        ],
    },
    Operation {
        name: "DeleteVirtualMFADevice",
        method: "delete_virtual_mfa_device",
        members: &[m("SerialNumber", S, true, Some(9))],
    },
    Operation {
        name: "ListVirtualMFADevices",
        method: "list_virtual_mfa_devices",
        members: &[m("AssignmentStatus", S, false, None), PAGING[0], PAGING[1]],
    },
    Operation {
        name: "EnableMFADevice",
        method: "enable_mfa_device",
        members: &[
            m("UserName", S, true, Some(1)),
            m("SerialNumber", S, true, Some(9)),
            m("AuthenticationCode1", S, true, Some(6)),
            m("AuthenticationCode2", S, true, Some(6)),
        ],
    },
    Operation {
        name: "DeactivateMFADevice",
        method: "deactivate_mfa_device",
        members: &[
            m("UserName", S, false, Some(1)),
            m("SerialNumber", S, true, Some(9)),
        ],
    },
    Operation {
        name: "ResyncMFADevice",
        method: "resync_mfa_device",
        members: &[
            m("UserName", S, true, Some(1)),
            m("SerialNumber", S, true, Some(9)),
            m("AuthenticationCode1", S, true, Some(6)),
            m("AuthenticationCode2", S, true, Some(6)),
        ],
    },
    Operation {
        name: "GetMFADevice",
        method: "get_mfa_device",
        members: &[
            m("SerialNumber", S, true, Some(9)),
            m("UserName", S, false, Some(1)),
        ],
    },
    Operation {
        name: "ListMFADevices",
        method: "list_mfa_devices",
        members: &[m("UserName", S, false, Some(1)), PAGING[0], PAGING[1]],
    },
    Operation {
        name: "TagMFADevice",
        method: "tag_mfa_device",
        members: &[
            m("SerialNumber", S, true, Some(9)),
            m("Tags", TL, true, None),
        ],
    },
    Operation {
        name: "UntagMFADevice",
        method: "untag_mfa_device",
        members: &[
            m("SerialNumber", S, true, Some(9)),
            m("TagKeys", SL, true, Some(1)),
        ],
    },
    Operation {
        name: "ListMFADeviceTags",
        method: "list_mfa_device_tags",
        members: &[m("SerialNumber", S, true, Some(9)), PAGING[0], PAGING[1]],
    },
    Operation {
        name: "CreateUser",
        method: "create_user",
        members: &[
            m("Path", S, false, Some(1)),
            m("UserName", S, true, Some(1)),
            m("PermissionsBoundary", S, false, Some(20)),
            m("Tags", TL, false, None),
        ],
    },
    Operation {
        name: "GetUser",
        method: "get_user",
        members: &[m("UserName", S, false, Some(1))],
    },
    Operation {
        name: "UpdateUser",
        method: "update_user",
        members: &[
            m("UserName", S, true, Some(1)),
            m("NewPath", S, false, Some(1)),
            m("NewUserName", S, false, Some(1)),
        ],
    },
    Operation {
        name: "DeleteUser",
        method: "delete_user",
        members: &[m("UserName", S, true, Some(1))],
    },
    Operation {
        name: "ListUsers",
        method: "list_users",
        members: &[m("PathPrefix", S, false, Some(1)), PAGING[0], PAGING[1]],
    },
    Operation {
        name: "GetAccountSummary",
        method: "get_account_summary",
        members: &[],
    },
];

/// `Tag` structure members: `Key` (min 1) and `Value` (min 0), both required.
pub const TAG_MEMBERS: [Member; 2] = [m("Key", S, true, Some(1)), m("Value", S, true, Some(0))];

pub fn operation(name: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|op| op.name == name)
}

impl Operation {
    pub fn member(&self, name: &str) -> Option<&'static Member> {
        self.members.iter().find(|m| m.name == name)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn operations_are_unique() {
        let mut names: Vec<_> = super::OPERATIONS.iter().map(|o| o.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), super::OPERATIONS.len());
    }
}
