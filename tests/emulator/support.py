"""Helpers for the emulator's tests: an HTTP client on an emulator, error checks, the contract."""

from __future__ import annotations

import copy
import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import jsonschema

from rec_tui.emulator import Emulator, EmulatorConfig, ManualClock
from tests.contract import CONTRACT_PATH  # noqa: F401 (the fixtures read it from here)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)

RFC2822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                     r"\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
ERROR_KEYS = {"code", "message", "more_info", "status"}


class Api:
    """An httpx client on one emulator, with paths relative to the account root."""

    def __init__(self, emu: Emulator, auth: tuple[str, str] | None = None) -> None:
        self.emu = emu
        self.root = f"/2010-04-01/Accounts/{emu.account_sid}"
        self.http = httpx.Client(base_url=emu.base_url, auth=auth or (emu.account_sid, emu.auth_token), timeout=30)

    def url(self, path: str) -> str:
        """``Recordings.json`` -> the account path; a path starting with ``/`` is taken as it is."""
        return path if path.startswith("/") else f"{self.root}/{path}"

    def get(self, path: str, params: Any = None, **kw: Any) -> httpx.Response:
        return self.http.get(self.url(path), params=params, **kw)

    def post(self, path: str, data: Any = None, **kw: Any) -> httpx.Response:
        return self.http.post(self.url(path), data=data, **kw)

    def delete(self, path: str, **kw: Any) -> httpx.Response:
        return self.http.delete(self.url(path), **kw)

    def json(self, path: str, params: Any = None) -> dict:
        response = self.get(path, params)
        assert response.status_code == 200, response.text
        return response.json()

    def all_pages(self, path: str, params: Any = None, key: str = "recordings") -> list[dict]:
        body = self.json(path, params)
        items = list(body[key])
        while body["next_page_uri"]:
            body = self.json(body["next_page_uri"])
            items.extend(body[key])
        return items

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "Api":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def make_emulator(**overrides: Any) -> Emulator:
    options: dict[str, Any] = dict(seed=7, recordings=250, clock=ManualClock(NOW))
    options.update(overrides)
    return Emulator(EmulatorConfig(**options))






def assert_error(response: httpx.Response, status: int, code: int | None = None) -> dict:
    """An error answer in Twilio's shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == ERROR_KEYS, body
    assert body["status"] == status
    assert isinstance(body["code"], int) and isinstance(body["message"], str) and body["message"]
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{body['code']}"
    if code is not None:
        assert body["code"] == code, body
    return body


def gmt(value: str) -> datetime:
    assert RFC2822.match(value), value
    return parsedate_to_datetime(value).astimezone(timezone.utc)


# -- the contract --------------------------------------------------------------------------------


def _allow(schema: Any) -> Any:
    """OpenAPI 3.0 -> JSON Schema, plus the two documented allowances of the reference README:
    ``price`` may be a (decimal) string, and enum ``$ref`` fields may be null."""
    if isinstance(schema, list):
        return [_allow(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _allow(value) for key, value in schema.items()}
    if out.pop("nullable", False) and "type" in out:
        out["type"] = [out["type"], "null"]
    props = out.get("properties")
    if isinstance(props, dict):
        for name, prop in list(props.items()):
            if name == "price" and isinstance(prop, dict) and "type" in prop:
                types = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
                prop["type"] = sorted(set(types) | {"string", "number"})
            if isinstance(prop, dict) and set(prop) == {"$ref"} and "_enum_" in prop["$ref"]:
                props[name] = {"anyOf": [prop, {"type": "null"}]}
    return out


class Contract:
    def __init__(self, spec: dict) -> None:
        self.spec = spec
        self.components = _allow(copy.deepcopy(spec["components"]))
        self.checker = jsonschema.FormatChecker()

        @self.checker.checks("date-time-rfc-2822", raises=(ValueError, TypeError))
        def _rfc2822(value: object) -> bool:
            if not isinstance(value, str):
                return True
            return bool(RFC2822.match(value)) and parsedate_to_datetime(value) is not None

    def operations(self) -> list[tuple[str, str]]:
        return [(path, method) for path, item in self.spec["paths"].items()
                for method in item if method in ("get", "post", "delete", "put")]

    def statuses(self, path: str, method: str) -> list[str]:
        return list(self.spec["paths"][path][method]["responses"])

    def schema(self, path: str, method: str, status: int) -> dict | None:
        response = self.spec["paths"][path][method]["responses"].get(str(status))
        if response is None:
            return None
        content = response.get("content") or {}
        if not content:
            return {}
        schema = _allow(copy.deepcopy(content["application/json"]["schema"]))
        schema["components"] = self.components
        return schema

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            schema = self.components["schemas"][name]
        return schema

    def validate(self, path: str, method: str, status: int, body: Any) -> None:
        schema = self.schema(path, method, status)
        assert schema is not None, f"{method.upper()} {path} has no {status} response in the contract"
        jsonschema.Draft7Validator(schema, format_checker=self.checker).validate(body)
        self._every_field(schema, body)

    def _every_field(self, schema: dict, body: Any) -> None:
        """Each object the schema describes carries every property it lists (none left out)."""
        schema = self.resolve(schema)
        if isinstance(body, dict) and "properties" in schema:
            missing = set(schema["properties"]) - set(body)
            assert not missing, f"missing fields {sorted(missing)}"
            for name, sub in schema["properties"].items():
                value = body.get(name)
                if isinstance(value, list) and isinstance(sub, dict) and "items" in sub:
                    for item in value:
                        self._every_field(sub["items"], item)
