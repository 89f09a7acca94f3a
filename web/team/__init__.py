"""The team: invitations, members and their roles; accepting an invitation."""
from flask_babel import lazy_gettext as _l

from ..features import Feature
from ..history import HIDDEN
from .forms import role_choices, role_label
from .routes import bp, first_step

feature = Feature(
    "team", blueprint=bp,
    filters={"role_label": role_label},
    globals={"role_options": role_choices},
    hooks={"first_step": first_step},
    audit_labels={
        "team.invited": _l("Invited"),
        "team.invitation_resent": _l("Invitation sent again"),
        "team.invitation_revoked": _l("Invitation withdrawn"),
        "team.invitation_accepted": _l("Invitation accepted"),
        "team.role_changed": _l("Role changed"),
        "team.member_removed": _l("Member removed"),
    },
    field_labels={"role": _l("role")},
    field_values={"team:role": role_label, "slug": HIDDEN},
)
