"""Backups of the whole site: the database and the uploaded media, and their restore.

One command gets everything a one-person practice needs to start again on a new machine:
a consistent copy of the database (SQLite's online backup API, which copies a live database
page by page while the site and the worker keep writing; `pg_dump`'s custom format on
PostgreSQL, one snapshot) and, next to it, a tar of the media files (featured images, author
photos, uploads and their renditions), read and written back through Django's storage API, so
the same code keeps MEDIA_ROOT's files and an S3 bucket's (MEDIA_STORAGE=s3). The files hold
followers' and commenters' addresses, so they are written readable by their owner only.
"""

import contextlib
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections
from django.utils import timezone

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
MEDIA_SUFFIX = ".media.tar.gz"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


@dataclass
class Result:
    database: Path
    media: Path | None  # None when there are no media files to keep


def engine(alias="default"):
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def default_path(alias="default", now=None):
    stamp = (now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    extension = "sqlite3" if engine(alias) == "sqlite" else "dump"
    return Path("backups") / f"backstory-{stamp}.{extension}"


def media_path(database_file):
    """The media tar that belongs to a database backup: `x.dump` -> `x.media.tar.gz`."""
    database_file = Path(database_file)
    return database_file.with_name(database_file.stem + MEDIA_SUFFIX)


def backup(destination=None, *, media=True, alias="default"):
    """Write the database (and the media files) to `destination`; return where they went."""
    destination = Path(destination or default_path(alias))
    destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if destination.exists():
        raise BackupError(f"{destination} exists already; choose another name.")
    with _atomic(destination) as partial:
        if engine(alias) == "sqlite":
            _sqlite_backup(connections[alias].settings_dict["NAME"], partial)
        else:
            _pg(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                 f"--file={partial}"], alias)  # fmt: skip
    tar = backup_media(media_path(destination)) if media else None
    return Result(destination, tar)


def backup_media(tar, storage=default_storage):
    """Every media file into the tar `tar` (written whole or not at all); None if there are
    none."""
    names = sorted(stored_files(storage))
    if not names:
        return None
    with _atomic(Path(tar)) as partial, tarfile.open(partial, "w:gz") as archive:
        for name in names:
            _add(archive, name, storage)
    return Path(tar)


def restore_media(tar, storage=default_storage):
    """Every file of a media tar back into the storage, replacing a file of the same name and
    leaving the others. Tars of MEDIA_ROOT made before (members "./…") read the same."""
    with tarfile.open(tar, "r:gz") as archive:
        for member in archive:
            # The "data" filter refuses absolute paths, links out of the folder and devices.
            member = tarfile.data_filter(member, "/media")
            if not member.isfile():
                continue
            name = posixpath.normpath(member.name)
            if storage.exists(name):
                storage.delete(name)
            with archive.extractfile(member) as handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(f"{name} was stored as {saved}.")


def stored_files(storage=default_storage, folder=""):
    """The name of every file in the media storage (on disk or in a bucket)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing was ever uploaded: no MEDIA_ROOT yet
        return
    for name in files:
        yield posixpath.join(folder, name)
    for name in folders:
        yield from stored_files(storage, posixpath.join(folder, name))


def _add(archive, name, storage):
    member = tarfile.TarInfo(name)
    member.size = storage.size(name)
    member.mode = 0o644
    with contextlib.suppress(NotImplementedError):  # a storage that keeps no times
        member.mtime = storage.get_modified_time(name).timestamp()
    with storage.open(name, "rb") as handle:
        archive.addfile(member, handle)


def restore(source, *, media=True, alias="default"):
    """Replace the database (and add back the media files) from a backup made by `backup`."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    with source.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    vendor = engine(alias)
    if head.startswith(SQLITE_MAGIC) != (vendor == "sqlite") or (
        vendor == "postgresql" and not head.startswith(PG_CUSTOM_MAGIC)
    ):
        kind = "SQLite" if vendor == "sqlite" else "PostgreSQL (pg_dump custom format)"
        raise BackupError(f"{source} is not a {kind} backup, and this site runs on {kind}.")
    connections[alias].close()
    if vendor == "sqlite":
        _sqlite_backup(source, connections[alias].settings_dict["NAME"])
    else:
        _pg(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--exit-on-error", "--single-transaction", str(source)], alias)  # fmt: skip
    tar = media_path(source)
    if media and tar.is_file():
        restore_media(tar)
        return Result(source, tar)
    return Result(source, None)


def _sqlite_backup(source, target):
    # The online backup API: a consistent copy even while other connections write (WAL).
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)
    origin.close()
    copy.close()


def _pg(command, alias):
    db = connections[alias].settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command.append(f"{option}={db[key]}")
    command.append(f"--dbname={db['NAME']}")
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)."
        )
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


class _atomic:
    """A temporary file beside `path`, private to its owner, renamed to `path` on success."""

    def __init__(self, path):
        self.path = Path(path)

    def __enter__(self):
        fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        os.close(fd)  # mkstemp creates it with mode 0600
        self.partial = Path(name)
        return self.partial

    def __exit__(self, kind, error, trace):
        if kind is None:
            self.partial.replace(self.path)
        else:
            self.partial.unlink(missing_ok=True)
        return False
