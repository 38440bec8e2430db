"""Server-side images of a Vega-Lite spec (vl-convert: Vega and Vega-Lite in
an embedded JavaScript engine, no Node.js, no network): the static image URLs
of embeds, the PNG/SVG downloads and the social preview cards."""

from __future__ import annotations

import json
from typing import Any

import vl_convert

# Same major version as the vendored assets/vendor/vega-lite.
VEGA_LITE_VERSION = "6.4"
PNG_SCALE = 2


def svg(spec: dict[str, Any]) -> str:
    return vl_convert.vegalite_to_svg(
        json.loads(json.dumps(spec)), vl_version=VEGA_LITE_VERSION, allowed_base_urls=[]
    )


def png(spec: dict[str, Any], scale: float = PNG_SCALE) -> bytes:
    return vl_convert.vegalite_to_png(
        json.loads(json.dumps(spec)),
        vl_version=VEGA_LITE_VERSION,
        scale=scale,
        allowed_base_urls=[],
    )
