"""Where photo files are kept: a folder on this machine, or an S3-compatible bucket that many servers share.

``storage()`` gives the backend that ``PHOTO_STORAGE_URL`` names:

- ``file:///path/to/folder`` (or empty: ``instance/photos``): the embedded default, for one machine;
- ``s3://bucket`` (optionally ``s3://bucket/prefix``): S3-compatible object storage through boto3, with
  ``PHOTO_S3_ENDPOINT_URL`` (empty for AWS itself), ``PHOTO_S3_ACCESS_KEY``, ``PHOTO_S3_SECRET_KEY`` and
  ``PHOTO_S3_REGION``.

Both hold flat names (``<key>-<width>.<ext>``, checked: nothing else can name a file) and answer the
same four calls. Private photos are read through the app alone; nothing here makes a public link.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Protocol
from urllib.parse import urlsplit

from flask import current_app

from app.core import settings
from app.core.files import FILE_MODE, private_folder

# What a stored name may look like: a key of letters, digits, "-" or "_", a width and an extension.
NAME = re.compile(r"^[A-Za-z0-9_-]{8,40}-[0-9]{1,5}\.(webp|jpg)$")


class PhotoStorageError(Exception):
    """The storage could not be reached or refused a call (not a person's mistake)."""


@dataclass(frozen=True)
class StoredFile:
    name: str
    modified_at: datetime


class Storage(Protocol):
    def put(self, name: str, data: bytes, content_type: str) -> None: ...
    def open(self, name: str) -> bytes | None: ...   # None: no such file
    def delete(self, name: str) -> None: ...          # a missing file is no error
    def names(self) -> Iterator[StoredFile]: ...


def _checked(name: str) -> str:
    if not NAME.match(name):
        raise ValueError("not a photo file name")
    return name


class FileStorage:
    """Files in one folder, written whole or not at all (a temporary file renamed into place)."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)

    def _path(self, name: str) -> Path:
        return self.folder / _checked(name)

    def put(self, name: str, data: bytes, content_type: str) -> None:
        path = self._path(name)
        private_folder(self.folder)
        fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(temporary, FILE_MODE)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def open(self, name: str) -> bytes | None:
        try:
            return self._path(name).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

    def names(self) -> Iterator[StoredFile]:
        if not self.folder.is_dir():
            return
        for entry in os.scandir(self.folder):
            if entry.is_file() and NAME.match(entry.name):
                yield StoredFile(entry.name, datetime.fromtimestamp(entry.stat().st_mtime, timezone.utc))


class S3Storage:
    """Objects in a bucket (AWS S3, SeaweedFS, MinIO, Ceph...): every app server sees the same files."""

    def __init__(self, bucket: str, prefix: str = "", *, endpoint_url: str | None = None,
                 access_key: str | None = None, secret_key: str | None = None, region: str | None = None):
        import boto3
        from botocore.config import Config as BotoConfig

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url or None, aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None, region_name=region or "us-east-1",
            # A slow bucket must not hold a page (or a worker) for long: a few seconds and one retry, well
            # inside the server's 30 s worker timeout. Path style works with every S3 server.
            config=BotoConfig(connect_timeout=2, read_timeout=4, retries={"total_max_attempts": 2, "mode": "standard"},
                              s3={"addressing_style": "path"}))

    def _key(self, name: str) -> str:
        return self.prefix + _checked(name)

    def put(self, name: str, data: bytes, content_type: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(name), Body=data, ContentType=content_type)
        except (BotoCoreError, ClientError) as error:
            raise PhotoStorageError(f"storing {name}: {error.__class__.__name__}") from error

    def open(self, name: str) -> bytes | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(name))
            return answer["Body"].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return None
            raise PhotoStorageError(f"reading {name}: {error.__class__.__name__}") from error
        except BotoCoreError as error:
            raise PhotoStorageError(f"reading {name}: {error.__class__.__name__}") from error

    def delete(self, name: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._key(name))
        except (BotoCoreError, ClientError) as error:
            raise PhotoStorageError(f"deleting {name}: {error.__class__.__name__}") from error

    def names(self) -> Iterator[StoredFile]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                name = item["Key"][len(self.prefix):]
                if NAME.match(name):
                    yield StoredFile(name, item["LastModified"])


def storage_for(url: str | None) -> Storage:
    """The backend ``url`` names (see the module's docstring)."""
    if not url:
        return FileStorage(Path(current_app.instance_path) / "photos")
    parts = urlsplit(url)
    if parts.scheme == "file":
        return FileStorage(parts.path)
    if parts.scheme == "s3":
        return S3Storage(parts.netloc, parts.path, endpoint_url=settings.get("PHOTO_S3_ENDPOINT_URL"),
                         access_key=settings.get("PHOTO_S3_ACCESS_KEY"), secret_key=settings.get("PHOTO_S3_SECRET_KEY"),
                         region=settings.get("PHOTO_S3_REGION"))
    raise ValueError("PHOTO_STORAGE_URL must start with file:// or s3://")


def storage() -> Storage:
    """The configured backend, made once per app (a boto3 client is slow to make and safe to share)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the app itself, to hang the backend on
    backend = app.extensions.get("photo_storage")
    if backend is None:
        backend = app.extensions["photo_storage"] = storage_for(settings.get("PHOTO_STORAGE_URL"))
    return backend
