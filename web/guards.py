"""One rate-limit policy for every place that checks a password or answers whether something exists.

A password may be guessed through the login form, the sign-up form (an existing email asks for its
password), an invitation (an existing account confirms with its password) or a reset link; each
attempt that fails counts against one budget per account, whichever form it came through, and against
one per address. Answers that say whether a thing exists (a workspace address, an account for a reset)
count per address. Over budget: 429 with Retry-After, in the reader's language.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import current_app, request

from .extensions import limiter


def _failed(response) -> bool:
    """What counts against a guessing budget: anything but a success (a redirect or a plain page)."""
    return response.status_code not in (200, 302, 303)


def _client() -> str:
    return f"guard-ip:{request.remote_addr}"


def account_key(email: str | None) -> str:
    return "guard-account:" + (email or "").strip().lower()


def password_check(account: Callable[[], str | None], methods=("POST",)):
    """A view that checks a password for the account `account()` names: failures count per account and per IP."""

    def decorate(view):
        # Shared limits: a guess through one form spends the same budget as a guess through another.
        per_account = limiter.shared_limit(lambda: current_app.config["GUARD_LIMIT_ACCOUNT"], "password-account",
                                           key_func=lambda: account_key(account()), methods=list(methods),
                                           deduct_when=_failed)
        per_ip = limiter.shared_limit(lambda: current_app.config["GUARD_LIMIT_IP"], "password-ip", key_func=_client,
                                      methods=list(methods), deduct_when=_failed)
        return per_ip(per_account(view))

    return decorate


def existence_check(methods=("GET", "POST")):
    """A view whose answer says whether something exists: every request counts per IP."""

    def decorate(view):
        return limiter.shared_limit(lambda: current_app.config["GUARD_LIMIT_LOOKUP"], "lookup", key_func=_client,
                                    methods=list(methods))(view)

    return decorate


def posted_email() -> str | None:
    return request.form.get("email")
