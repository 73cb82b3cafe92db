"""A small validator of responses against the generated OpenAPI schema: the status code must be
declared for the operation and the body must match its schema (types, required fields, enums)."""

from __future__ import annotations

import re
from typing import Any

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


class SchemaError(AssertionError):
    pass


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = doc
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def check(doc: dict[str, Any], schema: dict[str, Any], value: Any, where: str = "$") -> None:
    schema = _resolve(doc, schema)
    if "anyOf" in schema or "oneOf" in schema:
        errors = []
        for option in schema.get("anyOf") or schema["oneOf"]:
            try:
                check(doc, option, value, where)
                return
            except SchemaError as e:
                errors.append(str(e))
        raise SchemaError(f"{where}: no alternative matches ({'; '.join(errors)})")
    for part in schema.get("allOf", []):
        check(doc, part, value, where)
    if "enum" in schema and value not in schema["enum"]:
        raise SchemaError(f"{where}: {value!r} not in {schema['enum']}")
    kind = schema.get("type")
    ok = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
    }
    if kind and not ok[kind](value):
        raise SchemaError(f"{where}: expected {kind}, got {value!r}")
    if kind == "string" and schema.get("format") == "date" and not DATE.match(value):
        raise SchemaError(f"{where}: not a date: {value!r}")
    if kind == "string" and schema.get("format") == "date-time" and not DATETIME.match(value):
        raise SchemaError(f"{where}: not a date-time: {value!r}")
    if kind == "object":
        for name in schema.get("required", []):
            if name not in value:
                raise SchemaError(f"{where}: missing required field {name!r}")
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                check(doc, sub, value[name], f"{where}.{name}")
    if kind == "array" and "items" in schema:
        for i, item in enumerate(value):
            check(doc, schema["items"], item, f"{where}[{i}]")


def validate_response(doc: dict[str, Any], path: str, method: str, response: Any) -> Any:
    """Check `response` (a Django test response) for the operation `method path`; return its JSON."""
    operation = doc["paths"][path][method.lower()]
    code = str(response.status_code)
    if code not in operation["responses"]:
        raise SchemaError(
            f"{method} {path}: status {code} is not declared (declared: {sorted(operation['responses'])})"
        )
    body = response.json()
    content = operation["responses"][code].get("content", {}).get("application/json")
    if content:
        check(doc, content["schema"], body)
    return body
