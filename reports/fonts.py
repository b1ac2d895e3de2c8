"""Sarabun as embedded in PDFs, adjusted so text copied out of a PDF is the text put in.

HarfBuzz draws SARA AM (ำ) as NIKHAHIT + SARA AA so tone marks stack correctly, and a PDF
maps each glyph to one text: the SARA AA glyph then stands for "า" or for "ำ", never both,
and copied or searched text loses every ำ or gains false ones (ความสำเร็จ → ความสาเร็จ).
A contextual substitution swaps the SARA AA that follows a NIKHAHIT (or its ligature with a
tone mark)
for an identical copy of its own, which maps back to "ำ". The drawing does not change.
Sarabun's licence (OFL 1.1, no Reserved Font Name) allows the change.
"""

import copy
import io
from functools import lru_cache
from pathlib import Path

from fontTools.otlLib.builder import buildCoverage, buildLookup, buildSingleSubstSubtable
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables

SARA_AA = "uni0E32"
NIKHAHIT = "uni0E4D"
TONE_MARKS = ("uni0E48", "uni0E49", "uni0E4A", "uni0E4B")


def _add_glyph_copy(font: TTFont, source: str, name: str) -> None:
    order = [*font.getGlyphOrder(), name]
    glyf = font["glyf"]
    glyf[name] = copy.deepcopy(glyf[source])
    glyf.glyphOrder = order
    font["hmtx"][name] = font["hmtx"][source]
    font.setGlyphOrder(order)


def _variants(font: TTFont, base: str) -> list[str]:
    """A glyph and its alternates (uni0E49, uni0E49.small, …)."""
    return [name for name in font.getGlyphOrder() if name.split(".")[0] == base]


def _chain_rule(
    backtrack: list[list[str]], lookup_index: int, glyph_map
) -> otTables.ChainContextSubst:
    rule = otTables.ChainContextSubst()
    rule.Format = 3
    rule.BacktrackGlyphCount = len(backtrack)
    rule.BacktrackCoverage = [buildCoverage(glyphs, glyph_map) for glyphs in backtrack]
    rule.InputGlyphCount = 1
    rule.InputCoverage = [buildCoverage([SARA_AA], glyph_map)]
    rule.LookAheadGlyphCount = 0
    rule.LookAheadCoverage = []
    record = otTables.SubstLookupRecord()
    record.SequenceIndex = 0
    record.LookupListIndex = lookup_index
    rule.SubstCount = 1
    rule.SubstLookupRecord = [record]
    return rule


def _add_sara_am_lookups(font: TTFont) -> None:
    gsub = font["GSUB"].table
    lookups = gsub.LookupList.Lookup
    nikhahit = _variants(font, NIKHAHIT)
    # One copy per context, so each copy always maps to the same text.
    # Sarabun draws NIKHAHIT + tone mark as one ligature (uni0E4D0E49 …) before the SARA AA.
    contexts = [([nikhahit], f"{SARA_AA}.am")]
    contexts += [
        ([_variants(font, NIKHAHIT + tone[3:])], f"{SARA_AA}.am{tone[-1]}") for tone in TONE_MARKS
    ]
    for _, name in contexts:
        _add_glyph_copy(font, SARA_AA, name)
    glyph_map = font.getReverseGlyphMap()
    rules = []
    for backtrack, name in contexts:
        lookups.append(buildLookup([buildSingleSubstSubtable({SARA_AA: name})]))
        rules.append(_chain_rule(backtrack, len(lookups) - 1, glyph_map))
    chain = otTables.Lookup()
    chain.LookupType = 6
    chain.LookupFlag = 0
    chain.SubTable = rules
    chain.SubTableCount = len(rules)
    lookups.append(chain)
    gsub.LookupList.LookupCount = len(lookups)
    for record in gsub.FeatureList.FeatureRecord:
        if record.FeatureTag == "ccmp":
            record.Feature.LookupListIndex.append(len(lookups) - 1)
            record.Feature.LookupCount = len(record.Feature.LookupListIndex)


@lru_cache(maxsize=16)
def pdf_font_bytes(path: Path) -> bytes:
    """The TTF at `path`, adjusted for text extraction when it draws Thai with GSUB."""
    data = path.read_bytes()
    font = TTFont(io.BytesIO(data))
    if "GSUB" not in font or "glyf" not in font or SARA_AA not in font.getGlyphOrder():
        return data
    _add_sara_am_lookups(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
