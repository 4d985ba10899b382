"""Starts the sandbox binary on the `sample` estate and hands tests boto3 clients that record every raw
response, so each one can be checked against the botocore model."""

import json
import os
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import boto3
import botocore.config
import pytest

from shapes import check_response

SANDBOX = os.environ.get("PINSHIFT_SANDBOX_BIN", "pinshift-sandbox")


def serve(estate):
    with tempfile.TemporaryDirectory() as tmp:
        ready = Path(tmp) / "ready.json"
        process = subprocess.Popen(
            [SANDBOX, "serve", "--estate", estate, "--port", "0", "--ready-file", str(ready)],
            stderr=open(Path(tmp) / "sandbox.log", "w"),
        )
        try:
            deadline = time.time() + 30
            while not ready.exists():
                if process.poll() is not None or time.time() > deadline:
                    raise RuntimeError("the sandbox did not start: " + (Path(tmp) / "sandbox.log").read_text())
                time.sleep(0.05)
            yield json.loads(ready.read_text())
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def sandbox():
    yield from serve("sample")


@pytest.fixture(scope="session")
def demo():
    yield from serve("demo")


class Recorder:
    """Collects (service model, operation, raw body, status) for every call a client makes."""

    def __init__(self):
        self.calls = []

    def __call__(self, http_response, model, **_):
        # Only JSON protocols are checked here; reading a streaming (S3) body would consume it.
        if model.metadata["protocol"] in ("rest-json", "json"):
            self.calls.append((model, http_response.status_code, http_response.content))


@pytest.fixture()
def recorder():
    """Every JSON response the test's clients received; checked against botocore's model at the end."""
    recorder = Recorder()
    yield recorder
    problems = []
    for model, status, body in recorder.calls:
        problems.extend(check_response(model, status, body))
    assert not problems, "responses that do not match the botocore model:\n" + "\n".join(problems)


def make_client(endpoint, recorder, service, region="us-east-1", **credentials):
    c = boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        config=botocore.config.Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}),
        **credentials,
    )
    c.meta.events.register("after-call.*", recorder)
    return c


@pytest.fixture()
def session(sandbox, recorder):
    """Clients with the sample estate's BPO keys."""
    bpo = next(a for a in sandbox["accounts"] if a["name"] == "bpo")

    def client(service, region="us-east-1"):
        return make_client(sandbox["endpoint"], recorder, service, region,
                           aws_access_key_id=bpo["access_key_id"], aws_secret_access_key=bpo["secret_access_key"])

    return client


@pytest.fixture(scope="module")
def minimal():
    yield from serve("minimal")


def control(sandbox, method, path, body=None):
    request = urllib.request.Request(sandbox["endpoint"] + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request) as response:
        text = response.read().decode()
        return json.loads(text) if text else None


@pytest.fixture()
def client(minimal, recorder):
    """Clients as client-a, with quotas off (template calls are 1/s, Connect 2/s) and the sandbox reset."""
    control(minimal, "POST", "/_sandbox/reset")
    control(minimal, "PUT", "/_sandbox/quotas", {"enabled": False})
    account = next(a for a in minimal["accounts"] if a["name"] == "client-a")

    def make(service):
        return make_client(minimal["endpoint"], recorder, service,
                           aws_access_key_id=account["access_key_id"], aws_secret_access_key=account["secret_access_key"])

    return make


def code(error):
    return error.value.response["Error"]["Code"]
