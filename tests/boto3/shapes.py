"""Checks a raw response body against the botocore model of its operation: every member known, of the
declared JSON type, timestamps encoded as the protocol and shape declare."""

import json


def check_response(operation, status, body):
    if status >= 300 or not body:
        return []
    protocol = operation.metadata["protocol"]
    if protocol not in ("rest-json", "json"):
        return []  # XML and query responses are parsed (and so checked) by botocore itself
    output = operation.output_shape
    if output is None:
        return []
    try:
        document = json.loads(body)
    except ValueError as error:
        return [f"{operation.name}: body is not JSON: {error}"]
    payload = output.serialization.get("payload")
    if payload:
        return check(document, output.members[payload], operation.name, protocol)
    return check(document, output, operation.name, protocol)


def check(value, shape, path, protocol):
    problems = []
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {type(value).__name__}"]
        by_wire = {m.serialization.get("name", name): m for name, m in shape.members.items()}
        for key, item in value.items():
            member = by_wire.get(key)
            if member is None:
                problems.append(f"{path}.{key}: not a member of {shape.name}")
            else:
                problems.extend(check(item, member, f"{path}.{key}", protocol))
        for required in shape.required_members:
            wire = shape.members[required].serialization.get("name", required)
            if wire not in value:
                problems.append(f"{path}.{wire}: required by {shape.name} but missing")
    elif kind == "list":
        if not isinstance(value, list):
            return [f"{path}: expected a list"]
        for i, item in enumerate(value):
            problems.extend(check(item, shape.member, f"{path}[{i}]", protocol))
    elif kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: expected a map"]
        for key, item in value.items():
            problems.extend(check(item, shape.value, f"{path}.{key}", protocol))
    elif kind in ("string", "blob"):
        if not isinstance(value, str):
            problems.append(f"{path}: expected a string, got {value!r}")
        elif shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} is not one of {shape.name}'s values")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{path}: expected an integer, got {value!r}")
    elif kind in ("double", "float"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            problems.append(f"{path}: expected a number, got {value!r}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: expected a boolean, got {value!r}")
    elif kind == "timestamp":
        fmt = shape.serialization.get("timestampFormat") or ("unixTimestamp" if protocol in ("json", "rest-json") else "iso8601")
        if fmt == "unixTimestamp" and not isinstance(value, (int, float)):
            problems.append(f"{path}: expected epoch seconds, got {value!r}")
        if fmt == "iso8601" and not isinstance(value, str):
            problems.append(f"{path}: expected an ISO 8601 string, got {value!r}")
    return problems
