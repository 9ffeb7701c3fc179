import json

import pytest

from tests.contract import CONTRACT_PATH, REFERENCE_PATH


def test_the_copy_is_a_valid_openapi_document_of_the_recordings_endpoints():
    contract = json.loads(CONTRACT_PATH.read_text())
    assert contract["openapi"].startswith("3.")
    assert any(path.endswith("/Recordings.json") for path in contract["paths"])


@pytest.mark.skipif(not REFERENCE_PATH.exists(), reason="no shared/reference beside this checkout")
def test_the_copy_is_identical_to_the_reference():
    assert CONTRACT_PATH.read_bytes() == REFERENCE_PATH.read_bytes()
