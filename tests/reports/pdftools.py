"""Read PDFs back with poppler-utils, as a reader's tools would."""

import io
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


def extractions(data: bytes) -> dict[str, str]:
    """The text as each common extractor reads it: poppler twice, MuPDF, pdfminer, pypdf."""
    import pdfminer.high_level
    import pymupdf
    import pypdf

    with pymupdf.open(stream=data, filetype="pdf") as document:
        mupdf = "\n".join(page.get_text() for page in document)
    return {
        "pdftotext": _run("pdftotext", data, "-enc", "UTF-8"),
        "pdftotext -layout": _run("pdftotext", data, "-layout", "-enc", "UTF-8"),
        "PyMuPDF": mupdf,
        "pdfminer.six": pdfminer.high_level.extract_text(io.BytesIO(data)),
        "pypdf": "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages),
    }


def words(text: str) -> set[str]:
    """The whitespace-separated words of extracted text, NFC."""
    return set(normalize(text).split(" "))


def stray_characters(text: str) -> set[str]:
    """Characters no source string holds: glyph numbers (U+02xx spacing modifiers) or cids."""
    found = {char for char in text if 0x02B0 <= ord(char) <= 0x02FF or char == "\ufffd"}
    return found | set(re.findall(r"\(cid:\d+\)", text))


def page_png(data: bytes, page: int = 1, dpi: int = 100) -> bytes:
    """One page drawn by poppler, as PNG bytes."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        command = ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png"]
        subprocess.run([*command, "-singlefile", source, Path(folder) / "out"], check=True)  # noqa: S603
        return (Path(folder) / "out.png").read_bytes()


def same_picture(first: bytes, second: bytes, tolerance: int = 1) -> bool:
    """True when no pixel's grey level differs by more than 64 beyond `tolerance` pixels."""
    from PIL import Image, ImageChops

    a, b = (Image.open(io.BytesIO(png)).convert("L") for png in (first, second))
    difference = ImageChops.difference(a, b).point(lambda level: 255 if level > 64 else 0)
    return a.size == b.size and difference.histogram()[255] <= tolerance
