"""The OpenAPI document turned into what its page for people lists: each path and method, its parameters and
the fields of its answer. Read from the same document as /api/openapi.json, so the page cannot fall behind.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Schema = dict[str, Any]
DEEPEST = 5  # nesting levels of fields listed; the answers go three deep today


@dataclass(frozen=True)
class Row:
    name: str
    kind: str
    description: str
    required: bool = True


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    tag: str
    anchor: str
    media_type: str
    parameters: list[Row] = field(default_factory=list)
    fields: list[Row] = field(default_factory=list)
    statuses: list[tuple[str, str]] = field(default_factory=list)


def _resolve(schema: Schema, document: Schema) -> Schema:
    while "$ref" in schema:
        _hash, _components, kind, name = schema["$ref"].split("/")
        schema = document["components"][kind][name]
    return schema


def _kind(schema: Schema, document: Schema) -> str:
    schema = _resolve(schema, document)
    kinds = schema.get("type", "")
    kinds = list(kinds) if isinstance(kinds, list) else [kinds]
    nullable = "null" in kinds
    main = next((k for k in kinds if k != "null"), "")
    if main == "array":
        main = f"array of {_kind(schema.get('items', {}), document)}"
    elif "oneOf" in schema:  # GeoJSON geometries, named as GeoJSON names them
        main = " or ".join(choice["$ref"].rsplit("/", 1)[1] if "$ref" in choice else _kind(choice, document)
                           for choice in schema["oneOf"])
    elif "enum" in schema:
        main = "one of " + ", ".join(str(value) for value in schema["enum"] if value is not None)
    elif "format" in schema:
        main = f"{main} ({schema['format']})"
    return f"{main} or null" if nullable else main


def _fields(schema: Schema, document: Schema, prefix: str = "", depth: int = 0) -> list[Row]:
    schema = _resolve(schema, document)
    rows: list[Row] = []
    if depth > DEEPEST:
        return rows
    required = set(schema.get("required", ()))
    for name, child in schema.get("properties", {}).items():
        child = _resolve(child, document)
        rows.append(Row(prefix + name, _kind(child, document), child.get("description", ""), name in required))
        items = _resolve(child.get("items", {}), document)
        if "properties" in child:
            rows += _fields(child, document, f"{prefix}{name}.", depth + 1)
        elif "properties" in items:
            rows += _fields(items, document, f"{prefix}{name}[].", depth + 1)
    return rows


def _parameter(parameter: Schema, document: Schema) -> Row:
    parameter = _resolve(parameter, document)
    return Row(parameter["name"], f"{parameter['in']}: {_kind(parameter['schema'], document)}",
               parameter.get("description", ""), parameter.get("required", False))


def operations(document: Schema) -> list[Operation]:
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            [(media_type, content)] = operation["responses"]["200"]["content"].items()
            answer = content["schema"]
            statuses = [(code, _resolve(response, document)["description"])
                        for code, response in operation["responses"].items()]
            found.append(Operation(
                method=method.upper(), path=path, summary=operation["summary"], tag=operation["tags"][0],
                anchor=operation["operationId"], media_type=media_type,
                parameters=[_parameter(p, document) for p in operation.get("parameters", [])],
                fields=_fields(answer, document), statuses=statuses))
    return found
