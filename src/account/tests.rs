use super::*;

fn account() -> Account {
    Account::new(AccountConfig::default(), Entropy::seeded(7), 1_700_000_000)
}

#[test]
fn create_then_list() {
    let mut a = account();
    let d = a.create_virtual_mfa_device(Some("/ops/"), "alice", &[]).unwrap();
    assert_eq!(d.serial, "arn:aws:iam::123456789012:mfa/ops/alice");
    assert_eq!(a.device_name(&d.serial), Some("alice"));
    let page = a.list_virtual_mfa_devices(None, None, None).unwrap();
    assert_eq!(page.items.len(), 1);
    assert!(!page.is_truncated());
}
