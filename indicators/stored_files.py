"""Files kept in storage for rows (evidence, appeals, imports, books): none left without a row.

A deleted row's file goes once the deletion commits; files no row names (left by a crash or a
transaction that failed at its commit) are found by `orphan_files` for `remove_orphan_files`.
"""

import datetime
import logging
from collections.abc import Iterator
from functools import partial

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

log = logging.getLogger(__name__)
# The folders the portal's FileFields write to; anything else under MEDIA_ROOT is left alone.
FOLDERS = ("evidence", "imports", "books")


def file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field


def remove_files_after_delete(sender, instance: models.Model, **kwargs) -> None:
    """post_delete: remove the row's files once the deletion is committed, not before."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.FileField):
            stored = getattr(instance, field.attname)
            if stored and stored.name:
                transaction.on_commit(partial(_delete, stored.storage, stored.name))


def _delete(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        log.warning("Could not remove file %s", name)


def referenced_names() -> set[str]:
    names: set[str] = set()
    for model, field in file_fields():
        values = model._base_manager.exclude(**{field.attname: ""}).values_list(field.attname)
        names.update(value for (value,) in values.iterator() if value)
    return names


def stored_names(folder: str) -> Iterator[str]:
    """Every file under one folder of the default storage, recursively."""
    if not default_storage.exists(folder):
        return
    directories, files = default_storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from stored_names(f"{folder}/{directory}")


def orphan_files(min_age: datetime.timedelta) -> list[str]:
    """Files no row names, older than min_age (younger ones may belong to an upload under way)."""
    referenced = referenced_names()
    cutoff = timezone.now() - min_age
    orphans = []
    for folder in FOLDERS:
        for name in stored_names(folder):
            if name not in referenced and default_storage.get_modified_time(name) < cutoff:
                orphans.append(name)
    return orphans
