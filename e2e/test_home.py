"""A new workspace's first run: the owner lands on the first steps, adds an account from them and sees that step
ticked, then hides the list for everyone."""
from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect


def test_a_new_workspace_shows_its_first_steps_and_ticks_one_when_it_is_done(page: Page):
    tag = uuid.uuid4().hex[:6]
    page.goto("/signup")
    page.get_by_label("Company name").fill(f"Lotus Events {tag}")
    slug_field = page.locator("#slug")
    expect(slug_field).not_to_have_value("")  # suggested from the name while typing (htmx)
    slug = slug_field.input_value()
    page.get_by_label("Your name").fill("Linh Founder")
    page.get_by_label("Work email").fill(f"linh-{tag}@lotus.example")
    page.get_by_label("Password").fill("lotus river 2026 kite")
    page.get_by_role("button", name="Create the workspace").click()
    expect(page).to_have_url(re.compile(rf"/t/{slug}/$"))

    steps = page.get_by_role("region", name="First steps")
    expect(steps).to_contain_text("0 of 7 done")
    account_step = steps.get_by_role("listitem").filter(has=page.get_by_role("link", name="Add your first account"))
    expect(account_step).not_to_contain_text("Done")

    account_step.get_by_role("link", name="Add your first account").click()
    page.get_by_label("Company name").fill("Harbor Lane Outfitters")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash.success")).to_contain_text("Harbor Lane Outfitters is added.")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(steps).to_contain_text("1 of 7 done")
    expect(account_step).to_contain_text("Done")
    expect(steps.get_by_role("listitem").filter(has=page.get_by_role("link", name="Add a contract"))
           ).not_to_contain_text("Done")

    steps.get_by_role("button", name="Hide for everyone").click()
    expect(page.locator(".flash.success")).to_contain_text("The first steps are hidden for everyone.")
    expect(page.get_by_role("region", name="First steps")).to_have_count(0)
