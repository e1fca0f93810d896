"""Single built files of npm packages, served as static files.

Some packages (the Cytoscape layout and its two base libraries) ship their
built file at the package's root beside its sources, tests and demos; a
STATICFILES_DIRS entry would serve all of that. NODE_MODULE_FILES names each
built file once instead: {"vendor/<package>/<file>": <path in node_modules>}.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage


class NodeModuleFilesFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        self.files = {
            url: Path(path) for url, path in settings.NODE_MODULE_FILES.items()
        }

    def check(self, **kwargs):
        return [
            Error(
                f"{path} (for {url}) is missing: run `make setup` to install "
                "the npm packages.",
                id="intel_map.E010",
            )
            for url, path in self.files.items()
            if not path.is_file()
        ]

    def find(self, path, find_all=False, **kwargs):
        found = self.files.get(path)
        match = str(found) if found is not None and found.is_file() else None
        # Nothing found is [], as Django's own finders answer.
        if find_all or not match:
            return [match] if match else []
        return match

    def list(self, ignore_patterns):
        for url, path in self.files.items():
            if not path.is_file():
                continue
            prefix = url[: -len(path.name)].rstrip("/")
            storage = FileSystemStorage(location=str(path.parent))
            storage.prefix = prefix
            yield path.name, storage
