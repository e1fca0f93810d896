"""The ground floor: utilities every app may import and that import no app.

Edge parsers (params), paging, CSV exports, optimistic versions, the shared
cache, the error pages and API error handler, the OpenAPI schema class, the
database router and roles. Nothing here knows a model of the domain; see
docs/architecture.md for the floors above it.
"""
