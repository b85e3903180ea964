"""iamlite's exception classes mirror botocore's for IAM: every modeled code, same names, same
hierarchy, and they pickle."""

from __future__ import annotations

import pickle

import boto3
import botocore.exceptions
import botocore.session
import pytest

import iamlite
from iamlite import exceptions

MODEL = botocore.session.get_session().get_service_model("iam")


def test_every_modeled_iam_error_has_its_class():
    assert exceptions.MODELED_CODES == {e.error_code: e.name for e in MODEL.error_shapes}
    client = iamlite.client("iam")
    real = boto3.client("iam", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    for shape in MODEL.error_shapes:
        ours = getattr(client.exceptions, shape.name)
        assert ours.__name__ == getattr(real.exceptions, shape.name).__name__
        assert issubclass(ours, botocore.exceptions.ClientError)
        assert client.exceptions.from_code(shape.error_code) is ours
    assert client.exceptions.from_code("ValidationError") is exceptions.ClientError


@pytest.mark.parametrize("code", sorted(exceptions.MODELED_CODES))
def test_exceptions_pickle_with_their_class(code):
    response = exceptions.error_response(code, "m", 400, "Sender", "rid")
    err = exceptions.error_class_for(code)(response, "GetUser")
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is type(err) and again.response == response and str(again) == str(err)


def test_param_validation_and_resource_load_are_botocores_and_boto3s():
    import boto3.exceptions

    assert exceptions.ParamValidationError is botocore.exceptions.ParamValidationError
    assert exceptions.ResourceLoadException is boto3.exceptions.ResourceLoadException
    err = exceptions.ParamValidationError(report="x")
    assert str(pickle.loads(pickle.dumps(err))) == str(err)
