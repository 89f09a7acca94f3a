"""A company signs up, invites a coordinator who joins in another browser and works in Italian;
a member of another tenant gets 404 on the company's pages."""
from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from e2e.conftest import scripts_ready
from tests.factories import translated


def _sign_up(page: Page, company: str, email: str, password: str) -> str:
    page.goto("/signup")
    page.get_by_label("Company name").fill(company)
    slug_field = page.locator("#slug")
    expect(slug_field).not_to_have_value("")  # suggested from the name while typing (htmx)
    slug = slug_field.input_value()
    page.get_by_label("Base currency").select_option("EUR")
    page.get_by_label("Your name").fill("Olivia Founder")
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create the workspace").click()
    expect(page).to_have_url(re.compile(rf"/t/{slug}/$"))
    return slug


def test_sign_up_invite_accept_switch_to_italian_and_isolation(page: Page, new_context, run_tick, inbox):
    tag = uuid.uuid4().hex[:6]
    slug = _sign_up(page, f"Atlas Media {tag}", f"founder-{tag}@atlas.example", "blue harbour 2026 tide")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Olivia Founder")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    page.get_by_label("Email").fill(f"giulia-{tag}@atlas.example")
    page.get_by_label("Role").select_option("coordinator")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".flash.success")).to_contain_text(f"giulia-{tag}@atlas.example")

    run_tick()
    message = inbox.to(f"giulia-{tag}@atlas.example")[-1]
    link = re.search(r"https?://\S+/invitations/\S+", message.get_body(("plain",)).get_content()).group(0)

    coordinator = new_context()
    giulia = coordinator.new_page()
    giulia.goto(link)
    giulia.get_by_label("Your name").fill("Giulia Rossi")
    giulia.get_by_label("Choose a password").fill("gondola sunset 77 pier")
    giulia.get_by_role("button", name="Join the workspace").click()
    expect(giulia).to_have_url(re.compile(rf"/t/{slug}/$"))
    scripts_ready(giulia)  # app.js submits the language form; before it runs the choice goes nowhere

    giulia.get_by_label("Language").select_option("it")  # submits itself (htmx-free, a plain form)
    expect(giulia.locator("html")).to_have_attribute("lang", "it")
    expect(giulia.get_by_role("heading", name=translated("Your settings", "it"))).to_be_visible()
    expect(giulia.get_by_role("navigation", name=translated("Main", "it"))).to_contain_text(translated("Contracts", "it"))
    giulia.reload()
    expect(giulia.locator("html")).to_have_attribute("lang", "it")  # kept in her profile
    coordinator.close()

    rival_context = new_context()
    rival = rival_context.new_page()
    _sign_up(rival, f"Rival Press {tag}", f"rita-{tag}@rival.example", "other harbour 2026 tide")
    for path in (f"/t/{slug}/", f"/t/{slug}/team", f"/t/{slug}/audit"):
        response = rival.goto(path)
        assert response.status == 404, path
    rival_context.close()
