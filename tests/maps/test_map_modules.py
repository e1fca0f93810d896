"""The map page names its whole ES module graph as modulepreload links, so the
browser fetches it in one round instead of one level at a time."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from maps.views import module_graph

STATIC_JS = Path(settings.BASE_DIR) / "static" / "js"
RELATIVE_IMPORT = re.compile(r"""from\s+["'](\.{1,2}/[^"']+)["']""")


def imports_on_disk(entry: Path) -> set[str]:
    """Reference walk of the import graph, by file paths rather than the
    static finders."""
    seen, todo = set(), [entry]
    while todo:
        path = todo.pop()
        for rel in RELATIVE_IMPORT.findall(path.read_text()):
            dep = (path.parent / rel).resolve()
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return {"js/" + str(p.relative_to(STATIC_JS)) for p in seen}


def test_module_graph_is_every_module_map_js_reaches():
    graph = module_graph("js/map.js")
    assert graph == sorted(imports_on_disk(STATIC_JS / "map.js"))
    # Three levels deep: map.js -> tools/radius.js -> tools/results.js.
    assert {"js/tools/results.js", "js/api.js", "js/layers/heat.js"} <= set(graph)
    assert "js/map.js" not in graph
    assert "js/analysis/hotspots-page.js" not in graph  # another page's entry


@pytest.mark.django_db
def test_map_page_preloads_its_modules(client, analyst):
    client.force_login(analyst)
    html = client.get("/map/").content.decode()
    preloaded = re.findall(r'<link rel="modulepreload" href="/static/([^"]+)">', html)
    assert set(preloaded) == {"js/map.js", *module_graph("js/map.js")}
    assert '<script type="module" src="/static/js/map.js">' in html
