"""Draws docs/cluster-topology.png, the picture of `make cluster` in the
README and docs/scaling.md: `.venv/bin/python -m scripts.cluster.draw_topology`.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

from .apps import APP_PORTS, HAPROXY_PORT  # noqa: E402
from .nodes import MONITOR_PORT, NODES  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "docs" / "cluster-topology.png"
COLOURS = {
    "client": "#e8eef7",
    "proxy": "#fde9c9",
    "app": "#d9f0d3",
    "pool": "#e6dcf2",
    "primary": "#f4c7c3",
    "standby": "#c9def5",
    "monitor": "#eeeeee",
}


def box(ax, x, y, w, h, title, detail, kind):
    ax.add_patch(
        FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0.02,rounding_size=0.08",
            fc=COLOURS[kind],
            ec="#333333",
            lw=1.2,
        )
    )
    ax.text(x, y + 0.13, title, ha="center", va="center", fontsize=10.5, weight="bold")
    ax.text(x, y - 0.17, detail, ha="center", va="center", fontsize=8.5)


def arrow(ax, a, b, label="", style="-|>", dashed=False, colour="#333333"):
    ax.add_patch(
        FancyArrowPatch(
            a,
            b,
            arrowstyle=style,
            mutation_scale=12,
            lw=1.2,
            color=colour,
            linestyle="--" if dashed else "-",
            shrinkA=2,
            shrinkB=2,
        )
    )
    if label:
        ax.text(
            (a[0] + b[0]) / 2 + 0.08,
            (a[1] + b[1]) / 2,
            label,
            fontsize=7.5,
            color=colour,
            ha="left",
            va="center",
        )


def main() -> None:
    fig, ax = plt.subplots(figsize=(11, 8.2), dpi=110)
    ax.set_xlim(0, 11)
    ax.set_ylim(0, 8.6)
    ax.axis("off")
    ax.set_title(
        "make cluster: several machines on one (loopback, 127.0.0.1)",
        fontsize=13,
        weight="bold",
    )

    box(ax, 5.5, 7.9, 3.2, 0.6, "Users' browsers", "HTTP", "client")
    box(
        ax,
        5.5,
        6.7,
        3.8,
        0.75,
        f"HAProxy :{HAPROXY_PORT}",
        "leastconn; GET /healthz every 1 s, down after 2 fails",
        "proxy",
    )
    arrow(ax, (5.5, 7.6), (5.5, 7.08))
    xs = (2.2, 5.5, 8.8)
    for i, x in enumerate(xs):
        box(
            ax,
            x,
            5.3,
            2.7,
            0.75,
            f"gunicorn app{i + 1} :{APP_PORTS[i]}",
            "Django; sessions & cache in PostgreSQL",
            "app",
        )
        arrow(ax, (5.5, 6.32), (x, 5.68))
    ax.text(
        5.5,
        4.55,
        "DATABASE_URL lists both PgBouncers: target_session_attrs=read-write finds "
        "the primary;\nmap reads use the same list with prefer-standby. "
        "A failover needs no reconfiguration.",
        ha="center",
        va="center",
        fontsize=8.5,
        style="italic",
        bbox={"fc": "white", "ec": "#999999", "boxstyle": "round,pad=0.3"},
    )
    node_x = (3.0, 8.0)
    kinds = ("primary", "standby")
    roles = ("PostgreSQL 15 + PostGIS, primary now", "PostgreSQL 15 + PostGIS, standby")
    for node, x, kind, role in zip(NODES, node_x, kinds, roles, strict=True):
        box(
            ax,
            x,
            3.55,
            3.0,
            0.7,
            f"PgBouncer :{node.pgbouncer_port}",
            "transaction mode; restarted on a role change",
            "pool",
        )
        box(
            ax,
            x,
            2.2,
            3.0,
            0.8,
            f"{node.name} :{node.port} (+ pg_autoctl)",
            role,
            kind,
        )
        arrow(ax, (x, 3.2), (x, 2.6))
        for ax_x in xs:
            arrow(ax, (ax_x, 4.92), (x, 3.9), colour="#777777")
    arrow(
        ax,
        (4.5, 2.2),
        (6.5, 2.2),
        label="",
        colour="#b03030",
    )
    ax.text(
        5.5,
        2.05,
        "streaming replication,\nsynchronous (ANY 1):\na commit waits for both",
        ha="center",
        va="top",
        fontsize=8,
        color="#b03030",
    )
    box(
        ax,
        5.5,
        0.75,
        5.6,
        0.75,
        f"pg_auto_failover monitor :{MONITOR_PORT}",
        "health checks each node; promotes the standby when the primary is lost",
        "monitor",
    )
    for x in node_x:
        arrow(ax, (5.5, 1.13), (x, 1.8), style="<|-|>", dashed=True, colour="#555555")
    fig.tight_layout()
    fig.savefig(OUT)
    print(OUT)


if __name__ == "__main__":
    main()
