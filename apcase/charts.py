"""One look for every chart: pygal draws SVG on the server (no JavaScript), and a chart travels as
a data: URL image, which both the pages' content security policy and the PDF renderer accept."""

from __future__ import annotations

import base64

from pygal.style import Style

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#333333",
    foreground_strong="#0b2a3c",
    foreground_subtle="#c9d6df",
    colors=("#1d4e6b", "#2a9d8f", "#b45309", "#7b4fa0", "#b42318"),
    font_family="DejaVu Sans, sans-serif",
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=11,
    value_font_size=11,
    stroke_width="2.5",  # the style sheet's width wins over a series' own stroke_style
    guide_stroke_color="#dfe3e8",
    major_guide_stroke_color="#c9d6df",
    guide_stroke_dasharray="2,4",
    major_guide_stroke_dasharray="2,4",
)

# js=[]: pygal's default loads its tooltip scripts from the web, which the CSP (rightly) blocks.
BASE_OPTIONS = {"js": [], "style": STYLE, "disable_xml_declaration": True, "margin": 8}


def chart_data_url(chart) -> str:
    svg = chart.render(is_unicode=True).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
