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

LABELS.update({
    "account.created": _l("Account created"),
    "account.updated": _l("Account changed"),
    "account.contact_added": _l("Contact added"),
    "account.contact_updated": _l("Contact changed"),
    "account.contact_removed": _l("Contact removed"),
    "contract.created": _l("Contract created"),
    "contract.updated": _l("Contract changed"),
    "contract.signed": _l("Contract signed"),
    "contract.cancelled": _l("Contract cancelled"),
    "contract.renewed": _l("Contract renewed"),
    "contract.renewal_started": _l("Renewal started"),
    "contract.expiring": _l("Contract expiring"),
    "contract.expired": _l("Contract expired"),
    "contract.reminder_sent": _l("Renewal reminder sent"),
    "contract.document_added": _l("Document attached"),
    "deliverable.added": _l("Deliverable added"),
    "deliverable.updated": _l("Deliverable changed"),
    "deliverable.removed": _l("Deliverable removed"),
    "billing.added": _l("Billing entry added"),
    "billing.invoiced": _l("Billing entry invoiced"),
    "contracts.settings_updated": _l("Contract settings changed"),
    "contracts.kind_added": _l("Deliverable kind added"),
    "contracts.kind_toggled": _l("Deliverable kind switched on or off"),
})
