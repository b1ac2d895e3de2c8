"""The machinery under the resources: widgets that read Thai input, natural-key loading,
Thai errors keyed by column, bulk writes with history and skipping of unchanged rows."""

from decimal import Decimal
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators.cache import raise_after_commit
from indicators.models import Agency
from indicators.numbers import normalize_digits, parse_decimal, parse_int
from indicators.spreadsheets.cells import neutral_cell

LIST_SEPARATORS = (",", ";", "\n")


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as text; Excel gives whole numbers as floats (1.0), written back as 1."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


AGENCY_CODE_DIGITS = 8


def padded_code(value: object, width: int) -> str:
    """A fixed-width numeric code as text: LibreOffice and Excel read 01000000 as a number and
    give back 1000000, which is padded to its width again."""
    code = normalize_digits(cell_text(value))
    return code.zfill(width) if code.isdigit() and len(code) < width else code


def split_codes(value: object) -> list[str]:
    text = cell_text(value)
    for separator in LIST_SEPARATORS[1:]:
        text = text.replace(separator, LIST_SEPARATORS[0])
    return [part.strip() for part in text.split(LIST_SEPARATORS[0]) if part.strip()]


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs) -> str:
        return cell_text(value)

    def render(self, value, obj=None, **kwargs) -> str:
        return "" if value is None else str(value)


class CodeTextWidget(TextWidget):
    """Codes typed with Thai digits are stored with Arabic ones."""

    def clean(self, value, row=None, **kwargs) -> str:
        return normalize_digits(cell_text(value))


class PaddedCodeWidget(TextWidget):
    """A code of `width` digits, its leading zeros restored."""

    def __init__(self, width: int) -> None:
        self.width = width
        super().__init__()

    def clean(self, value, row=None, **kwargs) -> str:
        return padded_code(value, self.width)


class DecimalWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs) -> Decimal | None:
        return None if is_blank(value) else parse_decimal(value)

    def render(self, value, obj=None, **kwargs) -> Decimal | str:
        return "" if value is None else value


class IntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs) -> int | None:
        return None if is_blank(value) else parse_int(value)

    def render(self, value, obj=None, **kwargs) -> int | str:
        return "" if value is None else value


class ChoiceWidget(widgets.Widget):
    """A choice written as its Thai label on export; the label or the stored value on import."""

    def __init__(self, choices: type[models.Choices]) -> None:
        self.choices = choices
        super().__init__()

    def clean(self, value, row=None, **kwargs) -> Any:
        text = normalize_digits(cell_text(value))
        if not text:
            return None
        for stored, label in self.choices.choices:
            if text in (str(stored), *_both_languages(label)):
                return stored
        allowed = ", ".join(str(label) for label in self.choices.labels)
        raise ValueError(
            _("“%(value)s” ไม่ใช่ค่าที่ใช้ได้ (ใช้ได้: %(allowed)s)")
            % {"value": text[:60], "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs) -> str:
        if value is None or value == "":
            return ""
        return str(dict(self.choices.choices).get(value, value))


def _both_languages(label) -> tuple[str, str]:
    """A choice's Thai and English labels: a file may carry either, whoever wrote it."""
    with translation.override("th"):
        thai = str(label)
    with translation.override("en"):
        return thai, str(label)


class CodeWidget(widgets.Widget):
    """A related row by its code, all codes loaded in one query the first time one is needed."""

    def __init__(self, model: type[models.Model], field: str, what: str) -> None:
        self.model, self.field, self.what = model, field, what
        self._cache: dict[str, models.Model] | None = None
        super().__init__()

    def code_of(self, value) -> str:
        return normalize_digits(cell_text(value))

    def clean(self, value, row=None, **kwargs) -> models.Model | None:
        code = self.code_of(value)
        if not code:
            return None
        if self._cache is None:
            self._cache = {
                str(getattr(obj, self.field)): obj for obj in self.model._default_manager.all()
            }
        try:
            return self._cache[code]
        except KeyError:
            raise ValueError(
                _("ไม่พบ%(what)sรหัส “%(code)s”") % {"what": self.what, "code": code[:40]}
            ) from None

    def render(self, value, obj=None, **kwargs) -> str:
        return "" if value is None else str(getattr(value, self.field))


class AgencyWidget(CodeWidget):
    """An agency by its 8-digit code, padded back when a spreadsheet dropped the leading zeros."""

    def __init__(self) -> None:
        super().__init__(Agency, "code", _("หน่วยงาน"))

    def code_of(self, value) -> str:
        return padded_code(value, AGENCY_CODE_DIGITS)


class PrefetchedInstanceLoader(BaseInstanceLoader):
    """Existing rows by natural key, loaded in bulk before the first row."""

    def __init__(self, resource: "KpiResource", dataset=None) -> None:
        super().__init__(resource, dataset)
        self.instances = resource.load_existing(dataset)

    def get_instance(self, row) -> models.Model | None:
        key = self.resource.row_key(row)
        return None if key is None else self.instances.get(key)


def column(name: str, attribute: str | None, widget: widgets.Widget | None = None, **kw) -> Any:
    return fields.Field(attribute=attribute, column_name=name, widget=widget or TextWidget(), **kw)


class KpiResource(resources.ModelResource):
    """Common rules: Thai errors keyed by column, bulk writes with history, unchanged rows skipped."""

    kind = ""
    key_columns: tuple[str, ...] = ()
    required_columns: tuple[str, ...] = ()

    class Meta:
        use_bulk = True
        batch_size = 1000
        skip_unchanged = True
        skip_diff = True
        report_skipped = True
        clean_model_instances = False
        instance_loader_class = PrefetchedInstanceLoader

    def __init__(self, *, by=None, change_reason: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.by = by
        self.change_reason = change_reason
        self._original: tuple | None = None

    def export(self, *args, **kwargs) -> tablib.Dataset:
        """Every export, the admin's included, with formula-like text quoted (cells.py)."""
        dataset = super().export(*args, **kwargs)
        quoted = tablib.Dataset(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            quoted.append([neutral_cell(value) for value in row])
        return quoted

    def import_row(self, row, instance_loader, **kwargs):
        """One row, and a tick of the background job's progress when one is running."""
        from indicators.spreadsheets.jobs import import_progress  # jobs imports the resources

        result = super().import_row(row, instance_loader, **kwargs)
        tick = import_progress.get()
        if tick is not None:
            tick()
        return result

    def after_import(self, dataset, result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        if not self._is_dry_run(kwargs):
            # Bulk writes send no signals: cached pages and figures learn of the import here,
            # whether it came through /imports/, kpi_import or the admin's import button.
            raise_after_commit()

    # Natural keys ---------------------------------------------------------------------------
    def row_key(self, row) -> tuple | None:
        raise NotImplementedError

    def load_existing(self, dataset) -> dict[tuple, models.Model]:
        raise NotImplementedError

    def headers(self) -> list[str]:
        return [field.column_name for field in self.get_export_fields()]

    def import_columns(self) -> list[str]:
        """Columns read on import; export-only columns (a name for reading) are left out."""
        return [c for c in self.headers() if c not in getattr(self, "export_only_columns", ())]

    def get_import_id_fields(self) -> list[str]:
        return []

    # Reading a row ----------------------------------------------------------------------------
    def import_instance(self, instance, row, **kwargs) -> None:
        errors: dict[str, str] = {}
        for field in self.get_import_fields():
            if field.attribute is None or field.column_name not in row:
                continue
            value = row[field.column_name]
            if is_blank(value):
                if field.column_name in self.required_columns:
                    errors[field.column_name] = _("ต้องกรอก")
                    continue
                if self._keeps_default(instance, field.attribute):
                    continue
            try:
                self.import_field(field, instance, row, **kwargs)
                self._check_length(instance, field.attribute)
            except ValueError as error:
                errors[field.column_name] = str(error)
        errors.update(self.import_extra(instance, row, errors))
        if errors:
            raise ValidationError(errors)

    def _keeps_default(self, instance, attribute: str) -> bool:
        model_field = instance._meta.get_field(attribute)
        if model_field.null:
            return False
        if model_field.has_default():
            setattr(instance, model_field.attname, model_field.get_default())
        return True

    def _check_length(self, instance, attribute: str) -> None:
        model_field = instance._meta.get_field(attribute)
        value = getattr(instance, model_field.attname)
        if (
            model_field.max_length
            and isinstance(value, str)
            and len(value) > model_field.max_length
        ):
            raise ValueError(_("ยาวเกิน %(limit)d ตัวอักษร") % {"limit": model_field.max_length})

    def import_extra(self, instance, row, errors: dict[str, str]) -> dict[str, str]:
        """Columns that are not plain attributes, and checks across columns."""
        return {}

    # Unchanged rows -------------------------------------------------------------------------
    def snapshot(self, instance) -> tuple:
        values = []
        for field in self.get_import_fields():
            if field.attribute:
                model_field = instance._meta.get_field(field.attribute)
                values.append(getattr(instance, model_field.attname))
        return (*values, *self.snapshot_extra(instance))

    def snapshot_extra(self, instance) -> tuple:
        return ()

    def after_init_instance(self, instance, new, row, **kwargs) -> None:
        self._original = None if new else self.snapshot(instance)

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        if import_validation_errors or self._original is None:
            return False
        return self.snapshot(instance) == self._original

    # Writing --------------------------------------------------------------------------------
    def bulk_update_fields(self) -> list[str]:
        names = []
        for field in self.get_import_fields():
            if field.attribute and field.column_name not in self.key_columns:
                names.append(field.attribute)
        return names

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.create_instances:
            return
        try:
            self.write_created(list(self.create_instances), batch_size)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.update_instances:
            return
        try:
            self.write_updated(list(self.update_instances), batch_size)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.update_instances.clear()

    def write_created(self, instances: list, batch_size: int | None) -> None:
        model = self._meta.model
        if hasattr(model, "history"):
            bulk_create_with_history(
                instances,
                model,
                batch_size=batch_size,
                default_user=self.by,
                default_change_reason=self.change_reason,
            )
        else:
            model.objects.bulk_create(instances, batch_size=batch_size)
        for instance in instances:
            instance._import_created = True
        self.after_write(instances)

    def write_updated(self, instances: list, batch_size: int | None) -> None:
        model = self._meta.model
        update_fields = self.bulk_update_fields()
        if update_fields and hasattr(model, "history"):
            bulk_update_with_history(
                instances,
                model,
                update_fields,
                batch_size=batch_size,
                default_user=self.by,
                default_change_reason=self.change_reason,
            )
        elif update_fields:
            model.objects.bulk_update(instances, update_fields, batch_size=batch_size)
        self.after_write(instances)

    def after_write(self, instances: list) -> None:
        """Rows that hang off the written ones (assessments, links)."""


def year_and_code(row, code_column: str) -> tuple[int, str] | None:
    try:
        year = parse_int(row.get("ปีงบประมาณ"))
    except ValueError:
        return None
    return year, normalize_digits(cell_text(row.get(code_column)))


def years_in(dataset) -> set[int]:
    years: set[int] = set()
    if dataset is None or "ปีงบประมาณ" not in (dataset.headers or []):
        return years
    for value in dataset["ปีงบประมาณ"]:
        try:
            years.add(parse_int(value))
        except ValueError:
            continue
    return years
