"""The contract: Twilio's official OpenAPI description of the recordings endpoints.

A copy of ``shared/reference/twilio_api_v2010_recordings.openapi.json`` lives here so a clean clone
tests against it on its own; ``test_contract_copy`` keeps the copy identical to the reference.
"""

from pathlib import Path

CONTRACT_PATH = Path(__file__).with_name("twilio_api_v2010_recordings.openapi.json")
#: The team's reference copy, when this checkout sits beside ``shared/``.
REFERENCE_PATH = Path(__file__).resolve().parents[3] / "shared" / "reference" / CONTRACT_PATH.name
