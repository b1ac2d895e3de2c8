"""The admin's import reads files with the import page's reader: the same limits, no XML tricks.

django-import-export's own formats read an .xlsx with openpyxl's padded rows (a sheet claiming
XFD1048576 is walked cell by cell) and a CSV with the csv module's 131,072-character field.
"""

import io

import tablib
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

from indicators.spreadsheets.files import ImportFileError, read_table


def _dataset(name: str, data: bytes | str) -> tablib.Dataset:
    """The file as a Dataset, or ImportFileError with the Thai message the admin shows."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    table = read_table(name, io.BytesIO(raw))
    return tablib.Dataset(*table.rows, headers=table.headers)


class SafeCSV(base_formats.CSV):
    def create_dataset(self, in_stream, **kwargs) -> tablib.Dataset:
        return _dataset("upload.csv", in_stream)


class SafeXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream) -> tablib.Dataset:
        return _dataset("upload.xlsx", in_stream)


class SafeJSON(base_formats.JSON):
    def create_dataset(self, in_stream, **kwargs) -> tablib.Dataset:
        return _dataset("upload.json", in_stream)


class SafeImportExportMixin(ImportExportMixin):
    """Import and export in the admin, importing through the portal's own reader."""

    import_formats = [SafeCSV, SafeXLSX, SafeJSON]

    def add_data_read_fail_error_to_form(self, form, error: Exception) -> None:
        """The reader's own Thai message, not the library's guess at a wrong format."""
        if isinstance(error, ImportFileError):
            form.add_error("import_file", str(error))
        else:
            super().add_data_read_fail_error_to_form(form, error)
