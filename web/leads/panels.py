"""Home-page panels: hand-offs waiting for a rep, and each person's follow-ups due today or overdue."""
from __future__ import annotations

from tenants.auth import current_user
from tenants.resolve import current_role

from ..home.panels import panel
from . import activities, service


@panel(20)
def handoffs_waiting():
    """Leads handed to this person that wait for an answer (only when there are some)."""
    if current_role() not in service.STAFF:
        return None
    waiting = service.waiting_for(current_user())
    if not waiting:
        return None
    return "leads/_panel_handoffs.html", {"handoffs": waiting}


@panel(25)
def followups_due():
    """The person's follow-ups due today and overdue."""
    if current_role() not in service.STAFF:
        return None
    today = activities.local_today()
    return "leads/_panel_followups.html", {"followups": activities.due_for(current_user(), today), "today": today}
