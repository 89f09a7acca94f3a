"""Sweep makers for accounts and contracts routes (see sweep_cases.py)."""
MAKERS: dict = {}
