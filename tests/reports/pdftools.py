"""Read PDFs back with poppler-utils, as a reader's tools would."""

import re
import subprocess
import tempfile
import unicodedata
import zlib
from pathlib import Path

A4_POINTS = (595.28, 841.89)


def _run(tool: str, data: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        command = [tool, *args, handle.name]
        if tool == "pdftotext":
            command.append("-")
        # Fixed poppler tools on a temporary file the test wrote.
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603


def normalize(text: str) -> str:
    """NFC and single spaces, so extracted text compares with the source strings."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def squash(text: str) -> str:
    """NFC without any whitespace: a Thai line break adds a space the source never had."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def text(data: bytes) -> str:
    """The text in drawing order (-raw): Thai marks stay with their consonants."""
    return normalize(_run("pdftotext", data, "-raw", "-enc", "UTF-8"))


def body_text(data: bytes) -> str:
    """The text inside the page margins (22 mm), without running headers and footers."""
    crop = ["-x", "0", "-y", "60", "-W", "596", "-H", "722"]
    return normalize(_run("pdftotext", data, "-raw", "-enc", "UTF-8", *crop))


def fonts(data: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font of the document."""
    lines = _run("pdffonts", data).splitlines()[2:]
    rows = []
    for line in lines:
        columns = line.split()
        emb = columns[-5]
        rows.append((columns[0], emb == "yes"))
    return rows


def info(data: bytes) -> dict[str, str]:
    pairs = (line.split(":", 1) for line in _run("pdfinfo", data).splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def page_sizes(data: bytes) -> set[tuple[float, float]]:
    pages = int(info(data)["Pages"])
    out = _run("pdfinfo", data, "-f", "1", "-l", str(pages))
    sizes = re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", out)
    return {(round(float(w), 2), round(float(h), 2)) for w, h in sizes}


def words_right_edge(data: bytes) -> float:
    """The largest x of any word's right edge, in points."""
    html = _run("pdftotext", data, "-bbox")
    return max(float(x) for x in re.findall(r'xMax="([\d.]+)"', html))


def write(data: bytes, folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def inflated(data: bytes) -> bytes:
    """The file with every Flate stream decompressed, to find objects in object streams."""
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            chunks.append(zlib.decompressobj().decompress(data[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(chunks)
