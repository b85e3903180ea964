"""The Rust tables agree with the installed botocore service model: the client-side input shapes
(members, order, required, min) and the server-side constraints (patterns, min, max)."""

from __future__ import annotations

import botocore.session
import pytest

from iamlite import _native

MODEL = botocore.session.get_session().get_service_model("iam")
KINDS = {"string": "string", "integer": "integer"}


def _kind(shape) -> str:
    if shape.type_name == "list":
        return "tag_list" if shape.member.type_name == "structure" else "string_list"
    return shape.type_name


@pytest.mark.parametrize("operation, method, members", _native._input_shapes(), ids=lambda x: x if isinstance(x, str) else "")
def test_input_shape_matches_botocore(operation, method, members):
    op = MODEL.operation_model(operation)
    shape = op.input_shape
    model_members = list(shape.members.items()) if shape is not None else []
    assert [m[0] for m in members] == [name for name, _ in model_members]
    required = set(shape.required_members) if shape is not None else set()
    for (name, kind, req, minimum), (_, member_shape) in zip(members, model_members):
        assert kind == _kind(member_shape), name
        assert req == (name in required), name
        if member_shape.type_name == "list":
            # For lists, the table's min applies to each item (tag keys) or is absent.
            item = member_shape.member
            if item.type_name == "string":
                assert minimum == item.metadata.get("min"), name
            else:
                assert minimum is None and "min" not in member_shape.metadata, name
        else:
            assert minimum == member_shape.metadata.get("min"), name
    # botocore's method name for the operation
    from botocore import xform_name

    assert method == xform_name(operation)


def test_tag_structure_matches_botocore():
    tag = MODEL.shape_for("Tag")
    assert list(tag.members) == ["Key", "Value"]
    assert set(tag.required_members) == {"Key", "Value"}
    assert tag.members["Key"].metadata["min"] == 1
    assert tag.members["Value"].metadata["min"] == 0


@pytest.mark.parametrize("row", _native._constraints(), ids=lambda r: r[0])
def test_constraint_matches_botocore(row):
    name, pattern, minimum, maximum = row
    shape = MODEL.shape_for(name)
    assert shape.metadata.get("pattern") == pattern
    assert shape.metadata.get("min") == minimum
    assert shape.metadata.get("max") == maximum


def test_operations_without_members_have_no_input_shape():
    """iamlite skips client-side validation for them, as botocore does without an input shape."""
    for operation, _, members in _native._input_shapes():
        if not members:
            assert MODEL.operation_model(operation).input_shape is None, operation


def test_every_operation_iamlite_serves_is_in_the_model():
    names = set(MODEL.operation_names)
    for operation, _, _ in _native._input_shapes():
        assert operation in names
