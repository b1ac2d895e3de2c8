"""Bangkok's 50 districts as SVG paths, projected once from the GeoJSON kept beside this module.

The boundaries (data/bangkok_districts.geojson, 52 KB, 2,060 vertices) are already simplified to
about 33 m with shared borders kept identical; data/bangkok_districts.md holds their provenance,
licence and every change. No simplification is done here: the file is small enough to draw.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GEOJSON = Path(__file__).resolve().parent / "data" / "bangkok_districts.geojson"
WIDTH = 1000  # SVG user units across; the height follows the city's shape
PADDING = 8


@dataclass(frozen=True)
class District:
    agency_code: str  # the district office's 8-digit BMA code (Agency.code)
    name_th: str
    name_en: str
    path: str  # SVG path data in the map's user units


@dataclass(frozen=True)
class DistrictMap:
    width: int
    height: int
    districts: tuple[District, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def _path(rings: list[list[list[float]]], project) -> str:
    parts = []
    for ring in rings:
        points = [project(lon, lat) for lon, lat in ring]
        head, *tail = points
        parts.append(
            f"M{head[0]:.1f} {head[1]:.1f}" + "".join(f"L{x:.1f} {y:.1f}" for x, y in tail) + "Z"
        )
    return "".join(parts)


@cache
def district_map() -> DistrictMap:
    """The districts in an equirectangular projection true to scale at Bangkok's latitude."""
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    points = [p for f in features for ring in _rings(f["geometry"]) for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    squeeze = math.cos(math.radians((south + north) / 2))
    scale = (WIDTH - 2 * PADDING) / ((east - west) * squeeze)
    height = round((north - south) * scale + 2 * PADDING)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (PADDING + (lon - west) * squeeze * scale, PADDING + (north - lat) * scale)

    districts = tuple(
        District(
            agency_code=f["properties"]["agency_code"],
            name_th=f["properties"]["name_th"],
            name_en=f["properties"]["name_en"],
            path=_path(_rings(f["geometry"]), project),
        )
        for f in features
    )
    return DistrictMap(width=WIDTH, height=height, districts=districts)
