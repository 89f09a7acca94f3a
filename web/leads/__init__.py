"""Leads: research, qualify, hand off, convert, credit the coordinator."""
blueprints = ()
