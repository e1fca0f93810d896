"""The hot-spot map drawn on the server with matplotlib, in British National
Grid metres: ward boundaries, the grid's weighted values as a heat layer, the
Gi* classes as outlined cells and the ranked locations as numbered markers.
No tile server is needed, so the briefing pack always has a real map."""

import io

import matplotlib
import numpy as np
from matplotlib.colors import ListedColormap, PowerNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from .selectors.geometry import area_outlines_bng
from .selectors.gistar import EMERGING, FORMER, NEW, PERSISTENT, HotspotGrid
from .selectors.hotspots import LocationHotspot

# Names and notes are drawn as typed: with mathtext on, a name holding two "$"
# would be set as a formula, or fail to parse and lose the whole map or PDF.
matplotlib.rcParams["text.parse_math"] = False

CLASS_COLOURS = {
    NEW: "#d7301f",
    EMERGING: "#fc8d59",
    PERSISTENT: "#7a0177",
    FORMER: "#2b8cbe",
}
HEAT = ListedColormap(
    ["#fff7bc", "#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02"]
)


def map_draw(
    *,
    ax,
    grid: HotspotGrid,
    spots: list[LocationHotspot],
    area_type: str = "ward",
    max_markers: int = 10,
) -> None:
    g = grid.grid
    rows, cols = g.shape
    x0, y0 = g.gx0 * g.cell_m, g.gy0 * g.cell_m
    extent = (x0, x0 + cols * g.cell_m, y0, y0 + rows * g.cell_m)
    current = np.ma.masked_less_equal(g.values[0], 0)
    if current.count():
        ax.imshow(
            current,
            origin="lower",
            extent=extent,
            cmap=HEAT,
            # Square-root scale: a few very busy cells would wash out the rest.
            norm=PowerNorm(gamma=0.5, vmin=0, vmax=float(current.max())),
            interpolation="nearest",
            alpha=0.85,
            zorder=1,
        )
    for name, geom in area_outlines_bng(area_type=area_type):
        polys = getattr(geom, "geoms", [geom])
        for poly in polys:
            xs, ys = poly.exterior.xy
            ax.plot(xs, ys, color="#4a5568", linewidth=0.6, zorder=2)
        c = geom.representative_point()
        ax.text(
            c.x,
            c.y,
            name,
            fontsize=5,
            color="#4a5568",
            ha="center",
            zorder=2,
            alpha=0.8,
        )
    for cell in grid.cells():
        if not cell.hot_class:
            continue
        ax.add_patch(
            Rectangle(
                (cell.x0, cell.y0),
                cell.x1 - cell.x0,
                cell.y1 - cell.y0,
                fill=False,
                edgecolor=CLASS_COLOURS[cell.hot_class],
                linewidth=1.4,
                zorder=3,
            )
        )
    for spot in spots[:max_markers]:
        ax.plot(
            spot.x,
            spot.y,
            "o",
            markersize=9,
            color="#14213d",
            markeredgecolor="white",
            zorder=4,
        )
        ax.text(
            spot.x,
            spot.y,
            str(spot.rank),
            color="white",
            fontsize=6,
            ha="center",
            va="center",
            zorder=5,
            fontweight="bold",
        )
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect("equal")
    ax.tick_params(labelsize=5)
    ax.set_xlabel("Easting (m, British National Grid)", fontsize=6)
    ax.set_ylabel("Northing (m)", fontsize=6)
    handles = [
        Patch(facecolor="none", edgecolor=colour, label=label.capitalize())
        for label, colour in CLASS_COLOURS.items()
    ] + [
        Patch(facecolor="#fe9929", label="Weighted records in cell"),
        Line2D(
            [], [], marker="o", color="#14213d", linestyle="", label="Ranked location"
        ),
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=5, framealpha=0.9)


def map_png(
    *, grid: HotspotGrid, spots: list[LocationHotspot], title: str = ""
) -> bytes:
    fig = Figure(figsize=(8, 7), dpi=110)
    ax = fig.add_subplot(1, 1, 1)
    map_draw(ax=ax, grid=grid, spots=spots)
    if title:
        ax.set_title(title, fontsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
