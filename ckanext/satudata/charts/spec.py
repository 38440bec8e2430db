"""Chart data -> a Vega-Lite specification: the one description of a chart
that the browser draws (vega-embed, vendored) and the server renders to
SVG/PNG (vl-convert). The number and date locale travels inside the spec
(``config.locale``), so both write ``309.667`` alike. Pure Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ckanext.satudata.i18n import formats

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# Bars turn horizontal past this many categories (names stay readable).
HORIZONTAL_AFTER = 8
BAR_STEP = 22
DEFAULT_WIDTH = 640
DEFAULT_HEIGHT = 320
# Colour-blind safe (Okabe-Ito), after the portal's own colours.
SAFE_PALETTE = ("#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FONT = "DejaVu Sans, Verdana, sans-serif"


@dataclass(frozen=True)
class ChartData:
    """Aggregated figures of one chart: (category, series, value) triples."""

    chart_type: str
    categories: tuple[str, ...]
    series: tuple[str, ...]  # empty: a single series
    values: tuple[tuple[str, str, float], ...]
    x_title: str
    y_title: str
    title: str = ""
    truncated: bool = False
    # Bars drawn horizontally whatever their number (names of any length).
    horizontal: bool = False
    # The measure's scale ends here instead of at the largest value
    # (scores out of 100 compare across charts).
    maximum: float | None = None

    @property
    def integral(self) -> bool:
        return all(float(v).is_integer() for _, _, v in self.values)

    def value(self, category: str, series: str = "") -> float | None:
        for c, s, v in self.values:
            if c == category and s == series:
                return v
        return None

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """(header, rows): one row per category, one column per series."""
        columns = list(self.series) or [self.y_title]
        lookup = {(c, s): v for c, s, v in self.values}
        rows = [
            [category, *(lookup.get((category, s if self.series else "")) for s in columns)]
            for category in self.categories
        ]
        return [self.x_title, *columns], rows

    def as_dict(self) -> dict[str, Any]:
        return {
            "chart_type": self.chart_type,
            "title": self.title,
            "x_title": self.x_title,
            "y_title": self.y_title,
            "categories": list(self.categories),
            "series": list(self.series),
            "values": [{"category": c, "series": s, "value": v} for c, s, v in self.values],
            "truncated": self.truncated,
        }


def palette(primary: str, secondary: str) -> list[str]:
    return [primary, secondary, *SAFE_PALETTE]


def _value_format(data: ChartData) -> str:
    return ",d" if data.integral else ",.2~f"


def build(
    data: ChartData,
    lang: str,
    colors: Sequence[str],
    description: str,
    width: int | None = None,
    titled: bool = False,
) -> dict[str, Any]:
    """The Vega-Lite spec of ``data``; ``width`` None fills the container (browser);
    ``titled`` draws the title inside (images: on a page the heading says it)."""
    number_format = _value_format(data)
    values = [{"k": c, "s": s, "v": v} for c, s, v in data.values]
    tooltip = [{"field": "k", "type": "nominal", "title": data.x_title}]
    if data.series:
        tooltip.append({"field": "s", "type": "nominal", "title": " "})
    tooltip.append(
        {"field": "v", "type": "quantitative", "title": data.y_title, "format": number_format}
    )
    color: dict[str, Any] | None = None
    if data.series:
        color = {
            "field": "s",
            "type": "nominal",
            "title": None,
            "sort": list(data.series),
            "scale": {"domain": list(data.series), "range": list(colors[: len(data.series)])},
            "legend": {"orient": "bottom", "labelLimit": 240},
        }
    spec: dict[str, Any] = {
        "$schema": SCHEMA,
        "description": description,
        "data": {"values": values},
        "width": width or "container",
        "config": {
            "locale": {
                "number": formats.d3_format_locale(lang),
                "time": formats.d3_time_format_locale(lang),
            },
            "font": FONT,
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 220},
            "legend": {"labelFontSize": 12},
            "view": {"stroke": None},
            "background": "white",
        },
        "usermeta": {"embedOptions": {"actions": False, "renderer": "svg"}},
    }
    if titled and data.title:
        spec["title"] = {"text": data.title, "anchor": "start", "fontSize": 14}
    category_sort = list(data.categories)

    if data.chart_type == "pyramid":
        left = data.series[0] if data.series else ""
        spec["height"] = max(DEFAULT_HEIGHT, BAR_STEP * len(data.categories))
        spec["transform"] = [
            {"calculate": f"datum.s === {_js_string(left)} ? -datum.v : datum.v", "as": "p"}
        ]
        spec["mark"] = {"type": "bar", "tooltip": True}
        spec["encoding"] = {
            "y": {
                "field": "k",
                "type": "ordinal",
                "title": data.x_title,
                "sort": list(reversed(category_sort)),
            },
            "x": {
                "field": "p",
                "type": "quantitative",
                "title": data.y_title,
                "axis": {"labelExpr": f"format(abs(datum.value), '{number_format}')"},
            },
            "tooltip": tooltip,
        }
    elif data.chart_type == "line":
        spec["height"] = DEFAULT_HEIGHT
        spec["mark"] = {"type": "line", "point": True, "tooltip": True}
        spec["encoding"] = {
            "x": {
                "field": "k",
                "type": "ordinal",
                "title": data.x_title,
                "sort": category_sort,
                "axis": {"labelAngle": 0},
            },
            "y": {
                "field": "v",
                "type": "quantitative",
                "title": data.y_title,
                "axis": {"format": number_format},
                "scale": {"zero": False},
            },
            "tooltip": tooltip,
        }
    else:
        horizontal = data.horizontal or len(data.categories) > HORIZONTAL_AFTER
        category = {"field": "k", "type": "nominal", "title": data.x_title, "sort": category_sort}
        measure: dict[str, Any] = {
            "field": "v",
            "type": "quantitative",
            "title": data.y_title,
            "axis": {"format": number_format},
        }
        if data.maximum is not None:
            measure["scale"] = {"domain": [0, data.maximum]}
            measure["axis"]["tickCount"] = 5
        if data.horizontal:
            # Asked-for horizontal bars name themselves (a few bars: a
            # vertical axis title would not fit beside them).
            category["title"] = None
        spec["mark"] = {"type": "bar", "tooltip": True}
        if horizontal:
            spec["height"] = {"step": BAR_STEP}
            spec["encoding"] = {"y": category, "x": measure, "tooltip": tooltip}
        else:
            spec["height"] = DEFAULT_HEIGHT
            category["axis"] = {"labelAngle": -30 if len(data.categories) > 4 else 0}
            spec["encoding"] = {"x": category, "y": measure, "tooltip": tooltip}
    if color is not None:
        spec["encoding"]["color"] = color
    else:
        spec["mark"]["color"] = colors[0]
    return spec


def _js_string(text: str) -> str:
    """``text`` as a Vega expression string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
