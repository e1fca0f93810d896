"""Who may see what in analysis: hot spots list counts behind intelligence,
so they need record access or the analysis permission (DESIGN.md: analysts
and tasking officers; licensing and community safety see density maps only)."""

from functools import wraps

from django.core.exceptions import PermissionDenied


def can_see_hotspots(user) -> bool:
    return user.is_authenticated and (
        user.has_perm("intelligence.view_record_content")
        or user.has_perm("locations.run_analysis")
    )


def hotspot_access_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_see_hotspots(request.user):
            raise PermissionDenied("Hot spots need intelligence access.")
        return view(request, *args, **kwargs)

    return wrapped
