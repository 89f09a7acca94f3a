"""Audit actions as people read them. Features add their own actions here."""
from flask_babel import lazy_gettext as _l

LABELS = {
    "auth.sign_in": _l("Signed in"),
    "auth.sign_in_failed": _l("Failed sign-in"),
    "tenant.created": _l("Workspace created"),
    "team.invited": _l("Invited"),
    "team.invitation_resent": _l("Invitation sent again"),
    "team.invitation_revoked": _l("Invitation withdrawn"),
    "team.invitation_accepted": _l("Invitation accepted"),
    "team.role_changed": _l("Role changed"),
    "team.member_removed": _l("Member removed"),
}


def audit_label(action: str) -> str:
    label = LABELS.get(action)
    return str(label) if label is not None else action

LABELS.update({
    "settings.updated": _l("Settings changed"),
    "rates.corporate_set": _l("Corporate rate saved"),
    "rates.corporate_imported": _l("Corporate rates imported"),
    "rates.corporate_deleted": _l("Corporate rate removed"),
})
