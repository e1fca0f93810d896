"""The registers' shared machinery: filtered, sorted, paged tables with
logged exports (core), used by each app's register page."""
