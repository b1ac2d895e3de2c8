"""Saved pages as text lines: HTML flattened like a browser's copy, text as it is, zips unpacked.

HTML is read with the standard library's html.parser: the old system's markup is plain tables and
paragraphs, the parser tolerates its unclosed tags, and flattening to lines is all the readers
need, so a third-party tree builder would add a dependency without adding anything.
"""

import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from io import BytesIO
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

PAGE_SUFFIXES = (".html", ".htm", ".txt")
MIGRATION_SUFFIXES = (*PAGE_SUFFIXES, ".zip")
MAX_PAGE_BYTES = 2 * 1024 * 1024
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_BYTES = 200 * 1024 * 1024
BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "tr",
    "table",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dt",
    "dd",
    "dl",
    "section",
    "article",
    "header",
    "footer",
    "hr",
    "center",
    "form",
}
CELL_TAGS = {"td", "th"}
URL_PATTERN = re.compile(r"https?://[^\s\"'<>]*(?:mykpi\d*\.php|index\d*\.php)[^\s\"'<>]*")
SAVED_FROM = re.compile(r"saved from url=\(\d+\)(\S+)")


class SourceError(ValueError):
    """A file that cannot be read as old-system pages; the message is for the user."""


@dataclass
class SourcePage:
    name: str
    lines: list[str]
    url: str = ""


class _Flattener(HTMLParser):
    """One line per block and one line per table cell, empty cells kept as empty lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.url = ""

    def flush(self, keep_empty: bool = False) -> None:
        text = re.sub(r"[ \t\r\f\v\u00a0]+", " ", "".join(self.current)).strip()
        if text or keep_empty:
            self.lines.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag in CELL_TAGS or tag in BLOCK_TAGS:
            self.flush()
        values = dict(attrs)
        if (tag == "link" and values.get("rel") == "canonical") or tag == "base":
            self.url = self.url or (values.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in CELL_TAGS:
            self.flush(keep_empty=True)
        elif tag in BLOCK_TAGS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data.replace("\n", " "))

    def handle_comment(self, data: str) -> None:
        found = SAVED_FROM.search(data)
        if found:
            self.url = found.group(1)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "tis-620", "cp874"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourceError(_("อ่านข้อความในไฟล์ไม่ได้ (ไม่ใช่ UTF-8 หรือ TIS-620)"))


def _charset(raw: bytes) -> str | None:
    found = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", raw[:4096])
    return found.group(1).decode("ascii").lower() if found else None


def page_from_bytes(name: str, raw: bytes) -> SourcePage:
    """One saved page, HTML or text, as lines and the address it came from when it says."""
    if len(raw) > MAX_PAGE_BYTES:
        raise SourceError(_("ไฟล์ %(name)s ใหญ่เกิน 2 MB") % {"name": name})
    charset = _charset(raw) if name.lower().endswith((".html", ".htm")) else None
    text = raw.decode(charset, errors="replace") if charset in ("tis-620", "windows-874") else None
    text = text if text is not None else _decode(raw)
    if name.lower().endswith((".html", ".htm")) or text.lstrip().startswith("<"):
        flattener = _Flattener()
        flattener.feed(text)
        flattener.close()
        flattener.flush()
        url = flattener.url
        lines = flattener.lines
    else:
        lines = [re.sub(r"[ \u00a0]+", " ", line).strip() for line in text.splitlines()]
        url = ""
    found = URL_PATTERN.search(text)
    return SourcePage(name=name, lines=lines, url=url or (found.group(0) if found else ""))


def pages_from_zip(name: str, raw: bytes) -> list[SourcePage]:
    """The pages inside a zip, within limits on count and size, refusing unsafe member names."""
    try:
        archive = zipfile.ZipFile(BytesIO(raw))
    except zipfile.BadZipFile:
        raise SourceError(_("ไฟล์ %(name)s ไม่ใช่ zip ที่อ่านได้") % {"name": name}) from None
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_ZIP_MEMBERS:
        raise SourceError(_("zip มีไฟล์เกิน %(n)d ไฟล์") % {"n": MAX_ZIP_MEMBERS})
    if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
        raise SourceError(_("ไฟล์ใน zip รวมกันใหญ่เกิน 200 MB"))
    pages = []
    for member in sorted(members, key=lambda m: m.filename):
        path = PurePosixPath(member.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts:
            raise SourceError(_("zip มีชื่อไฟล์ที่ไม่ปลอดภัย: %(name)s") % {"name": member.filename})
        if path.suffix.lower() in PAGE_SUFFIXES and not path.name.startswith("."):
            with archive.open(member) as handle:
                pages.append(page_from_bytes(str(path), handle.read(MAX_PAGE_BYTES + 1)))
    return pages


def read_pages(name: str, raw: bytes) -> list[SourcePage]:
    """The pages of one file: a zip of pages or a single saved page."""
    if len(raw) > MAX_FILE_BYTES:
        raise SourceError(_("ไฟล์ %(name)s ใหญ่เกิน 50 MB") % {"name": name})
    lower = name.lower()
    if lower.endswith(".zip"):
        return pages_from_zip(name, raw)
    if lower.endswith(PAGE_SUFFIXES):
        return [page_from_bytes(name, raw)]
    raise SourceError(
        _("ไฟล์ %(name)s ไม่ใช่หน้าเว็บ (.html, .htm), ข้อความ (.txt) หรือ zip") % {"name": name}
    )
