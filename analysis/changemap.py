"""The map of period change by area, drawn on the server (matplotlib, British
National Grid): each area shaded by its change on the last period, red for
a rise and blue for a fall, outlined heavily where the change is
significant, hatched where the counts are too small to show."""

import io

from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.patches import Polygon as PolygonPatch

from .mapimage import matplotlib  # noqa: F401  (its rcParams: names as typed)
from .selectors.geometry import area_shapes_bng

CHANGE_CMAP = "RdBu_r"


def change_map_png(*, change: dict, area_type: str, compare: str = "previous") -> bytes:
    rows = {row["area_id"]: row for row in change["areas"]}
    key = f"change_{compare}"
    values = [abs(r[key]) for r in rows.values() if r[key] is not None]
    reach = max(values, default=0) or 1
    norm = TwoSlopeNorm(vmin=-reach, vcenter=0, vmax=reach)
    fig = Figure(figsize=(6.4, 6.4), dpi=120)
    ax = fig.add_subplot(1, 1, 1)
    colours = colormaps[CHANGE_CMAP]
    for pk, name, geom in area_shapes_bng(area_type=area_type):
        row = rows.get(pk, {})
        value = row.get(key)
        significant = row.get(f"significant_{compare}", False)
        for poly in getattr(geom, "geoms", [geom]):
            xy = list(zip(*poly.exterior.xy, strict=True))
            ax.add_patch(
                PolygonPatch(
                    xy,
                    closed=True,
                    facecolor=colours(norm(value), alpha=0.85)
                    if value is not None
                    else "#f2f2f2",
                    hatch="///" if value is None else None,
                    edgecolor="#111111" if significant else "#6b7280",
                    linewidth=2.0 if significant else 0.5,
                    zorder=3 if significant else 2,
                )
            )
        c = geom.representative_point()
        label = name if value is None else f"{name}\n{value:+d}"
        strong = value is not None and abs(norm(value) - 0.5) > 0.3
        ax.text(
            c.x,
            c.y,
            label,
            fontsize=7,
            ha="center",
            va="center",
            zorder=4,
            color="white" if strong else "#111111",
            fontweight="bold" if significant else "normal",
        )
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.tick_params(labelsize=5)
    ax.set_xlabel("Easting (m, British National Grid)", fontsize=6)
    ax.set_ylabel("Northing (m)", fontsize=6)
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=colours), ax=ax, shrink=0.6)
    bar.set_label("Change in records on the last period", fontsize=6)
    bar.ax.tick_params(labelsize=5)
    ax.legend(
        handles=[
            Patch(
                facecolor="white",
                edgecolor="#111111",
                linewidth=2,
                label="Significant (p ≤ 0.05)",
            ),
            Patch(
                facecolor="#f2f2f2",
                hatch="///",
                edgecolor="#6b7280",
                label="Counts too small to show",
            ),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.1),
        ncol=2,
        fontsize=6,
        frameon=False,
    )
    current = change["periods"]["current"]
    previous = change["periods"]["previous"]
    ax.set_title(
        f"Records {current[0]} to {current[1]} against {previous[0]} to {previous[1]}",
        fontsize=8,
    )
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
