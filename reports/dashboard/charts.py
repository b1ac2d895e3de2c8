"""The dashboard's charts as SVG geometry, for the PDF, where no script runs.

The page draws the same data with Chart.js (`chart_data`); here each chart becomes rectangles,
lines and labels in a fixed coordinate space, drawn by `reports/dashboard/_svg_chart.html`.
The numbers stay in the tables beside each chart: the picture is a summary, not the record.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 300  # SVG user units; the picture scales to its column
ROW = 17  # height of one bar row
LABEL = 110  # width kept for the row labels
TREND_HEIGHT = 110


@dataclass
class Mark:
    """One drawn thing: a rectangle (w, h), a polyline (points) or a text (text)."""

    x: float = 0
    y: float = 0
    w: float = 0
    h: float = 0
    color: str = ""
    text: str = ""
    points: str = ""
    anchor: str = "start"


@dataclass
class Chart:
    title: str
    height: float
    width: float = WIDTH
    marks: list[Mark] = field(default_factory=list)


def _scale(values: Sequence[float]) -> float:
    """Units per count, so the longest bar fills the plot."""
    largest = max((v for v in values if v), default=0)
    return (WIDTH - LABEL - 30) / largest if largest else 0


def bar_chart(title: str, labels: list[str], values: list[int], colors: list[str]) -> Chart:
    """One horizontal bar per label, its count at the end."""
    unit = _scale(values)
    chart = Chart(title, ROW * len(labels) + 4)
    for row, (label, value, color) in enumerate(zip(labels, values, colors, strict=True)):
        y = row * ROW + 2
        chart.marks.append(Mark(x=LABEL - 4, y=y + 11, text=label, anchor="end"))
        chart.marks.append(Mark(x=LABEL, y=y + 2, w=value * unit, h=ROW - 5, color=color))
        chart.marks.append(Mark(x=LABEL + value * unit + 3, y=y + 11, text=str(value)))
    return chart


def stacked_chart(title: str, labels: list[str], datasets: list[dict]) -> Chart:
    """One bar per label, split by the datasets (statuses), with their legend underneath."""
    totals = [sum(d["data"][i] for d in datasets) for i in range(len(labels))]
    unit = _scale(totals)
    chart = Chart(title, ROW * len(labels) + _legend_height(datasets) + 6)
    for row, label in enumerate(labels):
        y, x = row * ROW + 2, LABEL
        short = label if len(label) <= 18 else label[:17] + "…"  # the table holds the name
        chart.marks.append(Mark(x=LABEL - 4, y=y + 11, text=short, anchor="end"))
        for dataset in datasets:
            width = dataset["data"][row] * unit
            chart.marks.append(Mark(x=x, y=y + 2, w=width, h=ROW - 5, color=dataset["color"]))
            x += width
    chart.marks += _legend(datasets, ROW * len(labels) + 4)
    return chart


def _legend(datasets: list[dict], y: float) -> list[Mark]:
    """Two keys to a row: Thai labels are too long for four across."""
    marks = []
    for index, dataset in enumerate(datasets):
        x, top = (index % 2) * WIDTH / 2, y + (index // 2) * ROW
        marks.append(Mark(x=x, y=top + 3, w=8, h=8, color=dataset["color"]))
        marks.append(Mark(x=x + 11, y=top + 11, text=dataset["label"]))
    return marks


def _legend_height(datasets: list[dict]) -> float:
    return ROW * ((len(datasets) + 1) // 2)


def line_chart(title: str, labels: list[str], datasets: list[dict]) -> Chart:
    """Each dataset as a line over the quarters, 0–100 on the axis (percentages, scores)."""
    chart = Chart(title, TREND_HEIGHT + _legend_height(datasets) + 6)
    left, right, plot = 44, 30, TREND_HEIGHT - 18
    step = (WIDTH - left - right) / max(len(labels) - 1, 1)
    for level in (0, 50, 100):
        y = 4 + plot * (1 - level / 100)
        chart.marks.append(Mark(x=left, y=y, w=WIDTH - left - right, h=0.4, color="#d1d5db"))
        chart.marks.append(Mark(x=left - 3, y=y + 3, text=str(level), anchor="end"))
    for index, label in enumerate(labels):
        x = left + index * step
        chart.marks.append(Mark(x=x, y=TREND_HEIGHT, text=label, anchor="middle"))
    for dataset in datasets:
        points = [
            f"{left + i * step:.1f},{4 + plot * (1 - min(v, 100) / 100):.1f}"
            for i, v in enumerate(dataset["data"])
            if v is not None
        ]
        chart.marks.append(Mark(points=" ".join(points), color=dataset["color"]))
    chart.marks += _legend(datasets, TREND_HEIGHT + 2)
    return chart


def dashboard_charts(data: dict, titles: dict[str, str]) -> list[Chart]:
    """The four charts of the page, from the same data the page's charts draw."""
    statuses, ratings = data["statuses"], data["ratings"]
    return [
        bar_chart(titles["statuses"], statuses["labels"], statuses["data"], statuses["colors"]),
        bar_chart(titles["ratings"], ratings["labels"], ratings["data"], ratings["colors"]),
        stacked_chart(
            titles["dimensions"], data["dimensions"]["labels"], data["dimensions"]["datasets"]
        ),
        line_chart(titles["trend"], data["trend"]["labels"], data["trend"]["datasets"]),
    ]
